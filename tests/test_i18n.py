"""The interface language: every message users read has a Thai translation, compiled and shipped."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import REPO_ROOT
from ita_helpers import i18n
from ita_helpers.errors import ITADataError, Problem

PACKAGE = REPO_ROOT / "ita_helpers"
PO = PACKAGE / "locale" / "th" / "LC_MESSAGES" / "ita.po"
MO = PO.with_suffix(".mo")


def messages_in_code() -> set[str]:
    method_map = [("**.py", "python")]
    return {message if isinstance(message, str) else message[0]
            for _name, _line, message, *_rest in extract_from_dir(str(PACKAGE), method_map)}


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
