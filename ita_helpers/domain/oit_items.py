"""The OIT's items (O1, O2, ...) of each fiscal year, read from data/oit_items.yaml with their sources and
certainty. Item numbers moved every year, so a document names the item it serves from the list of its own
year here, never from a number written in code; a year without a list, or whose list does not say which
item a document is, names none."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.safe_yaml import load_bounded

STATUSES = ("SRC", "2ND", "GAP")
DOCUMENTS = ("measures", "progress")  # the analysis-and-measures document; the report on what was done


@dataclass(frozen=True)
class OitItem:
    number: int
    title: str | None  # None: no source gives it
    sub_indicator: str | None  # e.g. "10.2"; None when unknown
    note: str = ""

    @property
    def code(self) -> str:
        return f"O{self.number}"


@dataclass(frozen=True)
class OitYear:
    fiscal_year: int
    status: str  # the tag of the list as a whole: SRC, 2ND or GAP
    count: int | None  # the number of items the sources quote for the year
    approximate: bool  # the sources say "about"
    sources: tuple[str, ...]
    items: tuple[OitItem, ...]
    documents: dict[str, int] = field(default_factory=dict)  # document -> item number

    def item(self, number: int) -> OitItem | None:
        return next((item for item in self.items if item.number == number), None)

    def document_item(self, document: str) -> OitItem | None:
        """The item that serves `document` ("measures" or "progress") in this year, if a source says."""
        number = self.documents.get(document)
        return None if number is None else self.item(number)

    @property
    def confirmed(self) -> bool:
        return self.status == "SRC"

    def sub_indicator_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            if item.sub_indicator is not None:
                counts[item.sub_indicator] = counts.get(item.sub_indicator, 0) + 1
        return counts


@dataclass(frozen=True)
class OitCatalogue:
    years: dict[int, OitYear]
    source: str

    def year(self, fiscal_year: int) -> OitYear | None:
        """The list of the year; None for a year the file does not have."""
        return self.years.get(int(fiscal_year))

    def document_item(self, document: str, fiscal_year: int) -> tuple[OitYear, OitItem] | None:
        """The item serving `document` in `fiscal_year`, with the list it comes from. A year after the last
        one in the file takes the latest list's item (its `fiscal_year` tells it is another year's)."""
        fiscal_year = int(fiscal_year)
        if self.years and fiscal_year > max(self.years):
            fiscal_year = max(self.years)
        year = self.year(fiscal_year)
        item = year.document_item(document) if year else None
        return None if year is None or item is None else (year, item)


def _read_year(fiscal_year: int, raw: dict) -> OitYear:
    items = tuple(OitItem(int(i["number"]), None if i.get("title") is None else str(i["title"]),
                          None if i.get("sub_indicator") is None else str(i["sub_indicator"]), str(i.get("note") or ""))
                  for i in raw.get("items") or ())
    return OitYear(fiscal_year, str(raw["status"]), None if raw.get("count") is None else int(raw["count"]),
                   bool(raw.get("approximate", False)), tuple(str(s) for s in raw.get("sources") or ()), items,
                   {str(k): int(v) for k, v in (raw.get("documents") or {}).items()})


def _problems(year: OitYear, source: str) -> list[Problem]:
    rules = []
    if year.status not in STATUSES:
        rules.append(_("status must be one of {choices}, not {value}").format(
            choices=", ".join(STATUSES), value=repr(year.status)))
    numbers = [item.number for item in year.items]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        rules.append(_("item {numbers} given more than once").format(numbers=", ".join(f"O{n}" for n in twice)))
    if year.count is not None and len(year.items) > year.count:
        rules.append(_("{listed} items listed, more than its count {count}").format(
            listed=len(year.items), count=year.count))
    for document, number in year.documents.items():
        if document not in DOCUMENTS:
            rules.append(_("unknown document {name}; documents are {choices}").format(
                name=repr(document), choices=", ".join(DOCUMENTS)))
        elif number not in numbers:
            rules.append(_("document {name} is item O{number}, which the year does not list").format(
                name=document, number=number))
    return [Problem(source, _("fiscal year {year}: {rule}").format(year=year.fiscal_year, rule=rule))
            for rule in rules]


@cache
def load_oit_items(path: Path) -> OitCatalogue:
    """Read an OIT items file; cached."""
    path = Path(path)
    try:
        raw = load_bounded(path.read_text(encoding="utf-8-sig"))
        years = {int(y): _read_year(int(y), body) for y, body in raw["years"].items()}
    except FileNotFoundError:
        raise ITADataError(Problem(str(path), _("file not found"))) from None
    except yaml.YAMLError as err:
        raise ITADataError(Problem(str(path), _("not valid YAML: {error}").format(error=err))) from None
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ITADataError(Problem(str(path), _("not laid out as data/oit_items.yaml: {error}").format(
            error=f"{type(err).__name__} {err}"))) from None
    problems = [problem for year in years.values() for problem in _problems(year, str(path))]
    if problems:
        raise ITADataError(problems)
    return OitCatalogue(years, str(path))
