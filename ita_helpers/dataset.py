"""Everything in one data folder, laid out as the bundled `data/`:

    methodology.yaml          the framework of each fiscal year
    scores/*.csv|*.xlsx       indicator scores (long or wide form)
    reported_totals.csv       published totals, for years without indicator scores (optional)
    national_averages.csv     national average total per fiscal year (optional)
    measures/*.yaml           action tables and constraints of units (optional)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import ITADataError, Problem
from .loaders import Scores, load_score_files, read_table
from .measures import MeasurePlan, load_measures
from .methodology import Methodology, load_methodology

from .resources import BUNDLED_DATA  # noqa: E402  (re-exported)
SCORE_SUFFIXES = (".csv", ".xlsx")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def score_files(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / "scores"
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in SCORE_SUFFIXES and not p.name.startswith("~$"))


def measure_files(data_dir: Path) -> list[Path]:
    return sorted((Path(data_dir) / "measures").glob("*.yaml"))


def methodology_file(data_dir: Path) -> Path:
    return Path(data_dir) / "methodology.yaml"


def reference_files(data_dir: Path) -> list[Path]:
    """The optional tables every report of the folder reads (reported totals, national averages)."""
    return [p for p in (Path(data_dir) / "reported_totals.csv", Path(data_dir) / "national_averages.csv") if p.exists()]


def _read_reference(path: Path, required: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """A small reference table with B.E. years and numbers checked; empty when the file is absent.
    `optional` numeric columns are checked when present."""
    if not path.exists():
        return pd.DataFrame(columns=["fiscal_year", *required])
    table = read_table(path)
    missing = [c for c in ["fiscal_year", *required] if c not in table.columns]
    if missing:
        raise ITADataError(Problem(str(path), f"missing column {', '.join(missing)}", 1))
    problems = []
    for column in ["fiscal_year", *required, *(c for c in optional if c in table.columns)]:
        text = table[column].astype("string").str.strip()
        values = pd.to_numeric(text.replace("", pd.NA), errors="coerce")
        bad = values.isna() & text.ne("") if column != "fiscal_year" else values.isna()
        problems += [Problem(str(path), "not a number", int(r) + 2, column, table.at[r, column]) for r in table.index[bad]]
        table[column] = values.astype("Int64" if column == "fiscal_year" else "Float64")
    if problems:
        raise ITADataError(problems)
    return table


def reference_tables(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The folder's reported totals and national averages (empty tables when absent)."""
    reported = _read_reference(Path(data_dir) / "reported_totals.csv", ["reported_total"])
    national = _read_reference(Path(data_dir) / "national_averages.csv", ["average"],
                               ("agencies", "share_at_least_85"))
    if "org" not in reported:
        reported["org"] = pd.Series(dtype="string")
    return reported, national


def combine_reported_totals(*tables: pd.DataFrame) -> pd.DataFrame:
    """Published totals from several tables, blanks dropped; two different totals for one agency-year
    are an error, never a silent choice."""
    frames = [t[["org", "fiscal_year", "reported_total"]] for t in tables if len(t)]
    if not frames:
        return pd.DataFrame({"org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
                             "reported_total": pd.Series(dtype="float64")})
    both = pd.concat(frames, ignore_index=True).dropna(subset=["reported_total"])
    both = both.astype({"org": "string", "fiscal_year": "int64", "reported_total": "float64"})
    both = both.drop_duplicates()
    clash = both[both.duplicated(["org", "fiscal_year"], keep=False)]
    if len(clash):
        raise ITADataError([
            Problem("reported totals", f"{org}, {year} has two different reported totals: "
                                       f"{', '.join(f'{v:.2f}' for v in group['reported_total'])}")
            for (org, year), group in clash.groupby(["org", "fiscal_year"])
        ])
    return both.reset_index(drop=True)


@dataclass(frozen=True)
class Dataset:
    data_dir: Path
    methodology: Methodology
    scores: Scores
    reported_totals: pd.DataFrame  # org, fiscal_year, reported_total, rating, derived_from, source
    national_averages: pd.DataFrame  # fiscal_year, agencies, average, share_at_least_85, ...
    measures: tuple[MeasurePlan, ...] = field(default=())
    files: tuple[Path, ...] = field(default=())  # every file read, for input hashes

    @property
    def indicators(self) -> pd.DataFrame:
        return self.scores.indicators

    @property
    def all_reported_totals(self) -> pd.DataFrame:
        """Published totals from reported_totals.csv and from the score files' reported_total column."""
        return combine_reported_totals(self.reported_totals, self.scores.reported_totals)

    def agency_years(self) -> pd.DataFrame:
        """Every (org, fiscal_year) that has indicator scores: what a report can be made of."""
        return self.indicators[["org", "fiscal_year"]].drop_duplicates().sort_values(["fiscal_year", "org"],
                                                                                       ignore_index=True)

    def scores_of(self, org: str, fiscal_year: int) -> pd.Series:
        """One agency-year's indicator scores, indexed by indicator number."""
        rows = self.indicators[(self.indicators["org"] == org) & (self.indicators["fiscal_year"] == fiscal_year)]
        if rows.empty:
            raise ITADataError(Problem(str(self.data_dir), f"no indicator scores for {org} in {fiscal_year}"))
        return rows.set_index("indicator")["score"]

    def measures_for(self, org: str, fiscal_year: int) -> MeasurePlan | None:
        plans = [m for m in self.measures if m.scores_org == org and m.results_year == fiscal_year]
        return plans[0] if plans else None

    def national_average(self, fiscal_year: int) -> float | None:
        row = self.national_averages[self.national_averages["fiscal_year"] == fiscal_year]
        return None if row.empty or pd.isna(row["average"].iloc[0]) else float(row["average"].iloc[0])


def _mentions(path: Path, org: str) -> bool:
    """Whether a score file has rows for `org` (read as text only; full validation comes after).
    A file that cannot even be read as a table is another agency's problem: the batch plan reports it."""
    try:
        table = read_table(path)
    except ITADataError:
        return False
    return "org" not in table.columns or bool((table["org"].astype("string").str.strip() == org).any())


def measures_org(path: Path) -> str | None:
    """The agency a measures file belongs to, or None when the file cannot be parsed."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError:
        return None  # unreadable: load_measures reports it
    return str(raw.get("scores_org", "")).strip() if isinstance(raw, dict) else None


def load_dataset(data_dir: Path | str = BUNDLED_DATA, org: str | None = None) -> Dataset:
    """Load and validate a data folder; problems in every file are reported together.

    With `org`, only the score and measures files about that agency are read, so one agency's
    broken file cannot stop the reports of the others."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ITADataError(Problem(str(data_dir), "data folder not found"))
    methodology = load_methodology(methodology_file(data_dir).resolve())
    problems: list[Problem] = []
    scores = None
    try:
        paths = [p for p in score_files(data_dir) if org is None or _mentions(p, org)]
        scores = load_score_files(paths, methodology)
    except ITADataError as err:
        problems += err.problems
    measures = []
    for path in measure_files(data_dir):
        if org is not None and measures_org(path) not in (org, None):
            continue
        try:
            measures.append(load_measures(path, methodology))
        except ITADataError as err:
            problems += err.problems
    try:
        reported, national = reference_tables(data_dir)
    except ITADataError as err:
        problems += err.problems
    if problems:
        raise ITADataError(problems)
    files = (methodology_file(data_dir), *paths, *reference_files(data_dir), *(Path(m.file) for m in measures))
    return Dataset(data_dir, methodology, scores, reported, national, tuple(measures), files)
