"""Loaders: every bad input is an ITADataError naming row, column and value, and loads nothing;
long/wide and CSV/XLSX forms of the same scores give the same frame."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import BMA, BMA_2566
from ita_helpers.core.errors import ITADataError, NoDataRows
from ita_helpers.inputs.dataset import load_dataset
from ita_helpers.inputs.loaders import load_score_files, load_scores

WIDE_HEADER = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10,source"
SEED_CELLS = ",".join(f"{s:.2f}" for s in BMA_2566)  # 92.27,77.83,...,100.00


def wide_row(org="A", year="2566", cells=SEED_CELLS, source="test"):
    return f"{org},{year},{cells},{source}"


def write(folder: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def problems_of(path: Path, methodology) -> ITADataError:
    with pytest.raises(ITADataError) as caught:
        load_scores(path, methodology)
    return caught.value


def only_problem(path: Path, methodology):
    err = problems_of(path, methodology)
    assert len(err.problems) == 1, str(err)
    return err.problems[0]


def long_lines(org="A", year="2566", scores=BMA_2566, indicators=range(1, 11)):
    return [f"{org},{year},{n},{s}" for n, s in zip(indicators, scores, strict=False)]


# --- a good file -----------------------------------------------------------------------------

def test_good_wide_file(tmp_path, methodology):
    scores = load_scores(write(tmp_path, "ok.csv", WIDE_HEADER, wide_row()), methodology)
    frame = scores.indicators
    assert list(frame.columns) == ["org", "fiscal_year", "indicator", "score", "source", "file"]
    assert frame["indicator"].tolist() == list(range(1, 11))
    assert frame["score"].tolist() == BMA_2566
    assert set(frame["fiscal_year"]) == {2566}


def test_utf8_with_bom_loads(tmp_path, methodology):
    plain = load_scores(write(tmp_path, "plain.csv", WIDE_HEADER, wide_row()), methodology)
    bom = load_scores(write(tmp_path, "bom.csv", WIDE_HEADER, wide_row(), encoding="utf-8-sig"), methodology)
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(plain.indicators.drop(columns="file"), bom.indicators.drop(columns="file"))


def test_reported_total_column_is_kept(tmp_path, methodology):
    path = write(tmp_path, "rt.csv", "org,fiscal_year,1,2,3,4,5,6,7,8,9,10,reported_total",
                 f"{BMA},2566,{SEED_CELLS},88.98")
    totals = load_scores(path, methodology).reported_totals
    assert totals[["org", "fiscal_year", "reported_total"]].values.tolist() == [[BMA, 2566, 88.98]]


# --- one problem each --------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["101", "-0.01", "100.5"])
def test_score_outside_0_100(tmp_path, methodology, bad):
    path = write(tmp_path, "range.csv", WIDE_HEADER, wide_row(cells=SEED_CELLS.replace("77.83", bad)))
    problem = only_problem(path, methodology)
    assert (problem.rule, problem.row, problem.column, problem.value) == ("score outside 0-100", 2, "2", bad)


@pytest.mark.parametrize(("cell", "bad"), [("abc", "abc"), ("", ""), ("nan", "nan"), ('"92,27"', "92,27")])
def test_score_not_a_number(tmp_path, methodology, cell, bad):
    path = write(tmp_path, "nan.csv", "org,fiscal_year,indicator,score",
                 *long_lines(scores=[cell if n == 1 else s for n, s in enumerate(BMA_2566, start=1)]))
    problem = only_problem(path, methodology)
    assert (problem.rule, problem.row, problem.column, problem.value) == ("score is not a number", 2, "score", bad)


def test_unknown_indicator_in_long_form_suggests_official_name(tmp_path, methodology):
    lines = long_lines(indicators=[*range(1, 10), "การป้องกันการทุจริด"])  # misspelt ต -> ด
    err = problems_of(write(tmp_path, "unknown.csv", "org,fiscal_year,indicator,score", *lines), methodology)
    unknown = [p for p in err.problems if p.column == "indicator"]
    assert len(unknown) == 1
    assert unknown[0].row == 11 and unknown[0].value == "การป้องกันการทุจริด"
    assert "unknown indicator" in unknown[0].rule
    assert "did you mean 10 การป้องกันการทุจริต (Corruption prevention)?" in unknown[0].rule


def test_unknown_indicator_column_in_wide_form_suggests_official_name(tmp_path, methodology):
    header = WIDE_HEADER.replace(",2,", ",Use of budjet,")
    err = problems_of(write(tmp_path, "unknown.csv", header, wide_row()), methodology)
    column = [p for p in err.problems if p.column == "Use of budjet"]
    assert len(column) == 1 and column[0].row == 1
    assert "did you mean 2 การใช้งบประมาณ (Use of budget)?" in column[0].rule
    assert any("lacks indicator 2" in p.rule for p in err.problems)


def test_duplicate_agency_year_indicator(tmp_path, methodology):
    lines = long_lines() + ["A,2566,7,81.22"]
    problem = only_problem(write(tmp_path, "dup.csv", "org,fiscal_year,indicator,score", *lines), methodology)
    assert problem.rule == "duplicate score for A, 2566, indicator 7"
    assert problem.row == 12


def test_agency_year_missing_indicators(tmp_path, methodology):
    lines = long_lines(scores=BMA_2566[:8], indicators=range(1, 9))
    problem = only_problem(write(tmp_path, "missing.csv", "org,fiscal_year,indicator,score", *lines), methodology)
    assert problem.rule == "A, 2566 lacks indicators 9, 10"
    assert problem.row == 2


def test_fiscal_year_without_methodology(tmp_path, methodology):
    problem = only_problem(write(tmp_path, "y.csv", WIDE_HEADER, wide_row(year="2561")), methodology)
    assert problem.column == "fiscal_year" and problem.value == "2561" and problem.row == 2
    assert "no methodology for this fiscal year" in problem.rule
    assert "2562, 2563, 2564, 2565, 2566, 2567, 2568" in problem.rule


@pytest.mark.parametrize("year", ["2569", "2570", "2572"])
def test_2569_and_the_years_just_after_it_validate(tmp_path, methodology, year):
    scores = load_scores(write(tmp_path, "y.csv", WIDE_HEADER, wide_row(year=year)), methodology)
    assert scores.indicators["fiscal_year"].unique().tolist() == [int(year)]
    assert len(scores.indicators) == 10


def test_a_later_year_missing_an_indicator_is_told_with_the_latest_frameworks_indicators(tmp_path, methodology):
    lines = long_lines(year="2570", scores=BMA_2566[:9], indicators=range(1, 10))
    problem = only_problem(write(tmp_path, "m.csv", "org,fiscal_year,indicator,score", *lines), methodology)
    assert problem.rule == "A, 2570 lacks indicator 10"


def test_a_year_far_after_the_latest_stays_refused(tmp_path, methodology):
    problem = only_problem(write(tmp_path, "y.csv", WIDE_HEADER, wide_row(year="2573")), methodology)
    assert "no methodology for this fiscal year" in problem.rule and problem.value == "2573"


@pytest.mark.parametrize("ce_year", ["2023", "2399"])
def test_christian_era_year_is_an_error_not_converted(tmp_path, methodology, ce_year):
    problem = only_problem(write(tmp_path, "ce.csv", WIDE_HEADER, wide_row(year=ce_year)), methodology)
    assert problem.column == "fiscal_year" and problem.value == ce_year
    assert "Buddhist Era" in problem.rule and "2023 -> 2566" in problem.rule


def test_a_row_whose_year_cannot_be_told_is_counted_with_no_agency_year(tmp_path, methodology):
    """The first agency in order of names, with a row of no year beside a complete year: one problem, the
    year's (that row is not an agency-year short of indicators, nor another agency's)."""
    lines = ["A,,1,90", *long_lines(), *long_lines(org="B", scores=BMA_2566[:9], indicators=range(1, 10))]
    err = problems_of(write(tmp_path, "y.csv", "org,fiscal_year,indicator,score", *lines), methodology)
    assert sorted((p.row, p.rule) for p in err.problems) == [
        (2, "fiscal year is not a whole number"), (13, "B, 2566 lacks indicator 10")]


@pytest.mark.parametrize("years", [("123456789", "123456790"), ("2566.3", "2566.30000001")])
def test_years_that_are_no_year_are_never_told_as_the_same_agency_year(tmp_path, methodology, years):
    """Kept in float32, such years may look alike; they name no agency-year, so no duplicate is told."""
    err = problems_of(write(tmp_path, "y.csv", WIDE_HEADER, wide_row(year=years[0]), wide_row(year=years[1])),
                      methodology)
    assert not [p for p in err.problems if "duplicate" in p.rule]
    assert {p.value for p in err.problems if p.column == "fiscal_year"} == set(years)


def test_a_national_files_years_and_indicators_take_two_bytes_a_row(tmp_path, methodology):
    scores = load_scores(write(tmp_path, "w.csv", WIDE_HEADER, wide_row(), wide_row(org="B")), methodology)
    assert scores.indicators.dtypes[["fiscal_year", "indicator"]].tolist() == ["int16", "int16"]
    assert scores.indicators["fiscal_year"].tolist() == [2566] * 20


@pytest.mark.parametrize("year", ["2566.5", "two thousand"])
def test_fiscal_year_not_a_whole_number(tmp_path, methodology, year):
    err = problems_of(write(tmp_path, "y.csv", WIDE_HEADER, wide_row(year=year)), methodology)
    assert any(p.rule == "fiscal year is not a whole number" and p.value == year for p in err.problems)


def test_empty_agency_name(tmp_path, methodology):
    problem = only_problem(write(tmp_path, "org.csv", WIDE_HEADER, wide_row(org=" ")), methodology)
    assert (problem.rule, problem.row, problem.column) == ("agency name is empty", 2, "org")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(tmp_path, methodology, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert only_problem(path, methodology).rule == "the file is empty"


def test_header_only(tmp_path, methodology):
    problem = only_problem(write(tmp_path, "header.csv", WIDE_HEADER), methodology)
    assert problem.rule == "the file has a header but no data rows"


def test_header_missing(tmp_path, methodology):
    problem = only_problem(write(tmp_path, "nohead.csv", wide_row(), wide_row(org="B")), methodology)
    assert problem.row == 1
    assert problem.rule.startswith("no header row names the fiscal year and the indicators")
    assert "accepted: fiscal year: ปีงบประมาณ, ปี พ.ศ., fiscal_year; each indicator" in problem.rule


def test_thai_windows_text_is_read_with_a_note_and_other_code_pages_are_refused(tmp_path, methodology):
    scores = load_scores(write(tmp_path, "tis620.csv", WIDE_HEADER, wide_row(org=BMA), encoding="cp874"), methodology)
    assert set(scores.indicators["org"]) == {BMA} and "read as Thai Windows text (TIS-620)" in scores.notes[0].rule
    problem = only_problem(write(tmp_path, "latin1.csv", WIDE_HEADER, wide_row(org="Café"), encoding="latin-1"),
                           methodology)
    assert "not UTF-8" in problem.rule and "CSV UTF-8" in problem.rule


def test_unsupported_file_type(tmp_path, methodology):
    path = write(tmp_path, "scores.ods", WIDE_HEADER, wide_row())
    assert "unsupported file type '.ods'" in only_problem(path, methodology).rule


def test_missing_file(tmp_path, methodology):
    assert only_problem(tmp_path / "absent.csv", methodology).rule == "file not found"


# --- many problems at once, nothing loaded ---------------------------------------------------

def test_all_problems_reported_together_with_row_column_value(tmp_path, methodology):
    path = write(
        tmp_path, "many.csv", WIDE_HEADER,
        wide_row(org="A"),                                              # row 2: fine
        wide_row(org="B", cells=SEED_CELLS.replace("77.83", "abc")),   # row 3: not a number
        wide_row(org="C", year="2023"),                                 # row 4: C.E. year
        wide_row(org="D", cells=SEED_CELLS.replace("78.37", "178.37")),  # row 5: out of range
        wide_row(org="E", year="2561"),                                 # row 6: no methodology
    )
    err = problems_of(path, methodology)
    found = [(p.row, p.column, p.value, p.rule.split(";")[0].split(" (")[0]) for p in err.problems]
    assert found == [
        (3, "2", "abc", "score is not a number"),
        (4, "fiscal_year", "2023", "fiscal year looks like a Christian-Era year"),
        (5, "8", "178.37", "score outside 0-100"),
        (6, "fiscal_year", "2561", "no methodology for this fiscal year"),
    ]
    message = str(err)
    assert message.startswith("4 problems found:")
    assert f"{path}, row 3, column '2': score is not a number (value 'abc')" in message
    assert f"{path}, row 5, column '8': score outside 0-100 (value '178.37')" in message


def test_partly_bad_folder_loads_nothing(tmp_path, methodology):
    (tmp_path / "scores").mkdir()
    (tmp_path / "methodology.yaml").write_bytes((Path(methodology.source)).read_bytes())
    write(tmp_path / "scores", "good.csv", WIDE_HEADER, wide_row(org="good"))
    write(tmp_path / "scores", "bad.csv", WIDE_HEADER, wide_row(org="good2"),
          wide_row(org="bad", cells=SEED_CELLS.replace("100.00", "x", 1)))
    with pytest.raises(ITADataError) as caught:
        load_dataset(tmp_path)
    assert [(Path(p.file).name, p.row, p.value) for p in caught.value.problems] == [("bad.csv", 3, "x")]
    with pytest.raises(ITADataError):
        load_score_files(sorted((tmp_path / "scores").glob("*.csv")), methodology)


def test_same_agency_year_in_two_files(tmp_path, methodology):
    first = write(tmp_path, "a.csv", WIDE_HEADER, wide_row())
    second = write(tmp_path, "b.csv", WIDE_HEADER, wide_row())
    with pytest.raises(ITADataError) as caught:
        load_score_files([first, second], methodology)
    assert [p.rule for p in caught.value.problems] == ["A, 2566 has scores in more than one file"]


# --- equivalent forms ------------------------------------------------------------------------

WIDE_FRAME = pd.DataFrame(
    [[BMA, 2566, *BMA_2566, "seed"], ["synthetic-agency-00001", 2567, *range(91, 101), "synthetic"]],
    columns=["org", "fiscal_year", *map(str, range(1, 11)), "source"],
)


def long_of(wide: pd.DataFrame) -> pd.DataFrame:
    return wide.melt(id_vars=["org", "fiscal_year", "source"], var_name="indicator", value_name="score")


@pytest.mark.parametrize("form", ["wide.xlsx", "long.csv", "long.xlsx"])
def test_long_wide_csv_xlsx_give_identical_frames(tmp_path, methodology, form):
    WIDE_FRAME.to_csv(tmp_path / "wide.csv", index=False)
    shape, suffix = form.split(".")
    frame = WIDE_FRAME if shape == "wide" else long_of(WIDE_FRAME)
    if suffix == "csv":
        frame.to_csv(tmp_path / form, index=False)
    else:
        frame.to_excel(tmp_path / form, index=False, engine="openpyxl")
    expected = load_scores(tmp_path / "wide.csv", methodology).indicators.drop(columns="file")
    got = load_scores(tmp_path / form, methodology).indicators.drop(columns="file")
    pd.testing.assert_frame_equal(got, expected)
    assert got.loc[got["org"] == BMA, "score"].tolist() == BMA_2566


def test_bad_xlsx_reports_row_and_column(tmp_path, methodology):
    frame = WIDE_FRAME.astype({"3": object})
    frame.loc[1, "3"] = "n/a"
    frame.to_excel(tmp_path / "bad.xlsx", index=False, engine="openpyxl")
    problem = only_problem(tmp_path / "bad.xlsx", methodology)
    assert (problem.rule, problem.row, problem.column, problem.value) == ("score is not a number", 3, "3", "n/a")


NAMED_HEADER = ("org,fiscal_year,การปฏิบัติหน้าที่,Use of budget,การใช้อำนาจ,การใช้ทรัพย์สินของทางราชการ,"
                "การแก้ไขปัญหาการทุจริต,Quality of operations,ประสิทธิภาพการสื่อสาร,การปรับปรุงการทำงาน,"
                "Open data,corruption  prevention,source")


def test_wide_columns_by_thai_english_names_and_aliases(tmp_path, methodology):
    numbered = load_scores(write(tmp_path, "numbered.csv", WIDE_HEADER, wide_row()), methodology)
    named = load_scores(write(tmp_path, "named.csv", NAMED_HEADER, wide_row()), methodology)
    pd.testing.assert_frame_equal(named.indicators.drop(columns="file"), numbered.indicators.drop(columns="file"))


@pytest.mark.parametrize("label", ["การใช้ทรัพย์สินของทางราชการ", "Use of government property",
                                   "USE OF GOVERNMENT PROPERTY", "๔", " 4 "])
def test_long_form_accepts_every_name_of_an_indicator(tmp_path, methodology, label):
    lines = long_lines(indicators=[1, 2, 3, label, 5, 6, 7, 8, 9, 10])
    frame = load_scores(write(tmp_path, "named.csv", "org,fiscal_year,indicator,score", *lines), methodology).indicators
    assert frame["indicator"].tolist() == list(range(1, 11))
    assert frame.loc[3, "score"] == 77.95


def test_thai_digits_in_years_and_scores(tmp_path, methodology):
    thai = wide_row(year="๒๕๖๖", cells=SEED_CELLS.replace("92.27", "๙๒.๒๗").replace("100.00", "๑๐๐.๐๐"))
    got = load_scores(write(tmp_path, "thai.csv", WIDE_HEADER, thai), methodology).indicators
    expected = load_scores(write(tmp_path, "arabic.csv", WIDE_HEADER, wide_row()), methodology).indicators
    pd.testing.assert_frame_equal(got.drop(columns="file"), expected.drop(columns="file"))
    assert got["fiscal_year"].unique().tolist() == [2566] and got.loc[0, "score"] == 92.27


def test_thai_digit_indicator_numbers_in_long_form(tmp_path, methodology):
    lines = long_lines(year="๒๕๖๖", indicators="๑ ๒ ๓ ๔ ๕ ๖ ๗ ๘ ๙ ๑๐".split())
    frame = load_scores(write(tmp_path, "thai.csv", "org,fiscal_year,indicator,score", *lines), methodology).indicators
    assert frame["indicator"].tolist() == list(range(1, 11))


# --- known weak spots: clear messages in odd layouts -----------------------------------------

def test_reported_total_problem_reported_once_in_wide_form(tmp_path, methodology):
    path = write(tmp_path, "rt.csv", "org,fiscal_year,1,2,3,4,5,6,7,8,9,10,reported_total",
                 f"{BMA},2566,{SEED_CELLS},abc")
    problem = only_problem(path, methodology)
    assert (problem.row, problem.column, problem.value) == (2, "reported_total", "abc")


def test_duplicate_numbered_column_is_named_as_duplicate(tmp_path, methodology):
    path = write(tmp_path, "twice.csv", "org,fiscal_year,1,2,3,3,4,5,6,7,8,9,10",
                 "A,2566,92.27,77.83,85.85,85.85,77.95,78.31,82.88,81.22,78.37,100,100")
    problem = only_problem(path, methodology)
    assert problem.rule == "column 3 appears more than once in the header"


def test_long_form_indicator_label_whitespace_is_normalised_like_wide_headers(tmp_path, methodology):
    """Wide headers collapse repeated spaces (text pasted from PDFs); long-form labels should too."""
    lines = long_lines(indicators=[1, 2, 3, "Use of  government property", 5, 6, 7, 8, 9, 10])
    frame = load_scores(write(tmp_path, "named.csv", "org,fiscal_year,indicator,score", *lines), methodology).indicators
    assert frame["indicator"].tolist() == list(range(1, 11))


@pytest.mark.parametrize("line", [
    f"B, Inc.,2566,{SEED_CELLS},test",  # unquoted comma in an agency name: one field too many
    f'"A,2566,{SEED_CELLS},test',         # unterminated quote
], ids=["extra-field", "unterminated-quote"])
def test_malformed_csv_is_a_data_error(tmp_path, methodology, line):
    path = write(tmp_path, "malformed.csv", WIDE_HEADER, wide_row(), line)
    err = problems_of(path, methodology)  # not a pandas ParserError or ValueError
    assert err.problems and all(p.file == str(path) for p in err.problems)


def test_every_row_with_one_field_too_many_is_a_data_error(tmp_path, methodology):
    """pandas silently takes the first column as the index when every row has one extra field."""
    path = write(tmp_path, "shifted.csv", "org,fiscal_year,indicator,score",
                 *[f"A,2566,{n},{int(s)},{round(s % 1 * 100)}" for n, s in enumerate(BMA_2566, start=1)])
    problems_of(path, methodology)


# --- files as agencies make them in Excel ------------------------------------------------------

THAI_HEADER = ["หน่วยงาน", "ปีงบประมาณ", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 11)], "คะแนนรวม"]
BMA_ROW = [BMA, "2566", *SEED_CELLS.split(","), "88.98"]


def xlsx(path: Path, *sheets: tuple[str, list[list]], merged: dict[str, str] | None = None) -> Path:
    """A workbook of `sheets` (name, rows), cells as given (numbers stay numbers); `merged`: sheet -> range."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cell(number, column, value)
        if merged and name in merged:
            sheet.merge_cells(merged[name])
    book.save(path)
    return path


def csv_file(path: Path, *rows: list) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def bma_scores(scores) -> list[float]:
    frame = scores.indicators
    return frame.loc[(frame["org"] == BMA) & (frame["fiscal_year"] == 2566), "score"].tolist()


def replaced(header: list[str], number: int, form: str) -> list[str]:
    return [form if h == f"ตัวชี้วัดที่ {number}" else h for h in header]


@pytest.mark.parametrize("form", [
    "1", "๑", "ตัวชี้วัดที่ 1", "ตัวชี้วัดที่1", "ตัวชี้วัดที่ ๑", "1. การปฏิบัติหน้าที่", "1 การปฏิบัติหน้าที่",
    "1.การปฏิบัติหน้าที่", "การปฏิบัติหน้าที่", "การ ปฏิบัติหน้าที่", "Performance of duties", "ตัวชี้วัดที่\n1",
    "ตัวชี้วัดที่\u00a01\nการปฏิบัติหน้าที่", "1 การปฏิบัติหน้าที่ (Performance of duties)",
])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_indicator_header_form_reads_the_same_scores(tmp_path, methodology, form, suffix):
    rows = [replaced(THAI_HEADER, 1, form), BMA_ROW]
    path = csv_file(tmp_path / "f.csv", *rows) if suffix == ".csv" else xlsx(tmp_path / "f.xlsx", ("Sheet1", rows))
    scores = load_scores(path, methodology)
    assert bma_scores(scores) == BMA_2566
    assert scores.reported_totals["reported_total"].tolist() == [88.98]


@pytest.mark.parametrize(("org", "year", "total"), [
    ("หน่วยงาน", "ปีงบประมาณ", "คะแนนรวม"), ("ชื่อหน่วยงาน", "ปี พ.ศ.", "คะแนน ITA"),
    ("org", "fiscal_year", "reported_total"),
    ("ชื่อ\nหน่วยงาน", "ปี\u00a0พ.ศ.", "คะแนน\nITA"), ("ORG", "Fiscal Year", "REPORTED TOTAL"),
])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_agency_year_and_total_header_forms(tmp_path, methodology, org, year, total, suffix):
    rows = [[org, year, *THAI_HEADER[2:-1], total], BMA_ROW]
    path = csv_file(tmp_path / "f.csv", *rows) if suffix == ".csv" else xlsx(tmp_path / "f.xlsx", ("Sheet1", rows))
    scores = load_scores(path, methodology)
    assert bma_scores(scores) == BMA_2566
    assert scores.reported_totals[["org", "fiscal_year", "reported_total"]].values.tolist() == [[BMA, 2566, 88.98]]


def test_indicator_number_and_name_that_disagree_are_an_error_naming_both(tmp_path, methodology):
    path = csv_file(tmp_path / "f.csv", replaced(THAI_HEADER, 2, "2. การปฏิบัติหน้าที่"), BMA_ROW)
    err = problems_of(path, methodology)
    header = [p for p in err.problems if p.column == "2. การปฏิบัติหน้าที่"]
    assert len(header) == 1 and header[0].row == 1
    assert "indicator 2, 2 การใช้งบประมาณ" in header[0].rule and "indicator 1, 1 การปฏิบัติหน้าที่" in header[0].rule


@pytest.mark.parametrize("merged", [True, False], ids=["merged-title", "plain-title"])
def test_title_rows_above_the_header_in_a_workbook(tmp_path, methodology, merged):
    rows = [["ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"], [], THAI_HEADER, BMA_ROW,
            ["B", "2566", *SEED_CELLS.replace("85.85", "abc").split(","), ""]]
    path = xlsx(tmp_path / "title.xlsx", ("คะแนน", rows), merged={"คะแนน": "A1:M1"} if merged else None)
    err = problems_of(path, methodology)
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in err.problems] == [
        (f"{path}, sheet 'คะแนน'", 5, "ตัวชี้วัดที่ 3", "abc", "score is not a number")]  # row 5 as Excel shows it
    rows[4] = ["B", "2566", *SEED_CELLS.split(","), ""]
    xlsx(path, ("คะแนน", rows), merged={"คะแนน": "A1:M1"} if merged else None)
    scores = load_scores(path, methodology)
    assert bma_scores(scores) == BMA_2566 and len(scores.indicators) == 20
    assert scores.notes == ()
    assert not any("Unnamed" in str(value) for value in scores.indicators.to_numpy().ravel())


def test_title_rows_above_the_header_in_a_csv_file(tmp_path, methodology):
    path = csv_file(tmp_path / "title.csv", ["ผลการประเมิน ITA ประจำปี 2566", *[""] * 12], [""] * 13, [],
                    THAI_HEADER, BMA_ROW, [], ["B", "2566", *SEED_CELLS.replace("92.27", "101").split(","), ""])
    problem = only_problem(path, methodology)
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 7, "ตัวชี้วัดที่ 1", "101")


def test_blank_rows_and_rows_of_the_agencys_own_columns_only_are_not_data(tmp_path, methodology):
    header = ["ลำดับ", *THAI_HEADER, "หมายเหตุ"]
    path = csv_file(tmp_path / "f.csv", header, ["1", *BMA_ROW, "ตรวจแล้ว"], [""] * 15, ["2", *[""] * 13, " "],
                    ["3", " ", *[""] * 13])
    assert bma_scores(load_scores(path, methodology)) == BMA_2566


def test_the_agencys_own_columns_are_ignored_but_an_unknown_indicator_column_is_an_error(tmp_path, methodology):
    header = ["ลำดับ", *THAI_HEADER, "หมายเหตุ"]
    good = csv_file(tmp_path / "good.csv", header, ["๑", *BMA_ROW, "ข้อมูลจากรายงาน"])
    scores = load_scores(good, methodology)
    assert bma_scores(scores) == BMA_2566 and scores.notes == ()
    bad = csv_file(tmp_path / "bad.csv", [*header, "ตัวชี้วัดที่ 11"], ["๑", *BMA_ROW, "", "90"])
    err = problems_of(bad, methodology)
    assert [(p.row, p.column, p.rule.split(";")[0]) for p in err.problems] == [
        (1, None, "the header has columns that cannot be read"),
        (1, "ตัวชี้วัดที่ 11", "there is no indicator 11: the indicators are numbered 1 to 10")]


def test_other_columns_are_not_read_and_the_reader_is_told(tmp_path, methodology):
    path = xlsx(tmp_path / "f.xlsx", ("Sheet1", [[*THAI_HEADER, "จังหวัด", "", "IIT"],
                                                [*BMA_ROW, "กรุงเทพมหานคร", "x", 82.44]]))
    scores = load_scores(path, methodology)
    assert bma_scores(scores) == BMA_2566
    where = f"{path}, sheet 'Sheet1'"
    assert [(n.file, n.row, n.column, n.rule) for n in scores.notes] == [
        (where, 1, "จังหวัด", "column not read: its header is none of those accepted"),
        (where, 1, "O", "this column has values but no header; it was not read"),
        (where, 1, "IIT", "column not read: its header is none of those accepted")]


def test_a_second_header_row_of_indicator_numbers_under_group_headers(tmp_path, methodology):
    groups = ["ลำดับ", "หน่วยงาน", "ปีงบประมาณ", "IIT", "", "", "", "", "EIT", "", "", "OIT", "", "คะแนนรวม"]
    numbers = ["", "", "", *map(str, range(1, 11)), ""]
    bad = ["2", "B", "2566", *SEED_CELLS.replace("78.31", "-1").split(","), ""]
    path = xlsx(tmp_path / "two.xlsx", ("Sheet1", [["ผลการประเมิน"], groups, numbers, ["1", *BMA_ROW], bad]),
                merged={"Sheet1": "D2:H2"})
    problem = only_problem(path, methodology)
    assert (problem.row, problem.column, problem.rule) == (5, "5", "score outside 0-100")


def test_thai_digits_and_excel_numbers_in_a_workbook(tmp_path, methodology):
    thai = [BMA, "๒๕๖๖", *[s.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) for s in SEED_CELLS.split(",")],
            "๘๘.๙๘"]
    numbers = ["B", 2566, *BMA_2566, 88.98]  # numbers typed as numbers: Excel stores them as such
    scores = load_scores(xlsx(tmp_path / "f.xlsx", ("Sheet1", [THAI_HEADER, thai, numbers])), methodology)
    assert bma_scores(scores) == BMA_2566
    frame = scores.indicators
    assert frame.loc[frame["org"] == "B", "score"].tolist() == BMA_2566
    assert scores.reported_totals["reported_total"].tolist() == [88.98, 88.98]


def test_long_form_with_thai_headers_and_indicator_labels(tmp_path, methodology):
    labels = ["ตัวชี้วัดที่ ๑", "2. การใช้งบประมาณ", "3", "การใช้ทรัพย์สินของทางราชการ", *map(str, range(5, 11))]
    path = csv_file(tmp_path / "long.csv", ["ชื่อหน่วยงาน", "ปี พ.ศ.", "ตัวชี้วัด", "คะแนน"],
                    *[[BMA, "๒๕๖๖", label, score] for label, score in zip(labels, BMA_2566, strict=True)])
    assert bma_scores(load_scores(path, methodology)) == BMA_2566


# --- workbooks of several sheets ----------------------------------------------------------------

INSTRUCTIONS = ("คำอธิบาย", [["วิธีกรอกข้อมูล"], ["1. กรอกชื่อหน่วยงานในคอลัมน์ หน่วยงาน"],
                             ["หน่วยงาน", "ปีงบประมาณ"]])  # names two columns, but no indicator: not a score table


def test_the_scores_sheet_is_found_after_an_instructions_sheet(tmp_path, methodology):
    path = xlsx(tmp_path / "f.xlsx", INSTRUCTIONS, ("ผลคะแนน", [THAI_HEADER, BMA_ROW]))
    scores = load_scores(path, methodology)
    assert bma_scores(scores) == BMA_2566
    assert [(n.file, n.rule) for n in scores.notes] == [
        (str(path), "scores read from sheet 'ผลคะแนน' (the workbook's sheets: 'คำอธิบาย', 'ผลคะแนน')")]


def test_scores_on_the_second_sheet_problems_name_it(tmp_path, methodology):
    bad = [BMA, "2566", *SEED_CELLS.replace("100.00", "ร้อย", 1).split(","), ""]
    path = xlsx(tmp_path / "f.xlsx", ("Sheet1", [["หมายเหตุ: ข้อมูลจาก ป.ป.ช."]]), ("Sheet2", [THAI_HEADER, bad]))
    problem = only_problem(path, methodology)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        f"{path}, sheet 'Sheet2'", 2, "ตัวชี้วัดที่ 9", "ร้อย")


def test_other_sheets_that_look_like_score_tables_are_reported_not_skipped(tmp_path, methodology):
    path = xlsx(tmp_path / "f.xlsx", INSTRUCTIONS, ("2566", [THAI_HEADER, BMA_ROW]),
                ("2565", [THAI_HEADER, [BMA, "2565", *SEED_CELLS.split(","), ""]]))
    scores = load_scores(path, methodology)
    assert set(scores.indicators["fiscal_year"]) == {2566}
    assert [n.rule.split(" (")[0] for n in scores.notes] == [
        "scores read from sheet '2566'", "sheet '2565' also looks like a score table but was not read"]


def test_sheet_names_the_sheet_to_read(tmp_path, methodology):
    path = xlsx(tmp_path / "f.xlsx", INSTRUCTIONS, ("2566", [THAI_HEADER, BMA_ROW]),
                ("2565", [THAI_HEADER, [BMA, "2565", *SEED_CELLS.split(","), ""]]))
    scores = load_scores(path, methodology, sheet="2565")
    assert set(scores.indicators["fiscal_year"]) == {2565} and scores.notes == ()
    assert load_score_files([path], methodology, sheet=" 2565 ").indicators.equals(scores.indicators)
    problem = only_problem_of(lambda: load_scores(path, methodology, sheet="2564"))
    assert problem.rule == "the workbook has no sheet named '2564'; its sheets: 'คำอธิบาย', '2566', '2565'"
    problem = only_problem_of(lambda: load_scores(path, methodology, sheet="คำอธิบาย"))
    assert problem.file == f"{path}, sheet 'คำอธิบาย'" and problem.row == 3
    assert problem.rule.startswith("no indicator columns; accepted: each indicator by its number or name")


def test_a_workbook_without_a_score_sheet(tmp_path, methodology):
    path = xlsx(tmp_path / "f.xlsx", INSTRUCTIONS, ("ว่าง", [["ไม่มีข้อมูล"]]))
    problem = only_problem(path, methodology)
    assert problem.rule.startswith("no sheet of this workbook ('คำอธิบาย', 'ว่าง') has a header row naming the fiscal "
                                   "year and the indicators; accepted: fiscal year: ปีงบประมาณ")


def only_problem_of(load):
    with pytest.raises(ITADataError) as caught:
        load()
    assert len(caught.value.problems) == 1, str(caught.value)
    return caught.value.problems[0]


# --- messages -----------------------------------------------------------------------------------

def test_unknown_header_lists_the_accepted_forms_in_english(tmp_path, methodology):
    path = csv_file(tmp_path / "f.csv", replaced(THAI_HEADER, 7, "ประสิทธิภาพการสื่อสร"), BMA_ROW)
    err = problems_of(path, methodology)
    forms, unknown = [p for p in err.problems if p.row == 1]
    assert unknown.column == "ประสิทธิภาพการสื่อสร"
    assert unknown.rule == "unknown indicator column; did you mean 7 ประสิทธิภาพการสื่อสาร (Communication efficiency)?"
    assert forms.rule.startswith("the header has columns that cannot be read; the indicators of 2566: "
                                 "1 การปฏิบัติหน้าที่")  # the file's year


def test_unknown_header_names_the_years_indicators_in_thai(tmp_path, methodology, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    path = xlsx(tmp_path / "f.xlsx", ("ผลคะแนน", [["ผลการประเมิน"], replaced(THAI_HEADER, 7, "ตัวชี้วัดที่ 11"), BMA_ROW]))
    message = str(problems_of(path, methodology))
    assert message.startswith("พบปัญหา 3 รายการ:")
    assert (f"{path} แผ่นงาน 'ผลคะแนน' แถวที่ 2: แถวหัวตารางมีคอลัมน์ที่อ่านไม่ได้; ตัวชี้วัดของปีงบประมาณ 2566: "
            "1 การปฏิบัติหน้าที่, 2 การใช้งบประมาณ,") in message
    assert "ชื่อหน่วยงาน, org" not in message  # only what is wrong: the agency and year columns were read
    assert (f"{path} แผ่นงาน 'ผลคะแนน' แถวที่ 2 คอลัมน์ 'ตัวชี้วัดที่ 11': ไม่มีตัวชี้วัดที่ 11: "
            "ตัวชี้วัดมีเลขที่ 1 ถึง 10") in message
    assert f"{path} แผ่นงาน 'ผลคะแนน' แถวที่ 3: {BMA} ปีงบประมาณ 2566 ขาดตัวชี้วัดที่ 7" in message


def test_problems_in_thai_name_file_sheet_row_column_and_value(tmp_path, methodology, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    rows = [["ผลการประเมิน ITA"], [], THAI_HEADER, [BMA, "2023", *SEED_CELLS.replace("77.83", "๑๑๗.๘๓").split(","), ""]]
    message = str(problems_of(xlsx(tmp_path / "f.xlsx", ("Sheet1", rows)), methodology))
    where = f"{tmp_path / 'f.xlsx'} แผ่นงาน 'Sheet1' แถวที่ 4"
    assert f"{where} คอลัมน์ 'ตัวชี้วัดที่ 2': คะแนนอยู่นอกช่วง 0-100 (ค่าที่พบ '๑๑๗.๘๓')" in message
    assert f"{where} คอลัมน์ 'ปีงบประมาณ': ปีงบประมาณนี้ดูเหมือนเป็นปีคริสต์ศักราช" in message


@pytest.mark.parametrize("lang, rule", [
    ("en", "the file is not UTF-8 text"), ("th", "ไฟล์ไม่ได้บันทึกเป็นข้อความแบบ UTF-8"),
])
def test_file_level_messages_are_translated(tmp_path, methodology, monkeypatch, lang, rule):
    monkeypatch.setenv("ITA_LANG", lang)
    problem = only_problem(write(tmp_path, "latin1.csv", WIDE_HEADER, wide_row(org="Café"), encoding="latin-1"),
                           methodology)
    assert problem.rule.startswith(rule) and "byte" not in problem.rule


def test_a_damaged_workbook_is_a_problem_of_its_file(tmp_path, methodology):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    problem = only_problem(path, methodology)
    assert problem.file == str(path) and problem.rule.startswith("cannot read the file (")


# --- the held-back style: a workbook as an agency makes it ---------------------------------------

def test_a_workbook_as_an_agency_makes_it(tmp_path, methodology):
    """An instructions sheet first; then a merged title, a blank row, Thai headers in mixed forms (Alt+Enter,
    non-breaking spaces, Thai digits), a row-number column and a note column, Thai-digit and numeric cells."""
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    header = ["ลำดับ", "หน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดที่ ๑", "ตัวชี้วัดที่ ๒", "ตัวชี้วัดที่\n๓", "ตัวชี้วัดที่ ๔",
              "ตัวชี้วัดที่\u00a0๕", "6. คุณภาพการดำเนินงาน", "7. ประสิทธิภาพการสื่อสาร", "8. การปรับปรุงระบบการทำงาน",
              "9 การเปิดเผยข้อมูล", "การป้องกันการทุจริต", "คะแนนรวม", "หมายเหตุ"]
    synthetic = [95.5, 90, 88.25, 91, 87.5, 85, 80.75, 79, 100, 93.33]
    rows = [
        ["ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"],
        [],
        header,
        ["๑", BMA, "๒๕๖๖", *[f"{s:.2f}".translate(thai) for s in BMA_2566], "๘๘.๙๘", "ตามรายงานของ ป.ป.ช."],
        [2, "หน่วยงานสังเคราะห์ ก", 2566, *synthetic, None, None],
    ]
    instructions = ("คำอธิบาย", [["คำอธิบายการกรอกแบบฟอร์ม"], ["กรอกคะแนนในแผ่นงาน ผลคะแนน ทศนิยมสองตำแหน่ง"],
                                 ["ปีงบประมาณเป็น พ.ศ."]])
    path = xlsx(tmp_path / "ita_2566.xlsx", instructions, ("ผลคะแนน", rows), merged={"ผลคะแนน": "A1:O1"})

    scores = load_scores(path, methodology)

    frame = scores.indicators
    assert bma_scores(scores) == BMA_2566
    assert frame.loc[frame["org"] == "หน่วยงานสังเคราะห์ ก", "score"].tolist() == synthetic
    assert frame["indicator"].tolist() == list(range(1, 11)) * 2
    assert scores.reported_totals[["org", "fiscal_year", "reported_total"]].values.tolist() == [[BMA, 2566, 88.98]]
    assert [n.rule for n in scores.notes] == [
        "scores read from sheet 'ผลคะแนน' (the workbook's sheets: 'คำอธิบาย', 'ผลคะแนน')"]


def test_a_data_row_without_agency_and_year_is_not_taken_for_a_second_header_row(tmp_path, methodology):
    path = csv_file(tmp_path / "f.csv", THAI_HEADER, ["", "", *map(str, range(1, 11)), ""], BMA_ROW)
    found = {(p.row, p.column, p.rule) for p in problems_of(path, methodology).problems}
    assert {(2, "หน่วยงาน", "agency name is empty"), (2, "ปีงบประมาณ", "fiscal year is not a whole number")} <= found


def test_notes_reach_the_data_folders_scores(tmp_path, methodology):
    (tmp_path / "scores").mkdir()
    xlsx(tmp_path / "scores" / "f.xlsx", INSTRUCTIONS, ("ผลคะแนน", [THAI_HEADER, BMA_ROW]))
    notes = load_dataset(tmp_path).scores.notes
    assert [n.rule.split(" (")[0] for n in notes] == ["scores read from sheet 'ผลคะแนน'"]


# --- large files: read in chunks, or only some agencies' rows ------------------------------------

def chunked_file(folder: Path) -> Path:
    """Problems on both sides of chunk boundaries: a title row and blank rows above and among the data, an
    agency-year given twice far apart, two reported totals of one agency-year, an unheaded column filled
    only near the end."""
    header = WIDE_HEADER.replace(",source", ",คะแนนรวม,,source")
    rows = [wide_row(org=f"A{n}", cells=SEED_CELLS + ",88.98,") for n in range(8)]
    rows[1] = wide_row(org="A1", cells=SEED_CELLS.replace("77.83", "x") + ",88.98,")  # row 5
    rows[6] = wide_row(org="A0", cells=SEED_CELLS + ",70.00,")  # row 10: A0 again, another total
    rows[7] = wide_row(org="A7", cells=SEED_CELLS + ",88.98,note")  # a value under no header
    return write(folder, "chunked.csv", "ITA scores (title row)", "", header, *rows[:3], "", *rows[3:], "")


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 5])
def test_chunks_give_the_problems_and_notes_of_the_whole_file_with_its_row_numbers(tmp_path, methodology,
                                                                                    chunk_rows):
    path = chunked_file(tmp_path)
    with pytest.raises(ITADataError) as whole:
        load_scores(path, methodology)
    with pytest.raises(ITADataError) as chunked:
        load_scores(path, methodology, chunk_rows=chunk_rows)
    assert list(map(str, chunked.value.problems)) == list(map(str, whole.value.problems))
    shown = [(p.rule.split(",")[0], p.row, p.column, p.value) for p in whole.value.problems]
    # title, blank, header, three rows, blank: A0 again is row 11 (problems sorted by row, then column)
    twice = sorted((str(n), s) for n, s in zip(range(1, 11), BMA_2566, strict=True))
    assert shown == [("score is not a number", 5, "2", "x")] + [
        ("duplicate score for A0", 11, column, value) for column, value in twice] + [
        ("two different reported totals for one agency-year", 11, "คะแนนรวม", 70.0)]


@pytest.mark.parametrize("chunk_rows", [1, 4, 7])
def test_an_agency_year_split_across_chunks_reads_as_one(tmp_path, methodology, chunk_rows):
    lines = long_lines(org="A") + long_lines(org="B")
    path = write(tmp_path, "long.csv", "org,fiscal_year,indicator,score", *lines[::2], *lines[1::2])
    whole = load_scores(path, methodology)
    chunked = load_scores(path, methodology, chunk_rows=chunk_rows)
    pd.testing.assert_frame_equal(chunked.indicators, whole.indicators)
    assert len(whole.indicators) == 20


def test_a_note_on_a_column_without_header_from_the_last_chunk(tmp_path, methodology):
    lines = [wide_row(org=f"A{n}") for n in range(5)] + [wide_row(org="A5") + ",kept aside"]
    path = write(tmp_path, "aside.csv", WIDE_HEADER + ",", *lines)
    notes = load_scores(path, methodology, chunk_rows=2).notes
    assert [(n.rule, n.row, n.column) for n in notes] == [
        ("this column has values but no header; it was not read", 1, "N")]


def test_only_the_named_agencies_rows_are_read(tmp_path, methodology):
    path = write(tmp_path, "two.csv", WIDE_HEADER, wide_row(org="A"), wide_row(org="B", cells="x" + SEED_CELLS[5:]))
    scores = load_scores(path, methodology, orgs={"A"}, chunk_rows=1)
    assert set(scores.indicators["org"]) == {"A"} and len(scores.indicators) == 10
    with pytest.raises(ITADataError) as caught:
        load_scores(path, methodology, orgs={"B"})
    assert [(p.rule, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("score is not a number", 3, "1", "x")]
    with pytest.raises(NoDataRows):
        load_scores(path, methodology, orgs={"C"})


@pytest.mark.parametrize("form", ["wide", "long"])
def test_a_plain_file_read_quickly_gives_what_the_exact_reading_gives(tmp_path, methodology, form, monkeypatch):
    """A double quote anywhere makes the exact reading read the file: the same cells otherwise."""
    from ita_helpers.inputs import loaders

    readings = []
    checked = loaders._checked_scores
    monkeypatch.setattr(loaders, "_checked_scores", lambda *args, **kw: readings.append(kw.get("quick", False))
                        or checked(*args, **kw))
    if form == "wide":
        header = WIDE_HEADER.replace(",source", ",คะแนนรวม,source")
        rows = [wide_row(org=f"A{n}", year=str(2562 + n % 7), cells=SEED_CELLS + ",88.98") for n in range(30)]
    else:
        header = "org,fiscal_year,indicator,score,source"
        rows = [f"{line},test" for n in range(30) for line in long_lines(org=f"A{n}")]
    plain = load_scores(write(tmp_path, "plain.csv", header, *rows), methodology, chunk_rows=7)
    quoted = load_scores(write(tmp_path, "quoted.csv", header, *rows[:-1], rows[-1].replace("test", '"test"')),
                         methodology, chunk_rows=7)
    assert readings == [True, False]
    pd.testing.assert_frame_equal(plain.indicators.drop(columns="file"), quoted.indicators.drop(columns="file"))
    pd.testing.assert_frame_equal(plain.reported_totals, quoted.reported_totals)
    assert len(plain.indicators) == 300
