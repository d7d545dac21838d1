"""Everything one measures report shows, computed once from the data: the notebook only displays it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .dataset import BUNDLED_DATA, Dataset, load_dataset
from .errors import ITADataError, Problem
from .measures import MeasurePlan
from .methodology import YearMethod
from .scoring import DEFAULT_THRESHOLD, headroom, indicator_table, score_table, total_history, weak_indicators


def check_parameters(dataset: Dataset, org: str, fiscal_year: int) -> None:
    """An unknown agency or year is refused with what the data does have, before any work starts."""
    available = dataset.agency_years()
    if ((available["org"] == org) & (available["fiscal_year"] == fiscal_year)).any():
        return
    orgs = sorted(set(available["org"]))
    if org not in orgs:
        rule = f"no indicator scores for agency {org!r}; the data has: {', '.join(orgs) or 'no agency'}"
    else:
        years = sorted(available.loc[available["org"] == org, "fiscal_year"])
        rule = f"no indicator scores for {org} in {fiscal_year}; years with scores: {', '.join(map(str, years))}"
    raise ITADataError(Problem(str(dataset.data_dir), rule))


@dataclass(frozen=True)
class Report:
    org: str
    fiscal_year: int
    plan_year: int | None
    threshold: float
    dataset: Dataset
    method: YearMethod
    summary: pd.Series  # the agency-year's row of scoring.score_table
    history: pd.DataFrame
    indicators: pd.DataFrame  # number, tool, name_th, name_en, score
    weak: pd.DataFrame
    headroom: pd.DataFrame
    measures: MeasurePlan | None

    @property
    def total(self) -> float:
        """The official total: the published one where known, else recomputed from the indicators."""
        return float(self.summary["official_total"])

    @property
    def unit(self) -> str:
        """Who publishes the document: the unit of the measures, or the scored agency itself."""
        return self.measures.unit if self.measures else self.org

    @property
    def uncovered(self) -> list[int]:
        weak = list(self.weak["number"])
        return self.measures.uncovered(weak) if self.measures else weak

    @property
    def previous_year(self) -> int | None:
        year = self.summary["previous_year"]
        return None if pd.isna(year) else int(year)

    @property
    def change(self) -> float | None:
        change = self.summary["change"]
        return None if pd.isna(change) else float(change)


def build_report(org: str, fiscal_year: int, plan_year: int | None = None, threshold: float = DEFAULT_THRESHOLD,
                 data_dir: Path | str = BUNDLED_DATA) -> Report:
    dataset = load_dataset(data_dir, org=org)
    fiscal_year = int(fiscal_year)
    check_parameters(dataset, org, fiscal_year)
    table = score_table(dataset.indicators, dataset.methodology, dataset.all_reported_totals,
                        dataset.national_averages, threshold)
    summary = table[(table["org"] == org) & (table["fiscal_year"] == fiscal_year)].iloc[0]
    method = dataset.methodology.year(fiscal_year)
    scores = dataset.scores_of(org, fiscal_year)
    measures = dataset.measures_for(org, fiscal_year)
    if plan_year is None and measures is not None:
        plan_year = measures.plan_year
    return Report(
        org=org, fiscal_year=fiscal_year, plan_year=None if plan_year is None else int(plan_year),
        threshold=float(threshold), dataset=dataset, method=method, summary=summary,
        history=total_history(table, dataset.all_reported_totals, dataset.national_averages, org),
        indicators=indicator_table(scores, method), weak=weak_indicators(scores, method, threshold),
        headroom=headroom(scores, method, threshold), measures=measures,
    )
