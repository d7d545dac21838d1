"""The ITA framework of each fiscal year, read from data/methodology.yaml.

Nothing about tools, indicators, weights or rating bands is written in code: a new fiscal
year is a new entry in the YAML file, or a sheet of a data folder's own framework workbook
(inputs.framework_xlsx), read into the same entry and checked by the same `shape_rules`.

Weights: each tool carries a share of the total. An indicator may carry its own `weight` (its share
of the total); then every indicator of its tool must carry one, and they must sum to the tool's
weight. The tool score is the mean of its indicators weighted by those weights (a plain mean when
none is given: the tool's weight split equally), and the total is the sum of tool weight x tool
score, which equals the sum of indicator weight x indicator score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.safe_yaml import load_bounded
from ..core.thai import to_arabic_digits

WEIGHT_TOLERANCE = 1e-9
# A results year at most this many years after the last one in the file is scored with the latest
# framework, marked presumed; a later one (e.g. 9999) is taken for a mistake and refused.
PRESUMED_SPAN = 3
# weights_status of a year an agency states in its own folder (inputs.framework_xlsx): neither confirmed
# from published rows nor presumed.
STATED_BY_AGENCY = "agency"


@dataclass(frozen=True)
class Indicator:
    number: int
    tool: str
    name_th: str
    name_en: str
    aliases: tuple[str, ...] = ()
    weight: float | None = None  # share of the total; None: the tool's weight split equally

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_th, self.name_en, *self.aliases)


@dataclass(frozen=True)
class Band:
    """A rating that applies when the total is at least `min` and every tool at least `tool_floor`."""

    label: str
    min: float
    tool_floor: float | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class YearMethod:
    fiscal_year: int
    pass_mark: float
    weights_status: str  # "confirmed", "presumed" or STATED_BY_AGENCY
    tool_weights: dict[str, float]
    indicators: tuple[Indicator, ...]
    scheme: str  # "letter_bands" or "tiers"
    bands: tuple[Band, ...]  # highest first
    framework_year: int = 0  # the year whose entry this is: a later year without one borrows the latest
    sources: tuple[str, ...] = ()  # what the entry rests on, with its evidence tags ([SRC], [2ND], ...)

    @property
    def weights_presumed(self) -> bool:
        return self.weights_status not in ("confirmed", STATED_BY_AGENCY)

    @property
    def stated_by_agency(self) -> bool:
        """The year's framework is the one the agency stated in its own data folder (its framework workbook)."""
        return self.weights_status == STATED_BY_AGENCY

    @property
    def framework_presumed(self) -> bool:
        """True when the year has no entry of its own and the latest known framework is assumed for it."""
        return self.framework_year != self.fiscal_year

    def indicator(self, number: int) -> Indicator:
        return next(i for i in self.indicators if i.number == number)

    @property
    def indicator_numbers(self) -> list[int]:
        return [i.number for i in self.indicators]

    def tool_indicators(self, tool: str) -> list[int]:
        return [i.number for i in self.indicators if i.tool == tool]

    @property
    def indicator_weights(self) -> pd.Series:
        """Share of the total each indicator carries: its own weight, else its tool's weight split equally."""
        return pd.Series(
            {
                i.number: i.weight if i.weight is not None
                else self.tool_weights[i.tool] / len(self.tool_indicators(i.tool))
                for i in self.indicators
            },
            name="weight",
        )

    def weights_in_tool(self, tool: str) -> pd.Series:
        """Weights of the tool's indicators inside its score, by number: their own weights, else 1 each
        (so an equal split is exactly the plain mean)."""
        return pd.Series(
            {i.number: 1.0 if i.weight is None else i.weight for i in self.indicators if i.tool == tool},
            dtype="float64",
        )

    def rate(self, totals: pd.Series, tools: pd.DataFrame) -> pd.Series:
        """Rating label of each row, vectorised; `totals` and `tools` as published (two decimals)."""
        lowest_tool = tools[list(self.tool_weights)].min(axis=1).to_numpy()
        total = totals.to_numpy()
        conditions = [
            (total >= band.min) & (lowest_tool >= (band.tool_floor if band.tool_floor is not None else -np.inf))
            for band in self.bands
        ]
        chosen = np.select(conditions, range(len(self.bands)), default=len(self.bands) - 1)
        labels = np.array([band.label for band in self.bands], dtype=object)[chosen]  # the labels' own strings
        return pd.Series(labels, index=totals.index, dtype="string")


@dataclass(frozen=True)
class Methodology:
    years: dict[int, YearMethod]
    source: str

    @property
    def latest_year(self) -> int:
        return max(self.years)

    def presumed(self, fiscal_year: int) -> bool:
        """A year after the last one in the file: its framework is presumed to be the latest known."""
        return self.latest_year < int(fiscal_year) <= self.latest_year + PRESUMED_SPAN

    def covers(self, fiscal_year: int) -> bool:
        """Whether scores of the year can be scored: a year of the file, or any later one (presumed)."""
        return int(fiscal_year) in self.years or self.presumed(fiscal_year)

    def year(self, fiscal_year: int) -> YearMethod:
        """The framework of the year; for a year after the last one in the file, the latest framework,
        marked presumed (`framework_presumed`). A year before the first one is an error."""
        fiscal_year = int(fiscal_year)
        if self.presumed(fiscal_year):
            return replace(self.years[self.latest_year], fiscal_year=fiscal_year)
        try:
            return self.years[fiscal_year]
        except KeyError:
            known = ", ".join(str(y) for y in sorted(self.years))
            raise ITADataError(
                Problem(self.source, _("no methodology for fiscal year {year}; known years: {known}").format(
                    year=fiscal_year, known=known))
            ) from None

    @property
    def indicator_names(self) -> dict[str, int]:
        """Every accepted way of naming an indicator (number, Thai, English, aliases) -> its number."""
        names: dict[str, int] = {}
        for method in self.years.values():
            for ind in method.indicators:
                names[str(ind.number)] = ind.number
                for name in ind.names:
                    names[_normalise(name)] = ind.number
        return names

    def indicator_number(self, label: object) -> int | None:
        return self.indicator_names.get(_normalise(label))


def _normalise(label: object) -> str:
    return " ".join(to_arabic_digits(str(label)).split()).casefold()


def _read_band(raw: dict) -> Band:
    return Band(
        label=str(raw["label"]),
        min=float(raw["min"]),
        tool_floor=None if raw.get("tool_floor") is None else float(raw["tool_floor"]),
        label_en=raw.get("label_en"),
    )


def read_year(fiscal_year: int, raw: dict) -> YearMethod:
    indicators = tuple(
        Indicator(int(i["number"]), str(i["tool"]), str(i["name_th"]), str(i["name_en"]), tuple(i.get("aliases") or ()),
                  None if i.get("weight") is None else float(i["weight"]))
        for i in raw["indicators"]
    )
    bands = tuple(sorted((_read_band(b) for b in raw["rating"]["bands"]), key=lambda b: -b.min))
    return YearMethod(
        fiscal_year=fiscal_year,
        pass_mark=float(raw["pass_mark"]),
        weights_status=str(raw.get("weights_status", "presumed")),
        tool_weights={str(t["code"]): float(t["weight"]) for t in raw["tools"]},
        indicators=indicators,
        scheme=str(raw["rating"]["scheme"]),
        bands=bands,
        framework_year=fiscal_year,
        sources=tuple(str(source) for source in raw.get("sources") or ()),
    )


def shape_rules(method: YearMethod, whole: float = 1) -> list[tuple[str, tuple]]:
    """What makes a year's tools and indicators unusable, each rule with where it is broken: weights not
    summing to the whole, an indicator number given twice or in a tool the year does not list, a tool
    without indicators, or indicator weights given for only some of a tool's indicators or not summing to
    the tool's weight. Weights are shown as shares of `whole` (1 in the YAML file, 100 in a workbook's %).
    Where: ("weights",), ("marks",), ("tools",), ("indicator", number) (its number), ("indicator_tool", number)
    (its tool), ("tool", code) (the tool itself) or ("tool_indicators", code) (its indicators' weights)."""
    def shown(weight: float) -> str:
        return f"{round(weight * whole, 9):g}"

    rules: list[tuple[str, tuple]] = []
    weights = [*method.tool_weights.values(), *(i.weight for i in method.indicators if i.weight is not None)]
    if not all(0 <= weight <= 1 for weight in weights):  # nan and inf too
        rules.append((_("weights must be numbers from 0 to {whole}").format(whole=f"{whole:g}"), ("weights",)))
    if not all(0 <= number <= 100 for number in [method.pass_mark, *(band.min for band in method.bands)]):
        rules.append((_("the pass mark and the rating bands' minimums must be scores from 0 to 100"), ("marks",)))
    total = sum(method.tool_weights.values())
    if abs(total - 1) > WEIGHT_TOLERANCE:
        rules.append((_("tool weights sum to {total}, not {whole}").format(total=shown(total), whole=f"{whole:g}"),
                      ("tools",)))
    twice = sorted({n for n in method.indicator_numbers if method.indicator_numbers.count(n) > 1})
    if twice:
        rules.append((_("indicator number {numbers} given more than once").format(numbers=", ".join(map(str, twice))),
                      ("indicator", twice[0])))
    for ind in method.indicators:
        if ind.tool not in method.tool_weights:
            rule = _("indicator {number} is in tool {tool}, which is not among the year's tools ({tools})")
            rules.append((rule.format(number=ind.number, tool=repr(ind.tool), tools=", ".join(method.tool_weights)),
                          ("indicator_tool", ind.number)))
    for tool, weight in method.tool_weights.items():
        own = [i for i in method.indicators if i.tool == tool]
        given = [i.weight for i in own if i.weight is not None]
        if not own:
            rules.append((_("tool {tool} has no indicators").format(tool=tool), ("tool", tool)))
        elif given and len(given) < len(own):
            rules.append((_("only some indicators of tool {tool} carry a weight: give all of them one, "
                            "or none to split {weight} equally").format(tool=tool, weight=shown(weight)),
                          ("tool_indicators", tool)))
        elif given and abs(sum(given) - weight) > WEIGHT_TOLERANCE:
            rules.append((_("indicator weights of tool {tool} sum to {total}, not the tool's weight {weight}").format(
                tool=tool, total=shown(sum(given)), weight=shown(weight)), ("tool_indicators", tool)))
    return rules


def _shape_problems(method: YearMethod, source: str) -> list[Problem]:
    return [Problem(source, _("fiscal year {year}: {rule}").format(year=method.fiscal_year, rule=rule))
            for rule, _where in shape_rules(method)]


@cache
def _years_of(text: str) -> dict[int, YearMethod]:
    """The years of a methodology file's text, parsed once per process for each text: a report kernel
    forked from its template finds the methodology every data folder copies already parsed."""
    raw = load_bounded(text)
    return {int(y): read_year(int(y), body) for y, body in raw["years"].items()}


def methodology_text(path: Path) -> str:
    """The methodology file's text; a missing or non-UTF-8 file told in Thai."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ITADataError(Problem(str(path), _("methodology file not found"))) from None
    except UnicodeDecodeError:
        raise ITADataError(Problem(str(path), _("not UTF-8 text: save the file with the encoding UTF-8"))) from None


def methodology_of(text: str, source: str) -> Methodology:
    """The methodology a YAML text lays out, every year's shape checked; `source` names it in problems."""
    try:
        years = dict(_years_of(text))
    except yaml.YAMLError as err:
        raise ITADataError(Problem(source, _("not valid YAML: {error}").format(error=err))) from None
    except KeyError as err:
        raise ITADataError(Problem(source, _("not laid out as data/methodology.yaml: the key {key} is "
                                             "missing").format(key=repr(err.args[0])))) from None
    except (TypeError, ValueError, AttributeError) as err:
        raise ITADataError(Problem(source, _("not laid out as data/methodology.yaml: {error}").format(
            error=f"{type(err).__name__} {err}"))) from None
    problems = [problem for method in years.values() for problem in _shape_problems(method, source)]
    if problems:
        raise ITADataError(problems)
    return Methodology(years=years, source=source)


@cache
def load_methodology(path: Path) -> Methodology:
    """Read the methodology file; cached, since every loader and report needs it."""
    return methodology_of(methodology_text(path), str(path))


def with_years(text: str, years: dict[int, dict]) -> str:
    """A methodology YAML text with `years` (raw entries, as `read_year` reads them) put in place of its own
    entries of those years: how a data folder's own framework of a year overrides the file's."""
    raw = load_bounded(text)
    raw["years"] = {**raw["years"], **years}
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000)
