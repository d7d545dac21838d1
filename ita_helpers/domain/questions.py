"""The questions (IIT i1-i30, EIT e1-e15) and OIT items (O1, O2, ...) of each fiscal year, and how the
levels add up: an IIT or EIT indicator is the mean of its questions; an OIT sub-indicator is the share of
its items published, an OIT indicator the mean of its sub-indicators (ITA_FACTS.md).

The questions come from data/questions.yaml (or a data folder's own), the OIT items from oit_items.yaml,
each list with its status (SRC, 2ND, GAP) and sources. `wording` is what a source gives; None when none
does: a code alone is never shown as the NACC's wording."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.safe_yaml import load_bounded
from ..core.thai import to_arabic_digits
from .oit_items import OitCatalogue

TOOLS = ("IIT", "EIT", "OIT")
PREFIX = {"IIT": "i", "EIT": "e", "OIT": "O"}
STATUSES = ("SRC", "2ND", "GAP", "agency")  # agency: a data folder's own catalogue sheet
_CODE = re.compile(r"^(?:ข้อ(?:ที่)?|รายการที่|item|no\.?)?\s*([ieo])?\s*[.\-]?\s*(\d{1,3})$", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    code: str  # i12, e3, O28
    tool: str
    indicator: int
    sub_indicator: str | None = None  # the OIT's "9.5"; None for IIT and EIT questions
    wording: str | None = None  # as a source gives it; None when none does

    @property
    def number(self) -> int:
        return int(self.code[1:])


@dataclass(frozen=True)
class QuestionList:
    """One tool's questions (or items) of one fiscal year, with how surely they are known."""

    fiscal_year: int
    tool: str
    status: str
    sources: tuple[str, ...]
    questions: tuple[Question, ...]

    def get(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [q.code for q in self.questions]

    def of_indicator(self, number: int) -> list[Question]:
        return [q for q in self.questions if q.indicator == number]

    def sub_indicator_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for question in self.questions:
            if question.sub_indicator:
                sizes[question.sub_indicator] = sizes.get(question.sub_indicator, 0) + 1
        return sizes


@dataclass(frozen=True)
class QuestionCatalogue:
    lists: dict[tuple[int, str], QuestionList]
    source: str

    def list(self, fiscal_year: int, tool: str) -> QuestionList | None:
        return self.lists.get((int(fiscal_year), tool))

    def years(self, tool: str) -> list[int]:
        return sorted(year for year, t in self.lists if t == tool)

    def overridden_by(self, other: QuestionCatalogue) -> QuestionCatalogue:
        """This catalogue with `other`'s lists in place of its own for the same year and tool."""
        return QuestionCatalogue(self.lists | other.lists, f"{self.source}; {other.source}")


def code_of(text: object, tool: str) -> str | None:
    """A question's code as the catalogue writes it: `i1`, `I1`, `ข้อ 1`, `ข้อที่ ๑`, `1` -> i1 (in the IIT);
    `O12`, `o๑๒` -> O12. None when it is no code, or the code of another tool."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    match = _CODE.match(" ".join(to_arabic_digits(str(text if text is not None else "")).split()))
    if not match:
        return None
    letter, number = match.group(1), int(match.group(2))
    if letter is not None and letter.lower() != PREFIX[tool].lower():
        return None
    return f"{PREFIX[tool]}{number}"


def code_with_tool(text: object) -> str | None:
    """A code that names its tool by its letter (`i8`, `E5`, `o๒๘`), as the catalogue writes it; else None."""
    letter = " ".join(to_arabic_digits(str(text)).split())[:1].lower()
    tool = next((t for t, prefix in PREFIX.items() if prefix.lower() == letter), None)
    return code_of(text, tool) if tool else None


def oit_lists(oit: OitCatalogue) -> dict[tuple[int, str], QuestionList]:
    """The OIT's item lists as question lists: items whose sub-indicator is known, with their titles."""
    lists = {}
    for year, items in oit.years.items():
        questions = tuple(Question(item.code, "OIT", int(item.sub_indicator.split(".")[0]), item.sub_indicator,
                                   item.title) for item in items.items if item.sub_indicator)
        if questions:
            lists[(year, "OIT")] = QuestionList(year, "OIT", items.status, items.sources, questions)
    return lists


def _read_list(year: int, tool: str, raw: dict) -> QuestionList:
    questions = tuple(Question(str(q["code"]), tool, int(q["indicator"]), None,
                               None if q.get("wording") is None else str(q["wording"]))
                      for q in raw.get("questions") or ())
    return QuestionList(year, tool, str(raw["status"]), tuple(str(s) for s in raw.get("sources") or ()), questions)


def list_problems(qlist: QuestionList, source: str) -> list[Problem]:
    """What makes a list unusable: an unknown status, a code not of its tool, a code given twice."""
    rules = []
    if qlist.status not in STATUSES:
        rules.append(_("status must be one of {choices}, not {value}").format(
            choices=", ".join(STATUSES), value=repr(qlist.status)))
    bad = [q.code for q in qlist.questions if code_of(q.code, qlist.tool) != q.code]
    if bad:
        rules.append(_("{codes} are not {tool} codes").format(codes=", ".join(bad), tool=qlist.tool))
    codes = qlist.codes
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        rules.append(_("question {codes} given more than once").format(codes=", ".join(twice)))
    return [Problem(source, _("fiscal year {year}, {tool}: {rule}").format(year=qlist.fiscal_year, tool=qlist.tool,
                                                                          rule=rule)) for rule in rules]


@cache
def load_questions(path: Path) -> QuestionCatalogue:
    """Read a questions file laid out as data/questions.yaml; cached."""
    path = Path(path)
    try:
        raw = load_bounded(path.read_text(encoding="utf-8-sig"))
        lists = {(int(year), tool): _read_list(int(year), tool, body)
                 for year, tools in raw["years"].items() for tool, body in tools.items()}
    except FileNotFoundError:
        raise ITADataError(Problem(str(path), _("file not found"))) from None
    except yaml.YAMLError as err:
        raise ITADataError(Problem(str(path), _("not valid YAML: {error}").format(error=err))) from None
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ITADataError(Problem(str(path), _("not laid out as data/questions.yaml: {error}").format(
            error=f"{type(err).__name__} {err}"))) from None
    surveys = TOOLS[:2]  # the OIT's items are in oit_items.yaml
    problems = [Problem(str(path), _("unknown tool {tool}; tools are {choices}").format(
        tool=repr(tool), choices=", ".join(surveys))) for (_year, tool) in lists if tool not in surveys]
    problems += [p for (_year, tool), qlist in lists.items() if tool in surveys
                 for p in list_problems(qlist, str(path))]
    if problems:
        raise ITADataError(problems)
    return QuestionCatalogue(lists, str(path))


# --- how the levels add up ------------------------------------------------------------------------------

def indicator_means(scores: dict[str, float], qlist: QuestionList) -> dict[int, float]:
    """IIT or EIT: each indicator's mean of its questions, for the indicators whose questions are all given."""
    means = {}
    for number in dict.fromkeys(q.indicator for q in qlist.questions):
        values = [scores.get(q.code) for q in qlist.of_indicator(number)]
        if values and all(v is not None for v in values):
            means[number] = sum(values) / len(values)
    return means


def sub_indicator_scores(present: dict[str, bool], qlist: QuestionList) -> dict[str, float]:
    """OIT: each sub-indicator's share (0-100) of its items published, where all its items are given."""
    scores = {}
    for sub, size in qlist.sub_indicator_sizes().items():
        given = [present.get(q.code) for q in qlist.questions if q.sub_indicator == sub]
        if all(g is not None for g in given):
            scores[sub] = 100 * sum(bool(g) for g in given) / size
    return scores


def oit_indicator_scores(present: dict[str, bool], qlist: QuestionList) -> dict[int, float]:
    """OIT: each indicator's mean of its sub-indicators, where every sub-indicator of it is known."""
    subs = sub_indicator_scores(present, qlist)
    sizes = qlist.sub_indicator_sizes()
    scores = {}
    for number in dict.fromkeys(q.indicator for q in qlist.questions):
        own = [s for s in sizes if int(s.split(".")[0]) == number]
        if own and all(s in subs for s in own):
            scores[number] = sum(subs[s] for s in own) / len(own)
    return scores


def item_worth(code: str, qlist: QuestionList) -> float:
    """The indicator points one OIT item is worth: 100 / (its sub-indicator's size x the indicator's count
    of sub-indicators)."""
    item = qlist.get(code)
    sizes = qlist.sub_indicator_sizes()
    siblings = [s for s in sizes if int(s.split(".")[0]) == item.indicator]
    return 100 / (sizes[item.sub_indicator] * len(siblings))
