"""The interface language: every message users read has a Thai translation, compiled and shipped."""

from __future__ import annotations

import ast
import gettext
import os
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from conftest import REPO_ROOT
from ita_helpers.core import i18n
from ita_helpers.core.errors import ITADataError, Problem

PACKAGE = REPO_ROOT / "ita_helpers"
PO = PACKAGE / "locale" / "th" / "LC_MESSAGES" / "ita.po"
MO = PO.with_suffix(".mo")


def messages_in_code() -> set[str]:
    method_map = [("**.py", "python")]
    return {message if isinstance(message, str) else message[0]
            for _name, _line, message, *_rest in extract_from_dir(str(PACKAGE), method_map,
                                                                  keywords=DEFAULT_KEYWORDS | {"N_": None})}


def thai_catalog() -> dict[str, str]:
    with open(PO, "rb") as po:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else m.string[0]
                for m in read_po(po) if m.id}


def test_every_message_users_read_has_a_thai_translation():
    catalog = thai_catalog()
    assert sorted(m for m in messages_in_code() if not catalog.get(m)) == []


def test_the_compiled_catalog_is_the_one_translated(tmp_path):
    with open(MO, "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = {msgid: text for msgid, text in thai_catalog().items() if compiled.gettext(msgid) != text}
    assert stale == {}, "run `make messages` to compile ita.mo"


def test_no_module_that_translates_uses_underscore_as_a_throwaway_name():
    """`for _, row in ...` in a module that imports _ makes every _("...") of that function fail."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_underscore = any(isinstance(node, ast.ImportFrom) and any(a.name == "_" for a in node.names)
                                 for node in ast.walk(tree))
        if imports_underscore:
            offenders += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                          if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)]
    assert offenders == []


@pytest.mark.parametrize("lang, expected", [
    ("th", "พบปัญหา 1 รายการ:\n  - a.csv แถวที่ 3 คอลัมน์ '1': ไม่ใช่ตัวเลข (ค่าที่พบ 'x')"),
    ("en", "1 problem found:\n  - a.csv, row 3, column '1': ไม่ใช่ตัวเลข (value 'x')"),
])
def test_problems_are_told_in_the_interface_language(monkeypatch, lang, expected):
    monkeypatch.setenv(i18n.ENVIRONMENT, lang)
    assert str(ITADataError(Problem("a.csv", "ไม่ใช่ตัวเลข", 3, "1", "x"))) == expected


@pytest.mark.parametrize("value, lang", [("", "th"), ("en", "en"), ("en_US.UTF-8", "en"), ("fr", "th"), ("TH", "th")])
def test_thai_unless_english_is_asked_for(monkeypatch, value, lang):
    monkeypatch.setenv(i18n.ENVIRONMENT, value)
    assert i18n.language() == lang


def test_the_catalog_ships_inside_the_package():
    assert Path(i18n.LOCALE_DIR, "th", "LC_MESSAGES", "ita.mo") == MO and MO.exists()


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    from ita_helpers.cli.main import main

    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_speaks_thai_by_default_and_english_when_asked(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv(i18n.ENVIRONMENT)
    missing = tmp_path / "ไม่มี"
    code, _out, err = run_cli(capsys, "report", "--org", "x", "--year", "2566", "--data", str(missing))
    assert code == 2 and err == f"ita report: พบปัญหา 1 รายการ:\n  - {missing}: ไม่พบโฟลเดอร์ข้อมูล\n"
    code, _out, err = run_cli(capsys, "--lang", "en", "report", "--org", "x", "--year", "2566", "--data", str(missing))
    assert code == 2 and err == f"ita report: 1 problem found:\n  - {missing}: data folder not found\n"


def test_help_and_usage_errors_are_thai_too(capsys, monkeypatch):
    monkeypatch.delenv(i18n.ENVIRONMENT)
    code, out, _err = run_cli(capsys, "--help")
    assert code == 0 and out.startswith("วิธีใช้: ita ") and "แสดงคำอธิบายนี้แล้วออก" in out
    code, _out, err = run_cli(capsys, "--lang", "th", "report", "--org", "x", "--year", "สองพัน")
    assert code == 2 and err.endswith("ita report: ข้อผิดพลาด: --year: 'สองพัน' ไม่ใช่ปีงบประมาณแบบพุทธศักราช (พ.ศ.) "
                                      "เช่น 2566\n")


def test_a_batch_summary_is_thai(monkeypatch):
    from ita_helpers.batch.jobs import Job
    from ita_helpers.batch.runner import Result, summary

    monkeypatch.setenv(i18n.ENVIRONMENT, "th")
    job = Job("หน่วยงาน ก", 2566, {}, ())
    results = [Result(job, "warnings", warnings=("no_measures",)), Result(job, "failed", error="ผิดพลาด")]
    assert summary(results).splitlines() == [
        "จัดทำแล้ว 1 รายงาน (มีข้อสังเกต 1) ไม่สำเร็จ 1 เป็นปัจจุบันแล้ว 0",
        "  ไม่สำเร็จ 2566 หน่วยงาน ก: ผิดพลาด",
        "  ข้อสังเกต ไม่มีไฟล์มาตรการของหน่วยงานสำหรับผลการประเมินปีนี้: 1 รายงาน: 2566 หน่วยงาน ก"]


def test_thai_marks_take_no_column_on_a_terminal():
    from ita_helpers.core.thai import display_width

    assert display_width("กรุงเทพมหานคร") == 12  # ุ sits under ร
    assert display_width("สำนักงานเลขาธิการสภากรุงเทพมหานคร") == len("สำนักงานเลขาธิการสภากรุงเทพมหานคร") - 3  # ั ิ ุ
    assert display_width("ab") == 2 and display_width("漢字") == 4


def test_the_progress_line_covers_what_it_printed_before():
    import io

    from ita_helpers.batch.runner import _thai_tqdm
    from ita_helpers.core.thai import display_width

    out = io.StringIO()
    printer = _thai_tqdm().status_printer(out)
    longer, shorter = "2566 สำนักงานเลขาธิการสภากรุงเทพมหานคร", "2566 กรม"
    printer(longer)
    printer(shorter)
    last = out.getvalue().split("\r")[-1]
    assert last.startswith(shorter) and display_width(last) == display_width(longer)


def test_the_command_leaves_the_process_as_it_found_it(capsys, monkeypatch):
    import signal

    from ita_helpers.cli.main import main

    monkeypatch.delenv("LANGUAGE", raising=False)
    handler = signal.getsignal(signal.SIGTERM)
    domain = gettext.textdomain()
    assert main(["validate", str(REPO_ROOT / "data" / "scores" / "bma.csv")]) == 0
    assert "LANGUAGE" not in os.environ
    assert (gettext.textdomain(), signal.getsignal(signal.SIGTERM)) == (domain, handler)


def test_thai_help_is_broken_only_at_spaces(capsys, monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, "th")
    code, out, _err = run_cli(capsys, "run", "--help")
    said = i18n._("fork: each report's kernel is forked from a process that has loaded the report's libraries once "
                  "(default where the system allows it); fresh: a new Python per report (slower)", "th")
    block = out[out.index("--isolation {fork,fresh}\n"):].split("\n\n")[0].splitlines()[1:]
    lines = [line.strip() for line in block]
    assert code == 0 and len(lines) > 1
    assert " ".join(lines) == " ".join(said.split())  # no word cut in two, no vowel parted from its letter
