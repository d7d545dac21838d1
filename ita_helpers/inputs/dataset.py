"""One way into a data folder, laid out as the bundled `data/`:

    methodology.yaml          the framework of each fiscal year (optional: the bundled one applies)
    เกณฑ์การประเมิน.xlsx       the agency's own framework of some years, a sheet each (optional; inputs.framework_xlsx,
                              `ita template framework`): those years override the methodology's
    oit_items.yaml            the OIT's items of each fiscal year (optional: the bundled one applies)
    scores/*.csv|*.xlsx       indicator scores (long or wide form)
    reported_totals.csv       published totals, for years without indicator scores (optional)
    national_averages.csv     national average total per fiscal year (optional: the bundled one applies)
    measures/*.yaml|*.yml|*.xlsx  action tables and constraints of units (optional)
    questions/*.xlsx          results per question and OIT item of an agency-year (optional; inputs.questions);
                              an agency-year without a score row gets its indicator scores recomputed from them
    questions.yaml            the IIT's and EIT's questions of each year (optional: the bundled one applies);
                              questions/ชุดข้อคำถาม.xlsx overrides a year's lists
    agency.txt                whose folder it is, in one agency's own folder (own_agency; `ita init` writes it)
    peers.json                only in a report's slice: its standing among the folder's agencies (peers.py)

`DataFolder` indexes a folder (which files, their SHA-256, which agency-years each holds) and parses
each file once; the batch planner, the report's kernel and the `ita` command all go through it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..core.errors import ITADataError, NoDataRows, Problem
from ..core.i18n import _
from ..core.paths import is_clutter, special_file
from ..core.resources import BUNDLED_DATA
from ..domain.methodology import Methodology, load_methodology, methodology_of, methodology_text, with_years
from ..domain.names import clean_name
from ..domain.oit_items import OitCatalogue, load_oit_items
from ..domain.questions import QuestionCatalogue, load_questions, oit_lists
from ..domain.scoring import DEFAULT_THRESHOLD, score_table
from .loaders import PartlyRead, Scores, load_scores, merge_scores, read_table
from .measures import Context, load_measures, measure_paths, measures_org, measures_year
from .measures_draft import MeasurePlan
from .own_agency import folder_agency
from .questions import (
    CATALOGUE_NAME,
    QuestionResults,
    load_catalogue_sheet,
    load_question_results,
    question_paths,
    recomputed_scores,
)
from .questions import FOLDER as QUESTIONS_FOLDER
from .sources import FRAMEWORK_WORKBOOK, MERGED_FRAMEWORK, REFERENCE_TABLES, REPORTED_TOTALS

SCORE_SUFFIXES = (".csv", ".xlsx")

__all__ = ["BUNDLED_DATA", "DataFolder", "Dataset", "load_dataset"]


def score_paths(data_dir: Path) -> list[Path]:
    """The score files of a data folder."""
    folder = Path(data_dir) / "scores"
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in SCORE_SUFFIXES and not is_clutter(p))


def misplaced_files(data_dir: Path) -> list[Problem]:
    """What looks like scores but would not be read: another format in scores/, or a score table beside
    scores/ instead of in it. Reported, never skipped in silence."""
    root = Path(data_dir)
    problems = [Problem(str(p), _("not a score file the suite reads: save it as Excel (.xlsx) or CSV UTF-8 (.csv)"))
                for p in sorted((root / "scores").glob("*"))
                if p.is_file() and p.suffix.lower() not in SCORE_SUFFIXES and not is_clutter(p)]
    problems += [Problem(str(p), _("a score file outside scores/: move it into the scores folder to use it"))
                 for p in sorted(root.glob("*")) if p.is_file() and p.suffix.lower() in SCORE_SUFFIXES
                 and p.name not in REFERENCE_TABLES and not is_clutter(p)]
    return problems


def _read_reference(path: Path | None, required: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """A small reference table with B.E. years and numbers checked; empty when there is no file.
    `optional` numeric columns are checked when present."""
    if path is None:
        return pd.DataFrame(columns=["fiscal_year", *required])
    table = read_table(path)
    missing = [c for c in ["fiscal_year", *required] if c not in table.columns]
    if missing:
        raise ITADataError(Problem(str(path), _("missing column {columns}").format(columns=", ".join(missing)), 1))
    if "org" in table:
        table["org"] = table["org"].map(clean_name)  # spelt as the score files' agencies are read
    problems = []
    for column in ["fiscal_year", *required, *(c for c in optional if c in table.columns)]:
        text = table[column].astype("string").str.strip()
        values = pd.to_numeric(text.replace("", pd.NA), errors="coerce")
        bad = values.isna() & text.ne("") if column != "fiscal_year" else values.isna()
        problems += [Problem(str(path), _("not a number"), int(r) + 2, column, table.at[r, column])
                     for r in table.index[bad]]
        table[column] = values.astype("Int64" if column == "fiscal_year" else "Float64")
    if problems:
        raise ITADataError(problems)
    return table


def _published_totals(*tables: pd.DataFrame) -> pd.DataFrame:
    frames = [t[["org", "fiscal_year", "reported_total"]] for t in tables if len(t)]
    if not frames:
        return pd.DataFrame({"org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
                             "reported_total": pd.Series(dtype="float64")})
    both = pd.concat(frames, ignore_index=True).dropna(subset=["reported_total"])
    both = both.astype({"org": "string", "fiscal_year": "int64", "reported_total": "float64"})
    return both.drop_duplicates().reset_index(drop=True)


def reported_total_clashes(*tables: pd.DataFrame) -> dict[str, list[Problem]]:
    """Agency -> its agency-years with two different published totals among `tables`."""
    both = _published_totals(*tables)
    clash = both[both.duplicated(["org", "fiscal_year"], keep=False)]
    clashes: dict[str, list[Problem]] = {}
    for (org, year), group in clash.groupby(["org", "fiscal_year"]):
        clashes.setdefault(str(org), []).append(Problem(
            _("reported totals"), _("{org}, {year} has two different reported totals: {totals}").format(
                org=org, year=year, totals=", ".join(f"{v:.2f}" for v in group["reported_total"]))))
    return clashes


def combine_reported_totals(*tables: pd.DataFrame) -> pd.DataFrame:
    """Published totals from several tables, blanks dropped; two different totals for one agency-year
    are an error, never a silent choice."""
    clashes = reported_total_clashes(*tables)
    if clashes:
        raise ITADataError([p for problems in clashes.values() for p in problems])
    return _published_totals(*tables)


@dataclass(frozen=True)
class Dataset:
    """Validated data of one folder, or of the part of it one agency's report reads."""

    data_dir: Path
    methodology: Methodology
    scores: Scores
    reported_totals: pd.DataFrame  # org, fiscal_year, reported_total, rating, derived_from, source
    national_averages: pd.DataFrame  # fiscal_year, agencies, average, share_at_least_85, ...
    measures: tuple[MeasurePlan, ...] = field(default=())
    questions: tuple[QuestionResults, ...] = field(default=())
    question_catalogue: QuestionCatalogue | None = None

    @property
    def indicators(self) -> pd.DataFrame:
        return self.scores.indicators

    @cached_property
    def all_reported_totals(self) -> pd.DataFrame:
        """Published totals from reported_totals.csv and from the score files' reported_total column."""
        return combine_reported_totals(self.reported_totals, self.scores.reported_totals)

    def score_table(self, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
        """One row per agency-year: tools, totals, rating, change, weak indicators (scoring.score_table)."""
        return score_table(self.indicators, self.methodology, self.all_reported_totals, self.national_averages,
                           threshold)

    def agency_years(self) -> pd.DataFrame:
        """Every (org, fiscal_year) that has indicator scores: what a report can be made of."""
        return self.indicators[["org", "fiscal_year"]].drop_duplicates().sort_values(["fiscal_year", "org"],
                                                                                       ignore_index=True)

    def scores_of(self, org: str, fiscal_year: int) -> pd.Series:
        """One agency-year's indicator scores, indexed by indicator number."""
        rows = self.indicators[(self.indicators["org"] == org) & (self.indicators["fiscal_year"] == fiscal_year)]
        if rows.empty:
            raise ITADataError(Problem(str(self.data_dir), _("no indicator scores for {org} in {year}").format(
                org=org, year=fiscal_year)))
        return rows.set_index("indicator")["score"]

    def measures_for(self, org: str, fiscal_year: int) -> MeasurePlan | None:
        plans = [m for m in self.measures if m.scores_org == org and m.results_year == fiscal_year]
        return plans[0] if plans else None

    def questions_for(self, org: str, fiscal_year: int) -> QuestionResults | None:
        found = [q for q in self.questions if q.org == org and q.fiscal_year == fiscal_year]
        return found[0] if found else None

    def national_average(self, fiscal_year: int) -> float | None:
        row = self.national_averages[self.national_averages["fiscal_year"] == fiscal_year]
        return None if row.empty or pd.isna(row["average"].iloc[0]) else float(row["average"].iloc[0])


@dataclass(frozen=True)
class Parsed:
    """One input file, read once: what it held, or the problems that made it unusable."""

    path: Path
    value: object = None  # Scores for a score file, MeasurePlan for a measures file
    problems: tuple[Problem, ...] = ()
    org: str | None = None  # a measures file's agency, when it can be read at all
    data: bytes = b""  # a measures file's bytes, handed to its agency's reports as they are
    # A score file with problems of some agency-years only: agency-year -> its problems (`value` holds the
    # other rows); and the problems of rows whose agency cannot be told.
    failing: dict[tuple[str, int], tuple[Problem, ...]] = field(default_factory=dict)
    unattributed: tuple[Problem, ...] = ()
    year: int | None = None  # a measures file's results year, when it can be read at all

    @property
    def unusable(self) -> tuple[Problem, ...]:
        """What makes the file unusable as a whole: all its problems, unless they belong to agency-years."""
        return self.unattributed if self.failing else self.problems


class DataFolder:
    """The index of one data folder. Each file is read and parsed at most once per instance.

    `orgs`: read only these agencies' rows of the score files (a report for one agency reads no other's,
    and the problems of other agencies' rows are not looked for).

    The folder's agency (`agency`, below) owns a score sheet with no agency column and a measures file that
    names no agency: the one agency.txt names (own_agency), else the `agency` given (a report's agency),
    else the one agency of `orgs`. `year` (`--year`, a report's year) is the results year of a measures
    file that says none, when neither its name nor the agency's scores tell it."""

    def __init__(self, root: Path | str = BUNDLED_DATA, orgs: Collection[str] | None = None,
                 agency: str | None = None, year: int | None = None):
        try:
            self.root = Path(root).resolve()
        except (RuntimeError, OSError):  # a symlink loop: RuntimeError before Python 3.13, OSError (ELOOP) after
            loop = _("the folder is a symbolic link that points back to itself")
            raise ITADataError(Problem(str(root), loop)) from None
        self.orgs = frozenset(orgs) if orgs is not None else None
        if not self.root.is_dir():
            raise ITADataError(Problem(str(root), _("data folder not found")))
        named = agency or (next(iter(self.orgs)) if self.orgs is not None and len(self.orgs) == 1 else None)
        self.agency: str | None = folder_agency(self.root) or (clean_name(named) if named else None)
        self.year = year

    def __repr__(self) -> str:
        return f"DataFolder({str(self.root)!r})"

    def reference_file(self, name: str) -> Path | None:
        """The folder's own reference table, else the bundled one; None when neither exists."""
        for folder in (self.root, BUNDLED_DATA):
            if (folder / name).is_file():
                return folder / name
        return None

    @cached_property
    def methodology_file(self) -> Path:
        """A report's slice: the merged framework it carries; a folder: its methodology.yaml, else the bundled."""
        merged = self.root / MERGED_FRAMEWORK
        if merged.is_file():
            return merged
        return self.reference_file("methodology.yaml") or self.root / "methodology.yaml"

    @cached_property
    def framework_years(self) -> dict[int, dict]:
        """The years the folder's framework workbook states (raw entries); none without one."""
        path = self.root / FRAMEWORK_WORKBOOK
        if not path.is_file():
            return {}
        from .framework_xlsx import read_framework  # openpyxl only where a workbook is read

        return read_framework(path)

    @cached_property
    def merged_methodology(self) -> str | None:
        """The methodology's YAML text with the years of the folder's framework workbook in place of its own;
        None without a workbook."""
        if not self.framework_years:
            return None
        return with_years(methodology_text(self.methodology_file), self.framework_years)

    @cached_property
    def methodology(self) -> Methodology:
        methodology = load_methodology(self.methodology_file)  # a broken file is told by its own name first
        merged = self.merged_methodology
        return methodology if merged is None else methodology_of(merged, str(self.methodology_file))

    @property
    def methodology_slice(self) -> tuple[str, bytes]:
        """The name and bytes a report's slice carries as its framework: methodology.yaml as it is, or the
        merged text under the workbook's name (the report's footer and appendix name the workbook)."""
        merged = self.merged_methodology
        if merged is None:
            return "methodology.yaml", self.methodology_file.read_bytes()
        return MERGED_FRAMEWORK, merged.encode("utf-8")

    @cached_property
    def oit_items_file(self) -> Path | None:
        return self.reference_file("oit_items.yaml")

    @cached_property
    def oit_items(self) -> OitCatalogue | None:
        """The OIT's items of each year (data/oit_items.yaml or the folder's own); None without a file."""
        return load_oit_items(self.oit_items_file) if self.oit_items_file else None

    @cached_property
    def question_catalogue(self) -> QuestionCatalogue:
        """The questions of each year (questions.yaml, the folder's or the bundled one) and the OIT's items,
        with the folder's own catalogue sheet (questions/ชุดข้อคำถาม.xlsx) in place of a year's lists."""
        path = self.reference_file("questions.yaml")
        catalogue = load_questions(path) if path else QuestionCatalogue({}, "")
        if self.oit_items is not None:
            catalogue = QuestionCatalogue(oit_lists(self.oit_items) | catalogue.lists, catalogue.source)
        sheet = self.root / QUESTIONS_FOLDER / CATALOGUE_NAME
        return catalogue.overridden_by(load_catalogue_sheet(sheet)) if sheet.is_file() else catalogue

    @cached_property
    def question_files(self) -> tuple[Parsed, ...]:
        """The agency-years' question workbooks; a broken catalogue is a problem of each of them."""
        paths = question_paths(self.root)
        if not paths:
            return ()
        try:
            catalogue = self.question_catalogue
        except ITADataError as err:
            return tuple(Parsed(path, problems=tuple(err.problems)) for path in paths)
        parsed = [self._parse(path, lambda p: load_question_results(p, catalogue)) for path in paths]
        return tuple(Parsed(p.path, p.value, p.problems, p.value.org if p.value else None) for p in parsed)

    @cached_property
    def reported_totals_file(self) -> Path | None:
        path = self.root / REPORTED_TOTALS  # agency data: never taken from the bundled folder
        return path if path.is_file() else None

    @cached_property
    def national_averages_file(self) -> Path | None:
        return self.reference_file("national_averages.csv")

    @cached_property
    def score_files(self) -> tuple[Parsed, ...]:
        """The score files, and the question workbooks of agency-years no score file has: their indicator
        scores recomputed from the questions and OIT items (when every indicator of the year can be)."""
        read = tuple(self._parse(path, lambda p: load_scores(p, self.methodology, orgs=self.orgs,
                                                                        agency=self.agency))
                     for path in score_paths(self.root))
        scored = {(str(o), int(y)) for f in read if f.value is not None
                  for o, y in f.value.indicators[["org", "fiscal_year"]].drop_duplicates().itertuples(index=False)}
        derived = []
        for parsed in self.question_files:
            results = parsed.value
            if results is None or (results.org, results.fiscal_year) in scored or (
                    self.orgs is not None and results.org not in self.orgs):
                continue
            scores = recomputed_scores(results, self.question_catalogue, self.methodology)
            if scores is not None:
                derived.append(Parsed(parsed.path, scores))
        return read + tuple(derived)

    @cached_property
    def measures_context(self) -> Context:
        """What a measures file may leave out: the folder's agency, the years of its scores, `year`."""
        years = tuple(sorted({y for o, y in self.agency_years() if o == self.agency})) if self.agency else ()
        return Context(self.agency, years, self.year)

    @cached_property
    def measure_files(self) -> tuple[Parsed, ...]:
        parsed = []
        for path in measure_paths(self.root):
            item = self._parse(path, lambda p: load_measures(p, self.methodology, self.measures_context))
            org = item.value.scores_org if item.value else measures_org(path, self.agency)
            year = item.value.results_year if item.value else (
                measures_year(path, self.measures_context) if item.problems else None)
            parsed.append(Parsed(item.path, item.value, item.problems, org, _read_bytes(path), year=year))
        return tuple(parsed)

    @staticmethod
    def _parse(path: Path, load) -> Parsed:
        """A file's content, or its problems: a file that cannot be read at all (a corrupt workbook,
        a folder named like a file) is a problem of that file, never a crash of the whole run."""
        try:
            return Parsed(path, load(path))
        except NoDataRows:  # a form not filled in yet (ita init makes one): nothing to read, nothing wrong
            return Parsed(path)
        except PartlyRead as err:  # the rows of the other agency-years are kept
            return Parsed(path, err.scores, tuple(err.problems),
                          failing={pair: tuple(found) for pair, found in err.failing.items()},
                          unattributed=tuple(err.unattributed))
        except ITADataError as err:
            return Parsed(path, problems=tuple(err.problems))
        except Exception as err:  # noqa: BLE001 - whatever a reader raises on a damaged file
            return Parsed(path, problems=(Problem(str(path), _("cannot read the file ({error})").format(
                error=f"{type(err).__name__}: {err}")),))

    @cached_property
    def reference_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Reported totals and national averages (empty tables when absent)."""
        reported = _read_reference(self.reported_totals_file, ["reported_total"])
        national = _read_reference(self.national_averages_file, ["average"], ("agencies", "share_at_least_85"))
        if "org" not in reported:
            reported["org"] = pd.Series(dtype="string")
        return reported, national

    def score_problems(self) -> list[Problem]:
        """Problems of score files that cannot be used (their agencies cannot be reported), problems of rows
        whose agency cannot be told, and files that look like scores but are not read. The problems of an
        agency-year's rows are `failing_agency_years`'."""
        return [p for f in self.score_files for p in f.unusable] + misplaced_files(self.root)

    @cached_property
    def failing_agency_years(self) -> dict[tuple[str, int], tuple[Problem, ...]]:
        """Agency-year -> the problems of its rows in the score files: its report fails, the others' do not."""
        found: dict[tuple[str, int], tuple[Problem, ...]] = {}
        for parsed in self.score_files:
            for pair, problems in parsed.failing.items():
                found[pair] = found.get(pair, ()) + problems
        return found

    @cached_property
    def files_of(self) -> dict[str, list[Parsed]]:
        """Agency -> the valid score files holding its rows."""
        index: dict[str, list[Parsed]] = {}
        for parsed in self.score_files:
            if parsed.value is not None:
                for org in parsed.value.indicators["org"].unique():
                    index.setdefault(str(org), []).append(parsed)
        return index

    def agency_years(self) -> list[tuple[str, int]]:
        """Every (org, fiscal_year) with indicator scores in a valid score file, sorted."""
        pairs = {(str(o), int(y)) for parsed in self.score_files if parsed.value is not None
                 for o, y in parsed.value.indicators[["org", "fiscal_year"]].drop_duplicates().itertuples(index=False)}
        return sorted(pairs)

    @property
    def empty_forms(self) -> list[Path]:
        """Score forms with a header and no rows yet (as `ita init` makes them): read as nothing, not wrong."""
        return [f.path for f in self.score_files if f.value is None and not f.problems]

    def unfilled_forms(self) -> list[Problem]:
        """Why a folder without scores has none, when a score form in it is still empty: what to do."""
        return [Problem(str(path), _("the score form is not filled in yet: type the agency's scores, save the "
                                     "file and run this again")) for path in self.empty_forms]

    def dataset(self, org: str | None = None) -> Dataset:
        """The validated data of the whole folder, or only of the files about `org` (so one agency's
        broken file cannot stop the reports of the others). Every problem is raised at once."""
        problems: list[Problem] = []
        methodology = self.methodology  # a broken methodology stops everything: raised first
        scores = self.files_of.get(org, []) if org is not None else self.score_files
        measures = [m for m in self.measure_files if org is None or m.org in (org, None)]
        questions = [q for q in self.question_files if org is None or q.org in (org, None)]
        problems += [p for f in [*measures, *questions] for p in f.problems]
        problems += [p for f in scores for p in (f.problems if org is None else f.unusable)]
        if org is not None:
            problems += [p for (o, _year), found in self.failing_agency_years.items() if o == org for p in found]
        if org is None:
            problems += misplaced_files(self.root)
        try:
            reported, national = self.reference_tables
        except ITADataError as err:
            problems += err.problems
        if problems:
            raise ITADataError(problems)
        merged = merge_scores([f.value for f in scores if f.value is not None])
        return Dataset(self.root, methodology, merged, reported, national, tuple(m.value for m in measures),
                       tuple(q.value for q in questions if q.value is not None),
                       self.question_catalogue if questions else None)


def _read_bytes(path: Path) -> bytes:
    if special_file(path):
        return b""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def load_dataset(data_dir: Path | str | None = None, org: str | None = None) -> Dataset:
    """`DataFolder(data_dir).dataset(org)`: load and validate a folder (default: the bundled data), or only
    the files about `org`."""
    return DataFolder(data_dir or BUNDLED_DATA).dataset(org)
