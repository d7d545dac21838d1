"""Loaders: every bad input is an ITADataError naming row, column and value, and loads nothing;
long/wide and CSV/XLSX forms of the same scores give the same frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import BMA, BMA_2566
from ita_helpers.dataset import load_dataset
from ita_helpers.errors import ITADataError
from ita_helpers.loaders import load_score_files, load_scores

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


@pytest.mark.parametrize("ce_year", ["2023", "2399"])
def test_christian_era_year_is_an_error_not_converted(tmp_path, methodology, ce_year):
    problem = only_problem(write(tmp_path, "ce.csv", WIDE_HEADER, wide_row(year=ce_year)), methodology)
    assert problem.column == "fiscal_year" and problem.value == ce_year
    assert "Buddhist Era" in problem.rule and "2023 -> 2566" in problem.rule


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
    assert problem.rule.startswith("no header row found: a header row names at least the agency and the fiscal year")
    assert "agency: หน่วยงาน, ชื่อหน่วยงาน, org; fiscal year: ปีงบประมาณ, ปี พ.ศ., fiscal_year" in problem.rule


def test_non_utf8_file(tmp_path, methodology):
    path = write(tmp_path, "tis620.csv", WIDE_HEADER, wide_row(org=BMA), encoding="cp874")
    problem = only_problem(path, methodology)
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
