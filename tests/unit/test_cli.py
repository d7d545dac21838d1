"""The `ita` command, in-process and once as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import BMA, REPO_ROOT
from ita_helpers.cli.main import main

SCORE_HEADER = "org,fiscal_year,iit,eit,oit,total,rating,passed,reported_total,difference,weak_indicators"
SEED_FILE = REPO_ROOT / "data" / "scores" / "bma.csv"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def bad_file(folder):
    path = folder / "bad.csv"
    path.write_text(
        "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"
        "A,2566,92.27,abc,85.85,77.95,78.31,82.88,81.22,78.37,100,100\n"
        "B,2023,92.27,77.83,85.85,77.95,78.31,82.88,81.22,78.37,100,100\n"
        "C,2566,92.27,77.83,85.85,77.95,78.31,82.88,181.22,78.37,100,100\n",
        encoding="utf-8",
    )
    return path


def test_score_csv(capsys):
    code, out, err = run(capsys, "score", SEED_FILE, "--format", "csv")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(SCORE_HEADER)
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["org"] == BMA and row["fiscal_year"] == "2566"
    assert (row["iit"], row["eit"], row["oit"], row["total"]) == ("82.44", "80.82", "100.00", "88.98")
    assert (row["rating"], row["passed"]) == ("ผ่าน", "True")
    assert row["weak_indicators"] == "6;7;8;5;4;2"
    assert row["reported_total"] == "88.98" and row["change"] == "-1.03" and row["national_average"] == "90.19"
    assert len(lines) == 2


def test_score_a_data_folder(capsys):
    code, out, _ = run(capsys, "score", REPO_ROOT / "data", "--format", "csv")
    assert code == 0
    assert ",88.98,ผ่าน,True," in out and "6;7;8;5;4;2" in out


def test_score_a_folder_uses_its_own_reference_tables(capsys, tmp_path):
    (tmp_path / "scores").mkdir()
    (tmp_path / "scores" / "bma.csv").write_bytes(SEED_FILE.read_bytes())
    (tmp_path / "national_averages.csv").write_text("fiscal_year,average\n2566,70.5\n", encoding="utf-8")
    code, out, _ = run(capsys, "score", tmp_path, "--format", "csv")
    assert code == 0 and next(csv.DictReader(io.StringIO(out)))["national_average"] == "70.50"


def test_score_a_folder_without_score_files_says_so(capsys, tmp_path):
    code, out, err = run(capsys, "score", tmp_path)
    assert code == 2 and out == ""
    assert err.endswith(f"no score files in {tmp_path} (a data folder keeps them in scores/)\n")


def test_score_json_parses(capsys):
    code, out, _ = run(capsys, "score", SEED_FILE, "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert record["org"] == BMA
    assert record["total"] == 88.98 and record["iit"] == 82.44 and record["eit"] == 80.82
    assert record["rating"] == "ผ่าน" and record["passed"] is True
    assert record["weak_indicators"] == "6;7;8;5;4;2"
    assert record["change"] == -1.03


def test_score_and_validate_on_a_folder_ita_init_made_say_the_form_is_still_empty(capsys, tmp_path, monkeypatch):
    assert main(["init", str(tmp_path / "agency"), "--org", "กรมทดสอบ"]) == 0
    capsys.readouterr()
    form = (tmp_path / "agency" / "scores" / "คะแนน_กรมทดสอบ.xlsx").resolve()
    for command in ("score", "validate"):
        code, out, err = run(capsys, command, tmp_path / "agency")
        assert (code, out) == (2, "")
        assert err.endswith(f"{form}: the score form is not filled in yet: type the agency's scores, save the file "
                            "and run this again\n")
    monkeypatch.setenv("ITA_LANG", "th")
    code, _out, err = run(capsys, "score", tmp_path / "agency")
    assert err.endswith(f"{form}: แบบฟอร์มคะแนนยังไม่ได้กรอก กรอกคะแนนของหน่วยงาน บันทึกไฟล์ แล้วสั่งคำสั่งนี้อีกครั้ง\n")


def test_the_score_table_has_thai_headings_and_the_csv_keeps_column_names(capsys, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    code, out, _ = run(capsys, "score", SEED_FILE)
    heading, row = out.splitlines()
    assert code == 0 and heading.split()[:7] == ["หน่วยงาน", "ปีงบประมาณ", "IIT", "EIT", "OIT", "คะแนนรวม", "ระดับผล"]
    assert "ผ่านเกณฑ์" in heading and row.split()[7] == "ใช่"
    code, out, _ = run(capsys, "score", SEED_FILE, "--format", "csv")
    assert out.splitlines()[0].startswith("org,fiscal_year,iit,eit,oit,total,rating,passed,")
    monkeypatch.setenv("ITA_LANG", "en")
    code, out, _ = run(capsys, "score", SEED_FILE)
    assert out.splitlines()[0].split()[:2] == ["agency", "fiscal"] and out.splitlines()[1].split()[7] == "yes"


def test_score_table_and_threshold(capsys):
    code, out, _ = run(capsys, "score", SEED_FILE, "--threshold", "80")
    assert code == 0
    assert "88.98" in out and "ผ่าน" in out and "8;5;4;2" in out and "6;7;8" not in out


def test_validate_good_file(capsys):
    code, out, err = run(capsys, "validate", SEED_FILE)
    assert code == 0 and err == ""
    assert out.strip() == f"{SEED_FILE}: OK, 1 agency-year"


def test_agency_years_are_counted_across_blocks_of_rows():
    """Counted a block at a time: a pair seen again in a later block is counted once, and two agencies'
    same year are two."""
    import pandas as pd

    from ita_helpers.cli.main import _agency_years

    rows = pd.DataFrame({"org": pd.array(["ก", "ก", "ข", "ก", "ข", "ข", "ก"], dtype="string"),
                         "fiscal_year": pd.array([2566, 2566, 2566, 2567, 2566, 2567, 2566], dtype="int16")})
    assert [_agency_years(rows, block) for block in (1, 2, 3, 7, 100)] == [4] * 5
    assert _agency_years(rows.iloc[:0]) == 0


def test_validate_bad_file_prints_every_problem(capsys, tmp_path):
    path = bad_file(tmp_path)
    code, out, err = run(capsys, "validate", path)
    assert code == 2 and out == ""
    assert err.startswith("ita validate: 3 problems found:")
    assert f"{path}, row 2, column '2': score is not a number (value 'abc')" in err
    assert f"{path}, row 3, column 'fiscal_year': fiscal year looks like a Christian-Era year" in err
    assert f"{path}, row 4, column '7': score outside 0-100 (value '181.22')" in err
    assert "Traceback" not in err


def test_validate_reports_problems_of_every_path(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, out, err = run(capsys, "validate", SEED_FILE, bad_file(tmp_path), empty)
    assert code == 2
    assert "OK, 1 agency-year" in out
    assert "4 problems found" in err and f"{empty}: the file is empty" in err


def test_score_bad_file_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "score", bad_file(tmp_path), "--format", "csv")
    assert code == 2 and out == ""
    assert "ita score: 3 problems found" in err


def test_validate_malformed_csv_exits_2_without_traceback(capsys, tmp_path):
    path = tmp_path / "malformed.csv"
    path.write_text("org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"
                    "B, Inc.,2566,92.27,77.83,85.85,77.95,78.31,82.88,81.22,78.37,100,100\n"
                    "A,2566,92.27,77.83,85.85,77.95,78.31,82.88,81.22,78.37,100,100\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2 and str(path) in err


def test_subprocess_score_and_validate(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "ita_helpers.cli.main"]
    score = subprocess.run([*command, "score", str(SEED_FILE), "--format", "csv"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert score.returncode == 0, score.stderr
    header, row = score.stdout.splitlines()
    assert header.startswith(SCORE_HEADER)
    assert row.startswith(f"{BMA},2566,82.44,80.82,100.00,88.98,ผ่าน,True,88.98,")
    assert ",6;7;8;5;4;2," in row

    bad = bad_file(tmp_path)
    validate = subprocess.run([*command, "validate", str(bad)], env=env, cwd=tmp_path,
                              capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert validate.returncode == 2
    assert "Traceback" not in validate.stderr
    assert validate.stderr.count(str(bad)) == 3


@pytest.mark.parametrize("argv", [[], ["score"], ["score", "x.csv", "--format", "xml"]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: ita" in capsys.readouterr().err


def test_out_naming_a_file_is_a_clear_thai_message(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    (tmp_path / "outputs").write_text("not a folder", encoding="utf-8")
    code, out, err = run(capsys, "report", "--org", BMA, "--year", "2566", "--out", tmp_path / "outputs",
                         "--formats", "html")
    assert code == 2 and "Traceback" not in err
    assert err == f"ita report: ใช้ {tmp_path / 'outputs'} ไม่ได้: มีไฟล์อยู่ในตำแหน่งที่ต้องเป็นโฟลเดอร์\n"


@pytest.mark.slow  # renders a report in a kernel
def test_a_full_disk_is_a_clear_message_and_leaves_nothing_partial(capsys, tmp_path, monkeypatch):
    import errno

    from ita_helpers.batch import publish

    def full(self, job, rendered, pdf_writer=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.root / job.folder / "report.html"))

    monkeypatch.setattr(publish.OutputFolder, "publish", full)
    code, _out, err = run(capsys, "run", "--all", "--out", tmp_path / "out", "--formats", "html", "--jobs", "1")
    assert code == 2 and err.startswith("ita run: cannot use ") and err.endswith(": the disk is full\n")
    assert not list((tmp_path / "out").rglob("report.*")) and not (tmp_path / "out" / ".partial").exists()


def test_an_unexpected_error_is_one_line_and_a_log(capsys, monkeypatch):
    import ita_helpers.cli.main as cli

    monkeypatch.setattr(cli, "cmd_validate", lambda args: 1 / 0)
    monkeypatch.setattr(cli, "build_parser", lambda notebook_options: _parser_running(cli.cmd_validate))
    code, _out, err = run(capsys, "validate", SEED_FILE)
    assert code == 3 and len(err.splitlines()) == 1  # 3, not 1: a failed report is 1
    log = err.rsplit(" ", 1)[-1].strip()
    assert err.startswith("ita validate: unexpected error (ZeroDivisionError); the details are in ")
    assert "ZeroDivisionError: division by zero" in open(log, encoding="utf-8").read()
    os.unlink(log)


def test_ctrl_c_while_a_module_builds_its_classes_is_an_interrupt_not_an_error(capsys, monkeypatch):
    """Ctrl-C as a dataclass is built on import (seen once in 90 interrupts of `ita report` at start-up):
    Python 3.11 hands it on as RuntimeError from __set_name__, which was told as an unexpected error."""
    import dataclasses

    import ita_helpers.cli.main as cli

    class Interrupted:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt  # as the signal handler raises it, wherever the interpreter is

    def import_a_module(args):
        @dataclasses.dataclass
        class Built:
            documents = Interrupted()

    monkeypatch.setattr(cli, "build_parser", lambda notebook_options: _parser_running(import_a_module))
    with pytest.raises(BaseException) as raised:  # what Python makes of it, which main() is given
        import_a_module(None)
    assert isinstance(raised.value, (RuntimeError, KeyboardInterrupt))  # RuntimeError up to 3.11
    code, out, err = run(capsys, "validate", SEED_FILE)
    assert (code, out, err) == (130, "", "ita validate: interrupted\n")


def test_ctrl_c_lost_by_a_compiled_module_as_it_imports_is_an_interrupt_not_an_error(capsys, monkeypatch):
    """Ctrl-C as pandas' Cython modules are imported (seen in the Ctrl-C test of ita report): the module
    loses the KeyboardInterrupt and fails with "SystemError: ... returned a result with an exception set",
    caused by "ImportError: PyCapsule_Import could not import module". The signal came: an interrupt."""
    import ita_helpers.cli.main as cli

    def import_pandas(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the handler raises KeyboardInterrupt here
        except KeyboardInterrupt:
            pass  # lost, as the compiled module loses it
        else:
            raise AssertionError("the signal did not come")
        lost = ImportError('PyCapsule_Import could not import module "pandas"')
        raise SystemError("<class 'pandas._libs.tslibs.fields.__pyx_defaults'> returned a result with an "
                          "exception set") from lost

    monkeypatch.setattr(cli, "build_parser", lambda notebook_options: _parser_running(import_pandas))
    code, out, err = run(capsys, "validate", SEED_FILE)
    assert (code, out, err) == (130, "", "ita validate: interrupted\n")


def test_an_error_while_handling_ctrl_c_is_still_a_bug_told_with_its_log(capsys, monkeypatch):
    """The other side of the rule above: an error met while handling the interrupt is ours to fix."""
    import ita_helpers.cli.main as cli

    def clean_up_badly(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            raise ValueError("a bug in the clean-up") from None  # __context__ is still the interrupt

    monkeypatch.setattr(cli, "build_parser", lambda notebook_options: _parser_running(clean_up_badly))
    code, out, err = run(capsys, "validate", SEED_FILE)
    assert code == 3 and "ita validate: unexpected error (ValueError)" in err
    os.unlink(err.rsplit(" ", 1)[1].strip())


def _parser_running(function):
    import argparse

    parser = argparse.ArgumentParser(prog="ita")
    parser.add_argument("command")
    parser.add_argument("paths", nargs="*")
    parser.set_defaults(run=function)
    return parser


def test_validate_names_the_closest_agency_of_a_measures_file_that_matches_none(capsys, tmp_path, monkeypatch):
    (tmp_path / "scores").mkdir()
    (tmp_path / "measures").mkdir()
    (tmp_path / "scores" / "bma.csv").write_bytes(SEED_FILE.read_bytes())
    measures = (REPO_ROOT / "data" / "measures" / "bma_council_secretariat_2566.yaml").read_text(encoding="utf-8")
    (tmp_path / "measures" / "m.yaml").write_text(measures.replace(f"scores_org: {BMA}", "scores_org: กรุงเทพฯ"),
                                                  encoding="utf-8")
    monkeypatch.setenv("ITA_LANG", "th")
    code, out, err = run(capsys, "validate", tmp_path)
    assert code == 2 and out == "" and "กรุงเทพฯ" in err and f"'{BMA}'" in err


def test_score_reads_the_sheet_asked_for(capsys, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "คำอธิบาย"
    for title, score in (("ปี 2566", 90), ("สำเนา", 50)):
        sheet = book.create_sheet(title)
        sheet.append(["หน่วยงาน", "ปีงบประมาณ", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]])
        sheet.append(["หน่วยงานสังเคราะห์", 2566, *[score] * 10])
    book.save(tmp_path / "scores.xlsx")
    code, out, err = run(capsys, "score", tmp_path / "scores.xlsx", "--sheet", "สำเนา", "--format", "csv")
    assert code == 0 and next(csv.DictReader(io.StringIO(out)))["total"] == "50.00"
    code, out, err = run(capsys, "score", tmp_path / "scores.xlsx", "--format", "csv")
    assert code == 0 and next(csv.DictReader(io.StringIO(out)))["total"] == "90.00"
    assert "note: " in err and "'ปี 2566'" in err and "'สำเนา'" in err  # which sheet was read, which was not


def test_years_are_taken_in_thai_digits_and_christian_era_years_refused():
    import argparse

    from ita_helpers.cli import options
    from ita_helpers.cli.main import _years

    assert options.year("๒๕๖๖") == options.year(" 2566 ") == 2566
    for wrong in ("2023", "สองพัน", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="is not a fiscal year of the Buddhist Era"):
            options.year(wrong)
    assert _years("๒๕๖๒-๒๕๖๔,2566") == {2562, 2563, 2564, 2566}
