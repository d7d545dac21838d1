"""The what-if calculator: one agency-year's scores with some indicators changed, and what that does to
the tool scores, the total, the rating and the weak indicators.

Changes are checked as a form would be: an indicator by number (Thai digits too), as `ตัวชี้วัดที่ 2` or
by name; a score from 0 to 100. `calculator()` puts it in JupyterLab as widgets: agency and year pickers,
one slider per indicator, the result in Thai."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.thai import score as thai_score
from ..core.thai import to_arabic_digits
from ..domain.methodology import Methodology, YearMethod
from ..domain.questions import code_with_tool, indicator_means, oit_indicator_scores
from ..domain.scoring import DEFAULT_THRESHOLD, what_if
from ..inputs.dataset import Dataset
from ..inputs.headers import Vocabulary
from .questions import QuestionAnalysis, analysis_for
from .tables import shown


def parse_changes(changes: Mapping[object, object], methodology: Methodology, fiscal_year: int) -> dict[int, float]:
    """`{indicator: score}` as typed (keys by number, Thai digits or name) -> `{number: score}`. Every
    unknown indicator and every score outside 0-100 is reported at once."""
    method = methodology.year(fiscal_year)
    vocabulary = Vocabulary.of(methodology)
    parsed, problems = {}, []
    for given, value in changes.items():
        number, problem = vocabulary.indicator(given)
        if number is None or number not in method.indicator_numbers:
            problems.append(Problem("", _("{given}: {problem}; the indicators of {year} are {numbers}").format(
                given=repr(given), problem=problem or _("not an indicator"), year=fiscal_year,
                numbers=", ".join(map(str, method.indicator_numbers)))))
            continue
        score = _score(value)
        if score is None:
            problems.append(Problem("", _("indicator {number}: the score must be a number from 0 to 100, not {value}")
                                    .format(number=number, value=repr(value))))
            continue
        parsed[number] = score
    if problems:
        raise ITADataError(problems)
    return parsed


def _score(value: object) -> float | None:
    try:
        score = float(to_arabic_digits(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return score if math.isfinite(score) and 0 <= score <= 100 else None


def compare(scores: pd.Series, changes: Mapping[object, object], methodology: Methodology, fiscal_year: int,
            threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Before and after, one row per tool score, the total, the rating and the weak indicators, in Thai,
    numbers to the hundredth."""
    return _table(*before_after(scores, changes, methodology, fiscal_year, threshold),
                  methodology.year(fiscal_year))


def before_after(scores: pd.Series, changes: Mapping[object, object], methodology: Methodology, fiscal_year: int,
                 threshold: float = DEFAULT_THRESHOLD) -> tuple[pd.Series, pd.Series]:
    """The agency-year's score row (scoring.what_if) as it is, and with `changes` (checked) applied."""
    method = methodology.year(fiscal_year)
    return (what_if(scores, {}, method, threshold),
            what_if(scores, parse_changes(changes, methodology, fiscal_year), method, threshold))


def _table(before: pd.Series, after: pd.Series, method: YearMethod) -> pd.DataFrame:
    rows = {**{_("{tool} score").format(tool=tool): tool.lower() for tool in method.tool_weights},
            _("total"): "total", _("rating"): "rating", _("weak indicators"): "weak_indicators"}
    return pd.DataFrame({_("before"): [shown(before[column]) for column in rows.values()],
                         _("after"): [shown(after[column]) for column in rows.values()]}, index=list(rows))


def question_changes(analysis: QuestionAnalysis, changes: Mapping[object, object]) -> dict[int, float]:
    """`{question: score}` (an OIT item: มี/ไม่มี, or 100/0) as typed -> the indicator scores they make:
    each changed question's indicator recomputed from its questions (or items) with the change."""
    problems: list[Problem] = []
    present = analysis.results.present()
    scores = {tool: analysis.results.scores(tool) for tool in analysis.lists if tool != "OIT"}
    for given, value in changes.items():
        code = code_with_tool(given)
        tool = next((t for t, qlist in analysis.lists.items() if code and qlist.get(code)), None)
        if tool is None:
            problems.append(Problem("", _("{given}: not a question of the agency-year's data").format(
                given=repr(given))))
        elif tool == "OIT":
            typed = str(value).strip()
            present[code] = typed in ("มี", "True", "100", "100.0", "1")
        elif (score := _score(value)) is None:
            problems.append(Problem("", _("{code}: the score must be a number from 0 to 100, not {value}").format(
                code=code, value=repr(value))))
        else:
            scores[tool][code] = score
    if problems:
        raise ITADataError(problems)
    computed = {}
    for tool, qlist in analysis.lists.items():
        computed |= (oit_indicator_scores(present, qlist) if tool == "OIT" else indicator_means(scores[tool], qlist))
    return {number: score for number, score in computed.items() if abs(score - analysis.computed[number]) > 1e-9}


def compare_questions(dataset: Dataset, org: str, fiscal_year: int, changes: Mapping[object, object],
                      threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Before and after changing some questions' scores (or OIT items): the indicators they move, the tool
    scores, the total, the rating and the weak indicators."""
    analysis = analysis_for(dataset, org, fiscal_year, threshold)
    if analysis is None:
        raise ITADataError(Problem(str(dataset.data_dir), _("no question results for {org} in {year} in the folder's "
                                                            "questions/").format(org=org, year=fiscal_year)))
    moved = question_changes(analysis, changes)
    scores = dataset.scores_of(org, fiscal_year)
    method = dataset.methodology.year(fiscal_year)
    before, after = what_if(scores, {}, method, threshold), what_if(scores, moved, method, threshold)
    rows = pd.DataFrame({_("before"): [shown(float(scores[n])) for n in moved],
                         _("after"): [shown(score) for score in moved.values()]},
                        index=[_("indicator {number}").format(number=n) for n in moved])
    return pd.concat([rows, _table(before, after, method)])


def next_tier(result: pd.Series, method: YearMethod) -> str:
    """What it takes to reach the rating just above the one `result` has, as a sentence."""
    labels = [band.label for band in method.bands]  # highest first
    position = labels.index(result["rating"])
    if position == 0:
        return _("this is the highest rating")
    target = method.bands[position - 1]
    needs = []
    if result["total"] < target.min:
        needs.append(_("{points} more points of the total").format(
            points=thai_score(target.min - result["total"], "arabic")))
    if target.tool_floor is not None and _lowest_tool(result, method) < target.tool_floor:
        needs.append(_("every tool at least {floor}").format(floor=thai_score(target.tool_floor, "arabic")))
    return _("to reach {rating}: {needs}").format(rating=target.label, needs=_(" and ").join(needs))


def _lowest_tool(result: pd.Series, method: YearMethod) -> float:
    return min(float(result[tool.lower()]) for tool in method.tool_weights)


def score_box(slider):
    """A text box beside `slider` that shows its score to the hundredth and takes one typed in Arabic or
    Thai digits (`๙๐` sets 90): a slider's own readout parses only Arabic digits in the browser and drops
    anything else silently. A text that is not a score from 0 to 100 is put back to the slider's score."""
    import ipywidgets as widgets

    box = widgets.Text(value=f"{slider.value:.2f}", continuous_update=False, layout={"width": "6em"},
                       tooltip=_("a score from 0 to 100; Thai digits are accepted"))

    def typed(change) -> None:
        score = _score(change["new"])
        if score is not None:
            slider.value = round(score, 2)
        box.value = f"{slider.value:.2f}"

    def moved(change) -> None:
        box.value = f"{change['new']:.2f}"

    box.observe(typed, names="value")
    slider.observe(moved, names="value")
    return box


def calculator(dataset: Dataset, threshold: float = DEFAULT_THRESHOLD):
    """The calculator as JupyterLab widgets: pick an agency and a year, move the sliders or type a score
    (Thai digits too) in the box beside each."""
    import ipywidgets as widgets
    from IPython.display import display

    pairs = dataset.agency_years()
    orgs = sorted(set(pairs["org"]))
    org = widgets.Dropdown(options=orgs, description=_("agency"))
    year = widgets.Dropdown(description=_("year"))
    sliders = widgets.VBox()
    result = widgets.Output()

    def years_of(change=None) -> None:
        year.options = sorted(int(y) for y in pairs.loc[pairs["org"] == org.value, "fiscal_year"])
        year.value = year.options[-1]  # the latest results year

    def make_sliders(change=None) -> None:
        if year.value is None:
            return
        method = dataset.methodology.year(year.value)
        scores = dataset.scores_of(org.value, year.value)
        rows = [widgets.FloatSlider(value=float(scores[i.number]), min=0, max=100, step=0.01, readout=False,
                                    description=f"{i.number}. {i.name_th}", style={"description_width": "22em"},
                                    layout={"width": "46em"})
                for i in method.indicators]
        sliders.children = [widgets.HBox([slider, score_box(slider)]) for slider in rows]
        for slider in rows:
            slider.observe(show, names="value")
        show()

    def show(change=None) -> None:
        method = dataset.methodology.year(year.value)
        changes = {int(s.description.split(".")[0]): s.value for s, _box in (r.children for r in sliders.children)}
        before, after = before_after(dataset.scores_of(org.value, year.value), changes, dataset.methodology,
                                     year.value, threshold)
        result.clear_output(wait=True)
        with result:
            display(_table(before, after, method))
            print(next_tier(after, method))

    def agency_changed(change=None) -> None:
        years_of()
        make_sliders()  # also when the new agency's latest year is the same as the last one's

    org.observe(agency_changed, names="value")
    year.observe(make_sliders, names="value")
    agency_changed()
    return widgets.VBox([widgets.HBox([org, year]), sliders, result])
