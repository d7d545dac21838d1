"""Below the indicator: which questions and OIT items lost the points, what each would add if raised to the
pass mark (an OIT item: if published), and the checks that tie the levels together: the mean of an
indicator's questions against the indicator score given (a typing slip shows as a difference over 0.01,
told with the question that most likely caused it), the OIT's items against its indicators."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import pandas as pd

from ..core.errors import Problem
from ..core.i18n import _
from ..domain.methodology import YearMethod
from ..domain.questions import (
    QuestionCatalogue,
    QuestionList,
    indicator_means,
    item_worth,
    oit_indicator_scores,
    sub_indicator_scores,
)
from ..domain.scoring import DEFAULT_THRESHOLD, TOLERANCE, what_if
from ..inputs.dataset import Dataset
from ..inputs.questions import QuestionResults


@dataclass(frozen=True)
class Detail:
    """One question or OIT item of the agency-year, with the points it would add."""

    code: str
    tool: str
    indicator: int
    sub_indicator: str | None
    label: str  # the agency's own label, else the wording a source gives, else ""
    label_from: str  # "agency", or the catalogue list's status (SRC, 2ND, agency), or "" without a label
    score: float  # a question's score; an item's 100 (published) or 0
    indicator_gain: float  # indicator points if raised to the pass mark (an item: if published)
    total_gain: float  # points of the total


@dataclass(frozen=True)
class Slip:
    """An indicator whose questions (or items) do not add up to the score given for it."""

    indicator: int
    computed: float
    given: float
    suspect: str | None = None  # the question most likely mistyped
    suspect_score: float | None = None
    would_be: float | None = None  # the value that would make the levels agree

    @property
    def difference(self) -> float:
        return self.computed - self.given


@dataclass(frozen=True)
class QuestionAnalysis:
    results: QuestionResults
    lists: dict[str, QuestionList]  # tool -> the year's list
    method: YearMethod
    threshold: float
    details: tuple[Detail, ...]
    computed: dict[int, float]  # indicator -> its score recomputed from the questions or items
    sub_indicators: dict[str, float]  # the OIT's sub-indicators, recomputed

    def weakest(self, indicator: int) -> list[Detail]:
        """The questions below the pass mark, or the items not published, of one indicator: lowest first."""
        found = [d for d in self.details if d.indicator == indicator and d.indicator_gain > 0]
        return sorted(found, key=lambda d: (d.score, -d.total_gain, d.code[0], int(d.code[1:])))

    def missing_items(self) -> list[Detail]:
        """The OIT items not published, by sub-indicator."""
        found = [d for d in self.details if d.tool == "OIT" and d.score == 0]
        return sorted(found, key=lambda d: (tuple(int(p) for p in d.sub_indicator.split(".")), int(d.code[1:])))

    def of_tool(self, tool: str) -> list[Detail]:
        return [d for d in self.details if d.tool == tool]

    def total(self, given: pd.Series) -> float | None:
        """The total recomputed from the questions and items, when every indicator is; else None."""
        if set(self.method.indicator_numbers) - set(self.computed):
            return None
        return float(what_if(given, self.computed, self.method, self.threshold)["total"])

    def slips(self, given: pd.Series) -> list[Slip]:
        """Indicators whose recomputed score differs from `given` (indexed by indicator) by more than 0.01."""
        found = []
        for number, computed in self.computed.items():
            if number not in given.index or abs(computed - float(given[number])) <= TOLERANCE:
                continue
            found.append(_with_suspect(Slip(number, computed, float(given[number])),
                                       [d for d in self.details if d.indicator == number]))
        return found


def _with_suspect(slip: Slip, details: list[Detail]) -> Slip:
    """The question that, changed alone, would make the indicator agree and is furthest from its siblings."""
    if not details or details[0].tool == "OIT":
        return slip
    count = len(details)
    fits = []
    for detail in details:
        would_be = detail.score - count * slip.difference
        others = [d.score for d in details if d is not detail]
        if 0 <= would_be <= 100:
            fits.append((abs(detail.score - median(others)) if others else 0, detail, would_be))
    if not fits:
        return slip
    _distance, detail, would_be = max(fits, key=lambda f: f[0])
    return Slip(slip.indicator, slip.computed, slip.given, detail.code, detail.score, would_be)


def analyse(results: QuestionResults, catalogue: QuestionCatalogue, method: YearMethod,
            threshold: float) -> QuestionAnalysis:
    """Each question's and item's points, and every indicator recomputed from them."""
    weights = method.indicator_weights
    lists = {tool: qlist for tool in results.tools if (qlist := catalogue.list(results.fiscal_year, tool))}
    details, computed, subs = [], {}, {}
    for tool, qlist in lists.items():
        if tool == "OIT":
            present = results.present()
            computed |= oit_indicator_scores(present, qlist)
            subs = sub_indicator_scores(present, qlist)
        else:
            computed |= indicator_means(results.scores(tool), qlist)
        for question in qlist.questions:
            answer = results.get(question.code)
            if answer is None:
                continue
            if tool == "OIT":
                gain = 0.0 if answer.present else item_worth(question.code, qlist)
            else:
                gain = max(0.0, threshold - answer.score) / len(qlist.of_indicator(question.indicator))
            label, label_from = ((answer.label, "agency") if answer.label and answer.label != question.wording
                                 else (question.wording, qlist.status) if question.wording else ("", ""))
            details.append(Detail(question.code, tool, question.indicator, question.sub_indicator, label, label_from,
                                  answer.value, gain, gain * float(weights.get(question.indicator, 0.0))))
    return QuestionAnalysis(results, lists, method, threshold, tuple(details), computed, subs)


def analysis_for(dataset: Dataset, org: str, fiscal_year: int, threshold: float) -> QuestionAnalysis | None:
    """The agency-year's questions analysed, or None when the folder has none for it."""
    results = dataset.questions_for(org, fiscal_year)
    if results is None or dataset.question_catalogue is None:
        return None
    return analyse(results, dataset.question_catalogue, dataset.methodology.year(fiscal_year), threshold)


def slip_problems(analysis: QuestionAnalysis, given: pd.Series) -> list[Problem]:
    """The slips as warnings naming the indicator, the question most likely mistyped and the difference."""
    problems = []
    for slip in analysis.slips(given):
        rule = _("indicator {number}: the mean of its questions is {computed:.2f}, the score given is {given:.2f} "
                 "(difference {difference:+.2f})").format(number=slip.indicator, computed=slip.computed,
                                                          given=slip.given, difference=slip.difference)
        if slip.suspect:
            rule += _("; check {code} ({score:.2f}): {would:.2f} would agree").format(
                code=slip.suspect, score=slip.suspect_score, would=slip.would_be)
        problems.append(Problem(analysis.results.file, rule))
    return problems


def question_notes(dataset: Dataset) -> list[Problem]:
    """What `ita validate` tells of a folder's question workbooks without refusing them: each indicator whose
    questions do not add up to the score given, and, for an agency-year with questions but no indicator
    scores, the indicator scores recomputed from them."""
    notes = []
    for results in dataset.questions:
        analysis = analyse(results, dataset.question_catalogue, dataset.methodology.year(results.fiscal_year),
                           DEFAULT_THRESHOLD)
        rows = dataset.indicators[(dataset.indicators["org"] == results.org)
                                  & (dataset.indicators["fiscal_year"] == results.fiscal_year)]
        if len(rows):
            notes += slip_problems(analysis, rows.set_index("indicator")["score"])
        else:
            notes.append(Problem(results.file, _("{org} has no indicator scores for {year}; recomputed from the "
                                                 "questions: {scores}").format(
                org=results.org, year=results.fiscal_year,
                scores=", ".join(f"{n}: {s:.2f}" for n, s in sorted(analysis.computed.items())))))
    return notes
