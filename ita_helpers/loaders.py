"""Reading ITA score files (CSV or XLSX, long or wide form) with whole-file validation.

A file is checked completely before anything is returned: every problem is collected and
raised together as one ITADataError, and a partly bad file yields nothing.

Long form: one row per agency, year and indicator: ``org,fiscal_year,indicator,score``.
Wide form, as published tables print it: ``org,fiscal_year,1,2,...,10`` where an indicator
column may also be named by any known Thai or English name.
Both may carry ``reported_total`` (the published total) and ``source``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import ITADataError, Problem
from .methodology import Methodology
from .thai import TO_ARABIC

KEYS = ["org", "fiscal_year"]
OPTIONAL = ["reported_total", "source"]
LONG = ["indicator", "score"]
FIRST_DATA_ROW = 2  # row numbers as a spreadsheet shows them: the header is row 1
LOWEST_BE_YEAR = 2400  # anything below is a Christian-Era year, not a Thai fiscal year


@dataclass(frozen=True)
class Scores:
    """Validated scores: indicator scores in long form, and the published totals given with them."""

    indicators: pd.DataFrame  # org, fiscal_year, indicator, score, source, file
    reported_totals: pd.DataFrame  # org, fiscal_year, reported_total, source

    @staticmethod
    def concat(parts: Iterable[Scores]) -> Scores:
        parts = list(parts)
        return Scores(
            pd.concat([p.indicators for p in parts], ignore_index=True) if parts else _empty_indicators(),
            pd.concat([p.reported_totals for p in parts], ignore_index=True) if parts else _empty_totals(),
        )


def _empty_indicators() -> pd.DataFrame:
    return pd.DataFrame({
        "org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
        "indicator": pd.Series(dtype="int64"), "score": pd.Series(dtype="float64"),
        "source": pd.Series(dtype="string"), "file": pd.Series(dtype="string"),
    })


def _empty_totals() -> pd.DataFrame:
    return pd.DataFrame({
        "org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
        "reported_total": pd.Series(dtype="float64"), "source": pd.Series(dtype="string"),
    })


def read_table(path: Path) -> pd.DataFrame:
    """A CSV (UTF-8, with or without BOM) or XLSX file as text cells, with clean header names."""
    name = str(path)
    if not path.exists():
        raise ITADataError(Problem(name, "file not found"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            table = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        except ValueError as err:  # openpyxl's words for an empty or broken workbook
            raise ITADataError(Problem(name, f"cannot read the workbook: {err}")) from None
    elif path.suffix.lower() in (".csv", ".txt"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ITADataError(Problem(
                name, f"not UTF-8 text (byte {err.start}); save it as 'CSV UTF-8'"
            )) from None
        if not text.strip():
            raise ITADataError(Problem(name, "the file is empty"))
        rows = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(rows)]
        twice = sorted({c for c in header if header.count(c) > 1})
        if twice and all(key in header for key in KEYS):
            raise ITADataError(Problem(name, f"column {', '.join(twice)} appears more than once in the header", 1))
        too_long = [Problem(name, f"row has {len(row)} fields but the header names {len(header)}", number)
                    for number, row in enumerate(rows, start=FIRST_DATA_ROW) if len(row) > len(header)]
        if too_long:
            raise ITADataError(too_long)
        try:
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True,
                                index_col=False)
        except pd.errors.ParserError as err:
            raise ITADataError(Problem(name, f"not a well-formed CSV table: {err}")) from None
    else:
        raise ITADataError(Problem(name, f"unsupported file type {path.suffix!r}; use .csv or .xlsx"))
    table.columns = [" ".join(str(c).split()) for c in table.columns]
    return table


def _numbers(cells: pd.Series) -> pd.Series:
    """Text cells (Arabic or Thai digits) as floats; anything else becomes NaN."""
    text = cells.astype("string").str.translate(TO_ARABIC).str.strip()
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _problems_at(mask: pd.Series, table: pd.DataFrame, name: str, column: str, rule: str) -> list[Problem]:
    rows = table.index[mask.to_numpy()]
    return [Problem(name, rule, int(r) + FIRST_DATA_ROW, column, table.at[r, column]) for r in rows]


def _to_long(table: pd.DataFrame, name: str, methodology: Methodology) -> tuple[pd.DataFrame, list[Problem]]:
    """Melt a wide table into long form, naming each indicator column by its number."""
    problems: list[Problem] = []
    indicator_columns: dict[str, int] = {}
    for column in table.columns:
        if column in KEYS or column in OPTIONAL:
            continue
        number = methodology.indicator_number(column)
        if number is None:
            closest = methodology.closest_indicator(column)
            hint = f"; did you mean {closest}?" if closest else ""
            problems.append(Problem(name, f"unknown indicator column{hint}", 1, column))
        elif number in indicator_columns.values():
            problems.append(Problem(name, f"indicator {number} has two columns", 1, column))
        else:
            indicator_columns[column] = number
    table = table.assign(_row=table.index)
    long = table.melt(
        id_vars=["_row", *[c for c in KEYS + OPTIONAL if c in table.columns]],
        value_vars=list(indicator_columns), var_name="_column", value_name="score",
    )
    long["indicator"] = long["_column"].map(indicator_columns).astype("Int64")
    return long, problems


def _long_indicators(table: pd.DataFrame, name: str, methodology: Methodology) -> tuple[pd.DataFrame, list[Problem]]:
    long = table.assign(_row=table.index, _column="score")
    labels = long["indicator"].astype("string")
    numbers = {label: methodology.indicator_number(label) for label in labels.unique()}
    long["indicator"] = labels.map(numbers).astype("Int64")
    problems = []
    for row in long.index[long["indicator"].isna()]:
        closest = methodology.closest_indicator(table.at[row, "indicator"])
        hint = f"; did you mean {closest}?" if closest else ""
        problems.append(Problem(name, f"unknown indicator{hint}", int(row) + FIRST_DATA_ROW, "indicator",
                                table.at[row, "indicator"]))
    return long, problems


def _check_years(table: pd.DataFrame, name: str, methodology: Methodology) -> tuple[pd.Series, list[Problem]]:
    years = _numbers(table["fiscal_year"])
    problems = _problems_at(years.isna() | (years % 1 != 0), table, name, "fiscal_year",
                            "fiscal year is not a whole number")
    problems += _problems_at(years < LOWEST_BE_YEAR, table, name, "fiscal_year",
                             "fiscal year looks like a Christian-Era year; ITA years are Buddhist Era "
                             "(B.E. = C.E. + 543, e.g. 2023 -> 2566)")
    known = pd.Series(sorted(methodology.years), dtype="float64")
    unknown = (years >= LOWEST_BE_YEAR) & ~years.isin(known)
    problems += _problems_at(unknown, table, name, "fiscal_year",
                             f"no methodology for this fiscal year (known: {', '.join(map(str, methodology.years))})")
    return years, problems


def load_scores(path: Path | str, methodology: Methodology) -> Scores:
    """Read and validate one score file; raises ITADataError listing every problem in it."""
    path = Path(path)
    name = str(path)
    table = read_table(path)
    missing = [c for c in KEYS if c not in table.columns]
    if missing:
        raise ITADataError(Problem(
            name, f"header missing or incomplete: no column {', '.join(missing)}; the first row must name "
                  f"the columns, e.g. org,fiscal_year,1,2,...,10 or org,fiscal_year,indicator,score",
            1, None, ",".join(table.columns)))
    if table.empty:
        raise ITADataError(Problem(name, "the file has a header but no data rows"))

    problems: list[Problem] = []
    problems += _problems_at(table["org"].str.strip() == "", table, name, "org", "agency name is empty")
    years, year_problems = _check_years(table, name, methodology)
    problems += year_problems
    table = table.assign(org=table["org"].str.strip(), fiscal_year=years)

    if all(c in table.columns for c in LONG):
        long, shape_problems = _long_indicators(table, name, methodology)
    else:
        long, shape_problems = _to_long(table, name, methodology)
    problems += shape_problems

    scores = _numbers(long["score"])
    bad_number = scores.isna()
    for _, cell in long[bad_number].iterrows():
        problems.append(Problem(name, "score is not a number", int(cell["_row"]) + FIRST_DATA_ROW,
                                cell["_column"], cell["score"]))
    for _, cell in long[~bad_number & ((scores < 0) | (scores > 100))].iterrows():
        problems.append(Problem(name, "score outside 0-100", int(cell["_row"]) + FIRST_DATA_ROW,
                                cell["_column"], cell["score"]))
    long["score"] = scores

    identified = long.dropna(subset=["indicator", "fiscal_year"])
    duplicated = identified.duplicated(["org", "fiscal_year", "indicator"], keep="first")
    for _, cell in identified[duplicated].iterrows():
        problems.append(Problem(
            name, f"duplicate score for {cell['org']}, {int(cell['fiscal_year'])}, indicator {int(cell['indicator'])}",
            int(cell["_row"]) + FIRST_DATA_ROW, cell["_column"], cell["score"]))
    problems += _completeness(identified, name, methodology)

    totals, total_problems = _reported_totals(long, name)
    problems += total_problems
    if problems:
        raise ITADataError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))

    source = long["source"] if "source" in long else pd.Series(name, index=long.index)
    indicators = pd.DataFrame({
        "org": long["org"].astype("string"),
        "fiscal_year": long["fiscal_year"].astype("int64"),
        "indicator": long["indicator"].astype("int64"),
        "score": long["score"],
        "source": source.astype("string"),
        "file": pd.Series(name, index=long.index, dtype="string"),
    })
    return Scores(indicators.sort_values(["org", "fiscal_year", "indicator"], ignore_index=True), totals)


def _completeness(long: pd.DataFrame, name: str, methodology: Methodology) -> list[Problem]:
    """Every agency-year must have every indicator of its year's methodology."""
    known_years = long[long["fiscal_year"].isin(list(methodology.years))]
    counts = known_years.groupby(["org", "fiscal_year"], sort=False)["indicator"].nunique()
    expected = counts.index.get_level_values("fiscal_year").map(lambda y: len(methodology.years[int(y)].indicators))
    problems = []
    for org, year in counts.index[counts.to_numpy() < expected.to_numpy()]:
        rows = known_years[(known_years["org"] == org) & (known_years["fiscal_year"] == year)]
        missing = sorted(set(methodology.years[int(year)].indicator_numbers) - set(rows["indicator"].astype(int)))
        problems.append(Problem(
            name, f"{org}, {int(year)} lacks indicator{'s' if len(missing) > 1 else ''} "
                  f"{', '.join(map(str, missing))}", int(rows["_row"].iloc[0]) + FIRST_DATA_ROW))
    return problems


def _reported_totals(long: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    if "reported_total" not in long:
        return _empty_totals(), []
    given = long[long["reported_total"].astype("string").str.strip() != ""].drop_duplicates("_row")
    values = _numbers(given["reported_total"])
    problems = [
        Problem(name, "reported total is not a number between 0 and 100", int(r) + FIRST_DATA_ROW,
                "reported_total", long.at[i, "reported_total"])
        for i, r in given.loc[values.isna() | (values < 0) | (values > 100), "_row"].items()
    ]
    totals = given.assign(reported_total=values).drop_duplicates(["org", "fiscal_year", "reported_total"])
    conflicting = totals.duplicated(["org", "fiscal_year"], keep="first")
    problems += [
        Problem(name, "two different reported totals for one agency-year", int(cell["_row"]) + FIRST_DATA_ROW,
                "reported_total", cell["reported_total"])
        for _, cell in totals[conflicting].iterrows()
    ]
    source = totals["source"] if "source" in totals else pd.Series(name, index=totals.index)
    frame = pd.DataFrame({
        "org": totals["org"].astype("string"),
        "fiscal_year": totals["fiscal_year"].astype("Int64"),
        "reported_total": totals["reported_total"],
        "source": source.astype("string"),
    })
    return frame, problems


def scored_twice(indicators: pd.DataFrame) -> dict[str, list[Problem]]:
    """Agency -> its agency-years with scores in more than one file (which one is right is not ours to
    choose)."""
    clash = indicators.duplicated(["org", "fiscal_year", "indicator"], keep=False)
    found: dict[str, list[Problem]] = {}
    for (org, year), group in indicators[clash].groupby(["org", "fiscal_year"]):
        found.setdefault(str(org), []).append(
            Problem(", ".join(sorted(set(group["file"]))), f"{org}, {year} has scores in more than one file"))
    return found


def merge_scores(parts: Iterable[Scores]) -> Scores:
    """Scores of several files as one; an agency-year with scores in two files is an error."""
    scores = Scores.concat(parts)
    clashes = scored_twice(scores.indicators)
    if clashes:
        raise ITADataError([p for problems in clashes.values() for p in problems])
    return scores


def load_score_files(paths: Iterable[Path | str], methodology: Methodology) -> Scores:
    """Load several files, reporting the problems of all of them together, and duplicates across files."""
    parts, problems = [], []
    for path in paths:
        try:
            parts.append(load_scores(path, methodology))
        except ITADataError as err:
            problems += err.problems
    if problems:
        raise ITADataError(problems)
    return merge_scores(parts)
