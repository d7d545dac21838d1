"""The bad-input catalogue: every class of broken input ends in a clear message naming the file (and the row,
column and value where they apply) and exit 2, never a traceback, a result from wrong data, or a file left
half-written under its final name. Every class runs through the `ita` command in-process (no kernel).

136 classes, one parametrized case each, grouped by input. Rejected = exit 2 and the message; read = exit 0, read
as the user meant.

| input | class | behaviour |
|---|---|---|
| score CSV | empty file; header only | rejected: "the file is empty"; "header but no data rows" |
| score CSV | binary bytes; another code page (Latin-1) | rejected: not UTF-8, save as 'CSV UTF-8' |
| score CSV | UTF-8 with BOM; Excel 'Unicode Text' (UTF-16, tabs, .txt) | read |
| score CSV | Thai Windows text (TIS-620/cp874, Excel's plain 'CSV' on Thai Windows) | read, with a note saying so |
| score CSV | ';' or tab as the delimiter | read (the delimiter that splits the first rows most) |
| score CSV | a double quote not closed; a row longer than the header (comma in a name) | rejected at its row |
| score CSV | a column twice; no fiscal-year column; indicator 11; one indicator missing | rejected |
| score CSV | extra columns; 20,000 unnamed columns; blank rows | read; unread columns told in at most 11 notes |
| scores | nan; inf; 1e309; -5; 101; text; '-'; empty; '90,5' (comma decimal); a short row | rejected at the cell |
| scores | Thai digits; spaces around; '90%' | read (a score is a percentage: 90% is 90) |
| fiscal year | C.E. 2023; negative; 9999; 2566.5; empty | rejected at the cell |
| rows | the same agency-year twice | rejected: duplicate score |
| agency name | empty; a NUL; another control character; starting = or @ (formula injection) | rejected at the cell |
| agency name | zero-width space; bidi override (U+202E) or isolate; ํา from a PDF | read in one spelling |
| agency name | a tone mark either side of ํ; เเ for แ; a tone mark typed twice; NFD; line break | read in one spelling |
| agency name | $...$ (MathJax); <script>; / \\ .. : * ? " < > |; 300 Thai letters | read as typed (outputs escape) |
| workbook | not a zip; password-protected (OLE); empty; dates in score cells; a merged agency cell | rejected |
| workbook | formulas never calculated (no cached value) | rejected: score is not a number (value '') |
| workbook | percentage-formatted cells (0.9 shown 90%) | read as 90, as the sheet shows |
| workbook | a formatted empty cell in column XFD on 20,000 rows (score or measures workbook) | read as its values |
| workbook | scores on a second or hidden sheet; numbers stored as text; .xlsm given by name | read, the sheet told |
| file type | .xls, .json, .ods given by name | rejected: unsupported file type |
| data folder | .xls / .xlsm in scores/; a score file beside scores/ | rejected, never skipped silently |
| data folder | missing; a file; no score files; scores/ a file; a folder named x.csv; a missing file | rejected |
| data folder | a FIFO or a /dev/zero link in scores/, measures/ (yaml, xlsx), progress/, questions/ | refused by name |
| data folder | a score file without read permission (fault injected: tests run as root) | rejected: no permission |
| measures | cp874; alias bomb; empty; a list; wrong types; indicator 11; twice; =formula unit; bad .xlsx | rejected |
| measures | an indicator given by its name | read |
| measures | a formula with no saved value (an issue's title) | rejected with the sheet, row and column |
| methodology | alias bomb; a weight missing; weights not summing to 1; NaN weight; cp874; empty | rejected |
| reported totals | not a number; a column missing; two totals for one agency-year (validate = score) | rejected |
| command line | --threshold nan/inf/-1/101/text; --jobs 0/-1; NUL in a path; control char or =... in --org | usage |
| command line | run --threshold nan/101; --digits; --plan-year C.E.; -p unknown; --formats; --years; none | rejected |
| command line | unknown agency or year; --data missing / a file / empty; --out a file / inside --data | rejected |
| output forms | a text starting = written to an Excel form | written as text, never a formula |
| output CSV | a rating label =HYPERLINK(...) from methodology.yaml in `ita score --format csv` | written '=..., inert |
| validate = run | a score row not a number; a measures file naming indicator 11 | exit 2 from both |
| full disk | a report file, manifest.json or index.html (ENOSPC) | exit 2 naming the path; summary; rerun |

Elsewhere, with kernels or output folders: a full disk (test_cli), truncated or edited reports
(test_publish), two runs on one output folder (test_publish), a score file edited mid-run (test_runner),
interrupted batches (test_runner; Ctrl-C at 30 moments in test_interrupts; a pool cut mid-result in
test_stop_pool), hostile agency names in output paths (test_runner, test_paths), a damaged manifest
(test_damaged_manifest), agencies no longer in the data (test_gone_agencies).
"""

from __future__ import annotations

import builtins
import csv
import datetime
import errno
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from conftest import BMA, REPO_ROOT
from ita_helpers.cli.main import main

HEADER = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"
SEED = REPO_ROOT / "data"
MEASURES = (SEED / "measures" / "bma_council_secretariat_2566.yaml").read_text(encoding="utf-8")
METHODOLOGY = (SEED / "methodology.yaml").read_text(encoding="utf-8")
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdef", "bcdefg"))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2040)  # how an encrypted workbook or an .xls file begins


def row(org: str = "ก", year: str = "2566", score: str = "90", count: int = 10) -> str:
    return f"{org},{year}," + ",".join([score] * count) + "\n"


def workbook(*rows: list, build: Callable | None = None) -> bytes:
    """An .xlsx file: a header row of agency, year and indicators 1-10, then `rows`; `build(sheet)` after."""
    book = openpyxl.Workbook()
    book.active.append(["หน่วยงาน", "ปีงบประมาณ", *range(1, 11)])
    for cells in rows:
        book.active.append(cells)
    if build:
        build(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_percent(sheet) -> None:
    for cell in sheet[2][2:]:
        cell.number_format = "0%"


def merged_agency(sheet) -> None:
    sheet.merge_cells("A2:A3")


def second_hidden_sheet(sheet) -> None:
    sheet.sheet_state = "hidden"
    sheet.parent.create_sheet("คำอธิบาย")


def empty_workbook() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


BROKEN = {  # file name -> (bytes, what the message says)
    "empty.csv": (b"", "the file is empty"),
    "header_only.csv": (HEADER.encode(), "the file has a header but no data rows"),
    "binary.csv": (bytes(range(256)) * 8, "the file is not UTF-8 text"),
    "latin1.csv": ((HEADER + row("Café")).encode("latin-1"), "save it with Save As and the type 'CSV UTF-8"),
    "open_quote.csv": ((HEADER + '"ก,2566,90\n').encode(), "row 2: the CSV file is damaged here: a double quote"),
    "comma_in_name.csv": ((HEADER + row("กรม ก, กอง ข")).encode(), "row 2: this row has 13 cells"),
    "columns_twice.csv": (("org,fiscal_year,1,1,2,3,4,5,6,7,8,9,10\nก,2566," + ",".join(["90"] * 11) + "\n").encode(),
                          "column 1 appears more than once in the header"),
    "no_year_column.csv": (("org,1,2,3,4,5,6,7,8,9,10\nก," + ",".join(["90"] * 10) + "\n").encode(),
                           "no header row names the fiscal year"),
    "indicator_11.csv": (("org,fiscal_year,1,2,3,4,5,6,7,8,9,10,11\nก,2566," + ",".join(["90"] * 11) + "\n").encode(),
                         "there is no indicator 11"),
    "indicator_missing.csv": (("org,fiscal_year,1,2,3,4,5,6,7,8,9\n" + row(count=9)).encode(),
                              "ก, 2566 lacks indicator 10"),
    "nan.csv": ((HEADER + row(score="nan")).encode(), "row 2, column '1': score is not a number (value 'nan')"),
    "inf.csv": ((HEADER + row(score="inf")).encode(), "score outside 0-100 (value 'inf')"),
    "huge.csv": ((HEADER + row(score="1e309")).encode(), "score outside 0-100 (value '1e309')"),
    "negative.csv": ((HEADER + row(score="-5")).encode(), "score outside 0-100 (value '-5')"),
    "over_100.csv": ((HEADER + row(score="101")).encode(), "score outside 0-100 (value '101')"),
    "text_score.csv": ((HEADER + row(score="ดี")).encode(), "score is not a number (value 'ดี')"),
    "dash_score.csv": ((HEADER + row(score="-")).encode(), "score is not a number (value '-')"),
    "empty_score.csv": ((HEADER + row(score="")).encode(), "score is not a number (value '')"),
    "comma_decimal.csv": ((HEADER + row(score='"90,5"')).encode(), "score is not a number (value '90,5')"),
    "short_row.csv": ((HEADER + "ก,2566,90\n").encode(), "score is not a number"),
    "christian_era.csv": ((HEADER + row(year="2023")).encode(), "Buddhist Era (B.E. = C.E. + 543"),
    "negative_year.csv": ((HEADER + row(year="-2566")).encode(), "Buddhist Era (B.E. = C.E. + 543"),
    "far_year.csv": ((HEADER + row(year="9999")).encode(), "no methodology for this fiscal year (known: 2562"),
    "half_year.csv": ((HEADER + row(year="2566.5")).encode(), "no methodology for this fiscal year"),
    "empty_year.csv": ((HEADER + row(year="")).encode(), "fiscal year is not a whole number (value '')"),
    "rows_twice.csv": ((HEADER + row() + row()).encode(), "row 3, column '1': duplicate score for ก, 2566"),
    "no_agency.csv": ((HEADER + row(org="")).encode(), "agency name is empty"),
    "nul_name.csv": ((HEADER + row("ก\0ข")).encode(), "control character (U+0000)"),
    "bell_name.csv": ((HEADER + row("ก\aข")).encode(), "row 2, column 'org': the name holds a control character"),
    "formula_name.csv": ((HEADER + row("=cmd|' /C calc'!A0")).encode(), "the name begins with '='"),
    "at_formula_name.csv": ((HEADER + row("@SUM(A1)")).encode(), "the name begins with '@'"),
    "not_a_workbook.xlsx": (b"PK\x03\x04 not a workbook", "it is not an Excel workbook, or it is damaged"),
    "password.xlsx": (OLE, "the workbook is protected with a password, or saved as an old Excel 97-2003 file"),
    "empty_workbook.xlsx": (empty_workbook(), "sheet 'Sheet': the sheet is empty"),
    "dates.xlsx": (workbook(["ก", 2566, *[datetime.date(2023, 1, 1)] * 10]),
                   "row 2, column '1': score is not a number (value '2023-01-01 00:00:00')"),
    "uncalculated.xlsx": (workbook(["ก", 2566, *["=80+10"] * 10]), "score is not a number (value '')"),
    "merged_agency.xlsx": (workbook(["ก", 2565, *[90] * 10], [None, 2566, *[90] * 10], build=merged_agency),
                           "row 3, column 'หน่วยงาน': agency name is empty"),
    "old_excel.xls": (OLE, "unsupported file type '.xls'"),
    "scores.json": (b"{}", "unsupported file type '.json'"),
    "calc.ods": (b"PK\x03\x04", "unsupported file type '.ods'"),
}
READ_AS_MEANT = {  # file name -> (bytes, the agency read, a note that must be given or "")
    "bom.csv": (("\ufeff" + HEADER + row()).encode(), "ก", ""),
    "unicode_text.txt": ((HEADER + row()).replace(",", "\t").encode("utf-16"), "ก", ""),
    "thai_windows.csv": ((HEADER + row("กรม")).encode("cp874"), "กรม", "read as Thai Windows text (TIS-620)"),
    "semicolons.csv": ((HEADER + row()).replace(",", ";").encode(), "ก", ""),
    "tabs.csv": ((HEADER + row()).replace(",", "\t").encode(), "ก", ""),
    "extra_columns.csv": ((HEADER.strip() + ",หมายเหตุ,จังหวัด\n" + row().strip() + ",x,y\n").encode(), "ก",
                          "column 'จังหวัด': column not read"),
    "many_columns.csv": ((HEADER.strip() + "," * 20000 + "\n" + row().strip() + ",1" * 20000 + "\n").encode(), "ก",
                         "and 19990 more columns not read"),
    "blank_rows.csv": ((HEADER + "\n,,,\n" + row() + "\n").encode(), "ก", ""),
    "thai_digits.csv": ((HEADER + row(year="๒๕๖๖", score="๙๐")).encode(), "ก", ""),
    "spaces.csv": ((HEADER + row(" ก ", " 2566 ", " 90 ")).encode(), "ก", ""),
    "percent.csv": ((HEADER + row(score="90%")).encode(), "ก", ""),
    "zero_width.csv": ((HEADER + row("กรม\u200bบัญชีกลาง")).encode(), "กรมบัญชีกลาง", ""),
    "pdf_sara_am.csv": ((HEADER + row("ส\u0e4d\u0e32นัก")).encode(), "สำนัก", ""),
    "pdf_sara_am_tone.csv": ((HEADER + row("กรมทรัพยากรน\u0e4d\u0e49\u0e32")).encode(), "กรมทรัพยากรน้ำ", ""),
    "bidi_override.csv": ((HEADER + row("กรม\u202eบัญชีกลาง\u2066")).encode(), "กรมบัญชีกลาง", ""),
    "two_sara_e.csv": ((HEADER + row("\u0e40\u0e40ขวงบางรัก")).encode(), "แขวงบางรัก", ""),
    "doubled_tone.csv": ((HEADER + row("กรมทรัพยากรน\u0e49\u0e49\u0e33")).encode(), "กรมทรัพยากรน้ำ", ""),
    "nfd.csv": ((HEADER + row("Cafe\u0301")).encode(), "Caf\u00e9", ""),
    "line_break.csv": ((HEADER + row('"กรม\nบัญชีกลาง"')).encode(), "กรม บัญชีกลาง", ""),
    "dollar_name.csv": ((HEADER + row("$x^2$ กรม")).encode(), "$x^2$ กรม", ""),
    "markup_name.csv": ((HEADER + row("<script>alert(1)</script>")).encode(), "<script>alert(1)</script>", ""),
    "path_name.csv": ((HEADER + row('"a/b\\..:*?""<>|"')).encode(), 'a/b\\..:*?"<>|', ""),
    "long_name.csv": ((HEADER + row("ก" * 300)).encode(), "ก" * 300, ""),
    "percent_cells.xlsx": (workbook(["ก", 2566, *[0.9] * 10], build=as_percent), "ก", ""),
    "hidden_sheet.xlsx": (workbook(["ก", 2566, *[90] * 10], build=second_hidden_sheet), "ก",
                          "scores read from sheet 'Sheet'"),
    "text_numbers.xlsx": (workbook(["ก", "2566", *["90"] * 10]), "ก", ""),
    "macros.xlsm": (workbook(["ก", 2566, *[90] * 10]), "ก", ""),
}


def no_traceback(out: str, err: str) -> None:
    assert "Traceback" not in out + err and "unexpected error" not in err


@pytest.mark.parametrize("command", ["validate", "score"])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_a_message_and_exit_2(tmp_path, capsys, command, name):
    data, said = BROKEN[name]
    (tmp_path / name).write_bytes(data)
    assert main([command, str(tmp_path / name)]) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert out == "" and said in err and name in err


@pytest.mark.parametrize("name", sorted(READ_AS_MEANT))
def test_a_file_typed_loosely_is_read_as_meant(tmp_path, capsys, name):
    data, org, note = READ_AS_MEANT[name]
    (tmp_path / name).write_bytes(data)
    assert main(["score", str(tmp_path / name), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    (scored,) = json.loads(out)
    assert (scored["org"], scored["fiscal_year"], scored["total"]) == (org, 2566, 90.0)
    assert note in err and len(err.splitlines()) <= 11


# --- data folders -------------------------------------------------------------------------------------

def data_folder(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """A data folder holding the seed's scores and `files` (None: a folder; text or bytes: a file)."""
    folder = root / "data"
    for name, content in {"scores/bma.csv": (SEED / "scores" / "bma.csv").read_bytes(), **files}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


TOTALS = "org,fiscal_year,reported_total\n"
BAD_FOLDERS = {  # class -> (files added to a good data folder, what the message says)
    "xls_in_scores": ({"scores/old.xls": OLE}, "old.xls: not a score file the suite reads"),
    "xlsm_in_scores": ({"scores/macros.xlsm": b"PK"}, "macros.xlsm: not a score file the suite reads"),
    "score_file_beside_scores": ({"more.csv": HEADER + row()}, "more.csv: a score file outside scores/"),
    "measures_cp874": ({"measures/m.yaml": MEASURES.encode("cp874", errors="replace")}, "m.yaml: not UTF-8 text"),
    "measures_alias_bomb": ({"measures/m.yaml": BOMB}, "anchors (&name) and aliases (*name) are not allowed"),
    "measures_empty": ({"measures/m.yaml": ""}, "m.yaml: the file is empty"),
    "measures_a_list": ({"measures/m.yaml": "- a\n- b\n"}, "expected one 'key: value' per line"),
    "measures_wrong_types": ({"measures/m.yaml": MEASURES.replace("results_year: 2566", "results_year: [1]")},
                             "'results_year' must be a fiscal year in Buddhist Era"),
    "measures_indicator_11": ({"measures/m.yaml": MEASURES.replace("indicators: [1, 6, 8]", "indicators: [1, 6, 11]")},
                              "issue 1: indicators must be indicator numbers 1-10 (line 12, value '11')"),
    "measures_twice": ({"measures/m.yaml": MEASURES, "measures/n.yaml": MEASURES},
                       "has measures in more than one file"),
    "measures_formula_unit": ({"measures/m.yaml": MEASURES.replace("unit: สำนักงาน", "unit: =HYPERLINK(1)สำนักงาน")},
                              "the name begins with '='"),
    "measures_damaged_xlsx": ({"measures/m.xlsx": b"PK\x03\x04junk"}, "m.xlsx: not an Excel workbook (.xlsx)"),
    "methodology_alias_bomb": ({"methodology.yaml": BOMB}, "expand to more than 100,000 values"),
    "methodology_weight_missing": ({"methodology.yaml": METHODOLOGY.replace("weight: 0.30, ", "")},
                                   "the key 'weight' is missing"),
    "methodology_weights_sum": ({"methodology.yaml": METHODOLOGY.replace("weight: 0.40", "weight: 0.50")},
                                "fiscal year 2566: tool weights sum to 1.1, not 1"),
    "methodology_nan_weight": ({"methodology.yaml": METHODOLOGY.replace("weight: 0.40", "weight: .nan")},
                               "fiscal year 2566: weights must be numbers from 0 to 1"),
    "methodology_cp874": ({"methodology.yaml": METHODOLOGY.encode("cp874", errors="replace")},
                          "methodology.yaml: not UTF-8 text"),
    "methodology_empty": ({"methodology.yaml": ""}, "methodology.yaml: not laid out as data/methodology.yaml"),
    "reported_total_not_a_number": ({"reported_totals.csv": TOTALS + f"{BMA},2566,abc\n"},
                                    "row 2, column 'reported_total': not a number (value 'abc')"),
    "reported_totals_column_missing": ({"reported_totals.csv": "org,year,x\n"}, "missing column fiscal_year"),
    "reported_totals_in_conflict": ({"reported_totals.csv": TOTALS + f"{BMA},2566,70\n",
                                     "scores/bma.csv": "org,fiscal_year,1,2,3,4,5,6,7,8,9,10,reported_total\n"
                                                       + row(BMA).strip() + ",88.98\n"},
                                    f"{BMA}, 2566 has two different reported totals: 70.00, 88.98"),
}


@pytest.mark.parametrize("command, case", [
    (command, case) for case in sorted(BAD_FOLDERS)
    for command in ("validate", "score")[:1 if case.startswith("measures") else 2]])
def test_a_broken_data_folder_is_a_message_and_exit_2(tmp_path, capsys, command, case):
    """`ita score` reads no measures: their problems are told by `ita validate` and fail their reports."""
    files, said = BAD_FOLDERS[case]
    assert main([command, str(data_folder(tmp_path, files))]) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert out == "" and said in err


def test_measures_naming_an_indicator_by_its_name_are_read(tmp_path, capsys):
    folder = data_folder(tmp_path, {"measures/m.yaml": MEASURES.replace("indicators: [1, 6, 8]",
                                                                        "indicators: [การปฏิบัติหน้าที่, 6, 8]")})
    assert main(["validate", str(folder)]) == 0
    assert capsys.readouterr().out == f"{folder}: OK, 1 agency-year\n"


@pytest.mark.parametrize("command", ["validate", "score"])
def test_a_folder_named_like_a_file_and_a_missing_file(tmp_path, capsys, command):
    (tmp_path / "folder.csv").mkdir()
    assert main([command, str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: file not found" in capsys.readouterr().err
    assert main([command, str(tmp_path / "folder.csv")]) == 2
    assert "scores/" in capsys.readouterr().err


@pytest.mark.parametrize("command, said", [("validate", "no indicator scores found"), ("score", "no score files in")])
@pytest.mark.parametrize("layout", [{}, {"scores": "a file, not a folder"}])
def test_a_folder_without_score_files(tmp_path, capsys, command, said, layout):
    for name, text in layout.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main([command, str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert said in err


@pytest.mark.parametrize("folder, name", [("scores", "scores.csv"), ("measures", "m.yaml"), ("measures", "m.xlsx"),
                                          ("progress", "p.xlsx"), ("questions", "q.xlsx")])
@pytest.mark.parametrize("special", ["fifo", "dev_zero"])
def test_a_pipe_or_a_device_is_refused_by_name_before_it_is_opened(tmp_path, capsys, folder, name, special):
    (tmp_path / "scores").mkdir()
    (tmp_path / "scores" / "real.csv").write_text(HEADER + row(), encoding="utf-8")
    (tmp_path / folder).mkdir(exist_ok=True)
    path = tmp_path / folder / name
    os.mkfifo(path) if special == "fifo" else path.symlink_to("/dev/zero")
    assert main(["validate", str(tmp_path)]) == 2  # an open pipe would wait for ever, /dev/zero never ends
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert name in err and "not a regular file" in err


def formatted_to_xfd(sheet, rows: int = 20_000) -> None:
    """One formatted empty cell in Excel's last column (XFD) on each of `rows` rows: the sheet then declares
    16,384 columns by 20,000 rows, which a reader that trusts it pads every row to."""
    bold = openpyxl.styles.Font(bold=True)
    for number in range(1, rows + 1):
        sheet.cell(row=number, column=16384).font = bold


def test_a_score_sheet_formatted_to_its_last_column_is_read_as_its_values(tmp_path, capsys, methodology):
    from ita_helpers.inputs.headers import Vocabulary
    from ita_helpers.inputs.loaders import read_sheet

    path = tmp_path / "scores" / "wide.xlsx"
    path.parent.mkdir()
    path.write_bytes(workbook(["ก", 2566, *[90] * 10], build=formatted_to_xfd))
    sheet, _notes = read_sheet(path, Vocabulary.of(methodology))
    # only the rows and columns that hold values are kept: 2 rows of 12 cells, not 20,000 of 16,384
    assert [len(cells) for cells in sheet.rows] == [12, 12] and sheet.rows[1][:3] == ["ก", "2566", "90"]
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path}: OK, 1 agency-year\n"


def test_a_measures_workbook_formatted_to_its_last_column_is_read_as_its_values(tmp_path, capsys, methodology):
    from ita_helpers.inputs.measures_xlsx import open_workbook, write_plan

    folder = data_folder(tmp_path, {})
    path = folder / "measures" / "m.xlsx"
    path.parent.mkdir()
    write_plan(load_measures_text(methodology), path, methodology.year(2566))
    book = openpyxl.load_workbook(path)
    formatted_to_xfd(book.worksheets[0], rows=5_000)
    book.save(path)
    opened = open_workbook(path, str(path))
    assert opened.worksheets[0].max_column < 20 and opened.worksheets[0].max_row < 100
    assert main(["validate", str(folder)]) == 0
    assert capsys.readouterr().out == f"{folder}: OK, 1 agency-year\n"


def load_measures_text(methodology):
    from ita_helpers.inputs.measures import load_measures

    return load_measures(SEED / "measures" / "bma_council_secretariat_2566.yaml", methodology)


def test_a_measures_formula_never_calculated_is_refused_with_its_cell(tmp_path, capsys, methodology):
    """A formula with no saved value reads as an empty cell: an empty issue cell would merge its row into the
    issue above, and validate would say OK."""
    from ita_helpers.inputs.measures_xlsx import find_table, write_plan

    folder = data_folder(tmp_path, {})
    path = folder / "measures" / "m.xlsx"
    path.parent.mkdir()
    write_plan(load_measures_text(methodology), path, methodology.year(2566))
    book = openpyxl.load_workbook(path)
    table = find_table(book)
    column = table.columns["title"][0]
    cell = table.sheet.cell(row=table.header_row + 2, column=column)  # the second issue's title
    cell.value = '="ประเด็น"&"ที่สอง"'
    book.save(path)  # openpyxl saves formulas without a value, as any program that does not calculate
    assert main(["validate", str(folder)]) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    letter = openpyxl.utils.get_column_letter(column)
    assert (f"m.xlsx, sheet 'มาตรการ', row {table.header_row + 2}, column '{letter}': a formula whose value was "
            "never saved") in err and "'=\"ประเด็น\"&\"ที่สอง\"'" in err


def test_a_score_file_without_read_permission(tmp_path, capsys, monkeypatch):
    # Tests run as root in CI, where chmod 000 still reads: the refusal is injected where the file is read.
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + row(), encoding="utf-8")
    real_open = builtins.open

    def refused(file, *args, **kwargs):
        if isinstance(file, str | Path) and Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refused)
    assert main(["score", str(path)]) == 2
    assert capsys.readouterr().err == f"ita score: cannot use {path}: no permission to read or write there\n"


# --- the command line ---------------------------------------------------------------------------------

@pytest.fixture
def no_rendering(monkeypatch):
    """Whatever these arguments are, no report may start: rendering them is a failure of the test."""
    def render(*args, **kwargs):
        raise AssertionError("bad arguments reached the rendering")

    monkeypatch.setattr("ita_helpers.batch.runner.run", render)


USAGE_ERRORS = {  # argv (after the command) -> what argparse's error line says
    "score --threshold nan": "argument --threshold: 'nan' is not a score from 0 to 100",
    "score --threshold inf": "argument --threshold: 'inf' is not a score from 0 to 100",
    "score --threshold -1": "argument --threshold: '-1' is not a score from 0 to 100",
    "score --threshold 101": "argument --threshold: '101' is not a score from 0 to 100",
    "score --threshold สูง": "argument --threshold: 'สูง' is not a score from 0 to 100",
    "run --all --jobs 0": "argument --jobs: '0' is not a whole number of 1 or more",
    "run --all --jobs -1": "argument --jobs: '-1' is not a whole number of 1 or more",
    "run --all --out o\0x": "argument --out: 'o\\x00x' cannot name a file: it holds the character NUL",
    "run --org =1+1": "argument --org: '=1+1': the name begins with '='",
    "init folder --org ก\x01": "argument --org: 'ก\\x01': the name holds a control character (U+0001)",
    "template measures --year 2566 --org ก --threshold nan": "argument --threshold: 'nan' is not a score",
}


@pytest.mark.parametrize("argv", sorted(USAGE_ERRORS))
def test_a_bad_option_value_is_a_usage_error(tmp_path, capsys, monkeypatch, no_rendering, argv):
    monkeypatch.chdir(tmp_path)
    command, *rest = argv.split(" ")
    with pytest.raises(SystemExit) as caught:
        main([command, *rest] if command != "score" else [command, str(SEED / "scores" / "bma.csv"), *rest])
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert caught.value.code == 2 and USAGE_ERRORS[argv] in err.splitlines()[-1] and not list(tmp_path.iterdir())


REFUSED_RUNS = {  # class -> (argv after `ita`, with {data} and {tmp}; what the message says)
    "run_threshold_nan": ("run --all --threshold nan", "parameter threshold: 'nan' is not a float"),
    "run_threshold_101": ("run --all --threshold 101", "threshold must be a score from 0 to 100, not 101.0"),
    "digits_unknown": ("run --all --digits roman", "digits must be thai or arabic, not 'roman'"),
    "plan_year_ce": ("run --all --plan-year 2025", "plan_year must be a Buddhist Era year"),
    "parameter_unknown": ("run --all -p colour red", "unknown parameter colour"),
    "formats_unknown": ("run --all --formats html,xlsx", "--formats: 'html,xlsx'; choose from html, pdf, docx"),
    "years_not_a_year": ("run --years 25x", "--years: '25x' is not a year or a range like 2562-2566"),
    "nothing_chosen": ("run", "say what to render: --all, --years and/or --org"),
    "agency_unknown": ("run --org ไม่มี", "no indicator scores for ไม่มี; agencies in the data: " + BMA),
    "year_unknown": (f"report --org {BMA} --year 2550", "no indicator scores of " + BMA + " for year(s) 2550"),
    "data_missing": ("run --all --data {tmp}/nowhere", "nowhere: data folder not found"),
    "data_a_file": ("run --all --data {tmp}/file", "file: data folder not found"),
    "data_empty": ("run --all --data {tmp}/empty", "no score files in"),
    "data_a_symlink_loop": ("run --all --data {tmp}/loop",
                            "loop: the folder is a symbolic link that points back to itself"),
    "out_a_file": ("run --all --out {tmp}/file", "cannot use {tmp}/file: a file stands where a folder is needed"),
    "out_year_a_symlink_outside": ("run --all --out {tmp}/linked", "linked/2566 leads outside --out"),
    "out_inside_data": ("run --all --data {data} --out {data}/scores", "is inside the data folder"),
    "preview_out_inside_data": ("preview --org ก --year 2566 --data {data} --out {data}/scores",
                                "is inside the data folder"),
    "preview_formats_docx_only": ("preview --org ก --year 2566 --data {data} --formats docx",
                                  "--formats of a preview needs html or pdf"),
    "preview_out_year_a_symlink_outside": ("preview --org ก --year 2566 --data {data} --out {tmp}/linked",
                                           "linked/2566 leads outside --out"),
    "preview_formats_unknown": ("preview --org ก --year 2566 --data {data} --formats pdf,xlsx",
                                "--formats: 'pdf,xlsx'; choose from html, pdf, docx"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_RUNS))
def test_a_run_that_cannot_be_made_is_refused_before_any_report(tmp_path, capsys, no_rendering, case):
    argv, said = REFUSED_RUNS[case]
    data = data_folder(tmp_path, {})
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "2566").symlink_to(tmp_path / "empty")
    words = [word.format(data=data, tmp=tmp_path) for word in argv.split(" ")]
    words += [] if "--out" in words else ["--out", str(tmp_path / "out")]
    words += [] if "--formats" in words else ["--formats", "html"]
    assert main(words) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert said.format(tmp=tmp_path) in err and len(err.splitlines()) <= 2
    assert not [p for p in tmp_path.rglob("report.*")] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--formats", "pdf"], ["--engine", "chromium"]])
def test_a_preview_told_formats_without_out_is_refused(tmp_path, capsys, no_rendering, option):
    """--formats and --engine choose the files of --out: without it they would be ignored in silence."""
    data = data_folder(tmp_path, {})
    assert main(["preview", "--org", "ก", "--year", "2566", "--data", str(data), *option]) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert "--formats and --engine choose the files that --out writes" in err


def test_a_text_starting_like_a_formula_stays_text_in_an_excel_form(tmp_path, methodology):
    from dataclasses import replace

    from ita_helpers.inputs.measures import load_measures
    from ita_helpers.inputs.measures_xlsx import write_plan

    plan = load_measures(SEED / "measures" / "bma_council_secretariat_2566.yaml", methodology)
    first = replace(plan.issues[0], measures=("=HYPERLINK(\"http://example.com\",\"click\")",))
    write_plan(replace(plan, issues=(first, *plan.issues[1:])), tmp_path / "m.xlsx", methodology.year(2566))
    cells = [cell for sheet in openpyxl.load_workbook(tmp_path / "m.xlsx").worksheets
             for line in sheet.iter_rows() for cell in line if str(cell.value).startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_label_starting_like_a_formula_stays_text_in_score_csv(tmp_path, capsys):
    """A rating label comes from the folder's methodology.yaml: every CSV cell is guarded, whatever its source."""
    import re

    labels = re.sub(r"\{label: ([^,]+),", r"""{label: '=HYPERLINK("http://x","\1")',""", METHODOLOGY)
    folder = data_folder(tmp_path, {"methodology.yaml": labels})
    assert main(["score", str(folder), "--format", "csv"]) == 0
    cells = [cell for line in csv.reader(io.StringIO(capsys.readouterr().out)) for cell in line]
    assert '\'=HYPERLINK("http://x","ผ่าน")' in cells  # the seed's agency, 2566: 88.98
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


@pytest.mark.parametrize("argv, said", [
    (["score", str(SEED / "scores" / "bma.csv"), "--threshold", "nan"], "'nan' ไม่ใช่คะแนนตั้งแต่ 0 ถึง 100"),
    (["run", "--org", "=1+1"], "ชื่อขึ้นต้นด้วย '=' ซึ่งโปรแกรมตารางคำนวณจะถือเป็นจุดเริ่มต้นของสูตร"),
])
def test_option_values_are_refused_in_thai_by_default(capsys, monkeypatch, no_rendering, argv, said):
    monkeypatch.setenv("ITA_LANG", "th")
    with pytest.raises(SystemExit):
        main(argv)
    assert said in capsys.readouterr().err


# --- the same bad input, validated and run; a full disk -------------------------------------------------

BROKEN_MEASURES = (f"unit: x\nscores_org: {BMA}\nresults_year: 2566\nplan_year: 2567\nissues:\n  - title: t\n"
                   "    indicators: [11]\n    measures: [m]\n    responsible: r\n    steps: [s]\n")
AGREE = {  # class -> (files added to a good data folder, what both commands say)
    "score_row_not_a_number": ({"scores/other.csv": HEADER + row("ข", score="abc")}, "score is not a number"),
    "measures_indicator_11": ({"measures/broken.yaml": BROKEN_MEASURES}, "indicators must be indicator numbers 1-10"),
}


@pytest.mark.parametrize("case", sorted(AGREE))
def test_validate_and_run_say_exit_2_for_the_same_bad_input(tmp_path, capsys, monkeypatch, case):
    from support import RenderingBackend

    monkeypatch.setattr("ita_helpers.batch.backends.make_backend", RenderingBackend)
    files, said = AGREE[case]
    data = data_folder(tmp_path, files)
    assert main(["validate", str(data)]) == 2
    assert said in capsys.readouterr().err
    assert main(["run", "--all", "--data", str(data), "--out", str(tmp_path / "out"), "--formats", "html"]) == 2
    out, err = capsys.readouterr()
    no_traceback(out, err)
    assert said in out  # named in the summary, beside what was rendered


@pytest.mark.parametrize("where", ["report.html", "manifest.json", "index.html"])
def test_a_full_disk_names_the_path_being_written_and_the_rerun_prints_its_summary(tmp_path, capsys, monkeypatch,
                                                                                    where):
    """A real write that fails (ENOSPC) raises an OSError without a file name: injected as such."""
    from support import RenderingBackend

    monkeypatch.setattr("ita_helpers.batch.backends.make_backend", RenderingBackend)
    real = Path.write_bytes
    stem, suffix = where.split(".")

    def full(path, data):
        if path.name.startswith(stem) and path.name.endswith(f".{suffix}") or path.suffix == ".tmp" and \
                path.name.startswith(f"{stem}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data)

    data, out = data_folder(tmp_path, {}), tmp_path / "out"
    argv = ["run", "--all", "--data", str(data), "--out", str(out), "--formats", "html"]
    monkeypatch.setattr(Path, "write_bytes", full)
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    no_traceback(printed, err)
    written = err.split("cannot use ", 1)[1].split(": ")[0]
    assert err.endswith(": the disk is full\n") and Path(written).name.startswith(stem)
    assert Path(written).is_relative_to(out) and not Path(written).exists()  # named, nothing half-written left
    assert printed.startswith("0 rendered" if where == "report.html" else "1 rendered")
    monkeypatch.setattr(Path, "write_bytes", real)
    assert main(argv) == 0  # the disk has room again
    printed = capsys.readouterr().out
    rerun = "1 rendered" if where == "report.html" else "0 rendered (0 with warnings), 0 failed, 1 up to date"
    assert printed.startswith(rerun)
    assert (out / "index.html").exists() and json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
