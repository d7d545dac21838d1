"""Everything one measures report shows, computed once from the data: the notebook only displays it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.errors import ITADataError, Problem
from ..core.i18n import N_, _
from ..core.thai import DIGIT_STYLES, LOWEST_BE_YEAR
from ..domain.methodology import Methodology, YearMethod
from ..domain.oit_items import OitCatalogue, OitItem, OitYear
from ..domain.scoring import DEFAULT_THRESHOLD, headroom, indicator_table, total_history, weak_indicators
from ..inputs.dataset import BUNDLED_DATA, DataFolder, Dataset
from ..inputs.measures_draft import MeasurePlan
from .peers import Standing, standing_in
from .questions import QuestionAnalysis, analysis_for

# Why a rendered report deserves a second look: code -> what the manifest, index and summary say.
# Translated where shown: in the interface language in the CLI summary, in Thai in the index.
WARNINGS = {
    "no_measures": N_("no measures file of the agency for this results year"),
    "total_differs": N_("the recomputed total differs from the published one by more than 0.01"),
    "weights_presumed": N_("the tools' weights of this year are presumed"),
    "no_previous_total": N_("no previous-year total to compare with"),
    "framework_presumed": N_("no framework of this results year is known: the latest one is presumed"),
    "questions_differ": N_("the questions or OIT items do not add up to an indicator score given"),
}


def check_values(plan_year: int | None, threshold: float, digits: str) -> None:
    """Parameter values a report cannot be made with, refused before any work starts."""
    problems = []
    if not 0 <= threshold <= 100:
        problems.append(Problem("", _("threshold must be a score from 0 to 100, not {value}").format(
            value=repr(threshold))))
    if digits not in DIGIT_STYLES:
        problems.append(Problem("", _("digits must be {choices}, not {value}").format(
            choices=f" {_('or')} ".join(DIGIT_STYLES), value=repr(digits))))
    if plan_year is not None and plan_year < LOWEST_BE_YEAR:
        problems.append(Problem("", _("plan_year must be a Buddhist Era year (e.g. 2568), not {value}").format(
            value=repr(plan_year))))
    if problems:
        raise ITADataError(problems)


def check_parameters(dataset: Dataset, org: str, fiscal_year: int) -> None:
    """An unknown agency or year is refused with what the data does have, before any work starts."""
    available = dataset.agency_years()
    if ((available["org"] == org) & (available["fiscal_year"] == fiscal_year)).any():
        return
    orgs = sorted(set(available["org"]))
    if org not in orgs:
        rule = _("no indicator scores for agency {org}; the data has: {orgs}").format(
            org=repr(org), orgs=", ".join(orgs) or _("no agency"))
    else:
        years = sorted(available.loc[available["org"] == org, "fiscal_year"])
        rule = _("no indicator scores for {org} in {year}; years with scores: {years}").format(
            org=org, year=fiscal_year, years=", ".join(map(str, years)))
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
    peers: Standing | None = None  # among the other agencies of the data folder that year, if any
    oit: OitCatalogue | None = None  # the OIT's items of each year (oit_items.yaml), if the folder has them
    questions: QuestionAnalysis | None = None  # the questions and OIT items of the year, if the folder has them

    @property
    def oit_year(self) -> int:
        """The assessment year whose OIT this document serves: the year of its measures, else the one after
        the results."""
        return self.plan_year if self.plan_year is not None else self.fiscal_year + 1

    @property
    def oit_item(self) -> tuple[OitYear, OitItem] | None:
        """The OIT item this document is published as, with the year's list it comes from (a list of
        another year when `oit_year` is after the last list); None where no list says."""
        return self.oit.document_item("measures", self.oit_year) if self.oit else None

    @property
    def total(self) -> float:
        """The official total: the published one where known, else recomputed from the indicators."""
        return float(self.summary["official_total"])

    @property
    def unit(self) -> str:
        """Who publishes the document: the unit of the measures, or the scored agency itself."""
        return self.measures.unit if self.measures else self.org

    @property
    def scores(self) -> pd.Series:
        """The indicator scores given, indexed by indicator number."""
        return self.indicators.set_index("number")["score"]

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

    @property
    def figures(self) -> dict:
        """The headline numbers an index lists: official total, rating, change, number of weak indicators."""
        return {"total": round(self.total, 2), "rating": str(self.summary["rating"]),
                "change": None if self.change is None else round(self.change, 2), "weak": len(self.weak)}

    @property
    def warnings(self) -> list[str]:
        """Codes of WARNINGS that apply to this report."""
        found = {
            "no_measures": self.measures is None,
            "total_differs": bool(self.summary["mismatch"]),
            "weights_presumed": self.method.weights_presumed,
            "no_previous_total": self.previous_year is None,
            "framework_presumed": self.method.framework_presumed,
            "questions_differ": bool(self.questions and self.questions.slips(self.scores)),
        }
        return [code for code, applies in found.items() if applies]


def check_framework(methodology: Methodology, fiscal_year: int, strict: bool) -> None:
    """With `strict`, a results year without a framework of its own is refused rather than scored with the
    latest one (presumed)."""
    if strict and methodology.presumed(fiscal_year):
        raise ITADataError(Problem(methodology.source, _(
            "no assessment framework for fiscal year {year} (the latest is {latest}); strict_framework refuses "
            "to presume the latest one: state it with ita template framework --year {year} (or add {year} to "
            "methodology.yaml), or make the report without strict_framework").format(
                year=fiscal_year, latest=methodology.latest_year)))


def build_report(org: str, fiscal_year: int, plan_year: int | None = None, threshold: float = DEFAULT_THRESHOLD,
                 data_dir: Path | str | None = None, digits: str = "thai", strict_framework: bool = False) -> Report:
    check_values(plan_year, threshold, digits)
    fiscal_year = int(fiscal_year)  # the report's agency and year: what an agency's own files leave out
    folder = DataFolder(data_dir or BUNDLED_DATA, agency=org, year=fiscal_year)
    check_framework(folder.methodology, fiscal_year, bool(strict_framework))
    dataset = folder.dataset(org)
    check_parameters(dataset, org, fiscal_year)
    table = dataset.score_table(threshold)
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
        peers=standing_in(folder, org, fiscal_year), oit=folder.oit_items,
        questions=analysis_for(dataset, org, fiscal_year, float(threshold)),
    )
