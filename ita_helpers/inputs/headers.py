"""Header recognition: what a header cell of a score table names, however an agency typed it.

Agencies head their columns in Thai or English; they name an indicator by its number (in Arabic or Thai
digits, alone or as ``ตัวชี้วัดที่ 1``), by its name, or by both (``1. การปฏิบัติหน้าที่``); Excel leaves
non-breaking spaces, zero-width spaces and line breaks (Alt+Enter) inside cells. None of that matters
here: cells are compared by `key`, which drops spaces, case and the digits' script.

`Vocabulary.of(methodology)` holds every accepted form: `recognise` says what one header cell names,
`indicator` reads an indicator label (a wide header or a long-form cell), `find_header_row` finds the
header row below title rows, and `accepted_forms` says shortly, at the end of a message, what is accepted.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.i18n import _
from ..core.thai import TO_ARABIC, digits
from ..domain.methodology import Methodology

ORG = "org"
YEAR = "fiscal_year"
INDICATOR = "indicator"  # long form: the column naming the indicator of each row
SCORE = "score"  # long form: the column holding its score
TOTAL = "reported_total"
SOURCE = "source"
GROUP = "group"  # optional: the group an agency belongs to (a ministry, a province), for the group report

# Every header accepted for each column, the forms named in messages first.
FIELD_FORMS: dict[str, tuple[str, ...]] = {
    ORG: ("หน่วยงาน", "ชื่อหน่วยงาน", "org", "ส่วนราชการ", "ชื่อส่วนราชการ", "agency", "agency name",
          "organization", "organisation"),
    YEAR: ("ปีงบประมาณ", "ปี พ.ศ.", "fiscal_year", "ปีงบประมาณ พ.ศ.", "ปีงบ", "ปี", "พ.ศ.", "year", "FY"),
    TOTAL: ("คะแนนรวม", "คะแนน ITA", "reported_total", "คะแนนรวม ITA", "ผลคะแนนรวม", "ผลคะแนน ITA", "total",
            "total score", "ITA score"),
    INDICATOR: ("ตัวชี้วัด", "indicator", "ตัวชี้วัดที่"),
    SCORE: ("คะแนน", "score"),
    SOURCE: ("แหล่งที่มา", "source", "ที่มา", "แหล่งข้อมูล"),
    GROUP: ("กลุ่ม", "group", "กลุ่มหน่วยงาน"),
}
SHOWN_FORMS = 3  # how many forms of a column a message names
# Columns agencies add for themselves (row number, note): left alone without a word.
EXTRA_FORMS = ("ลำดับ", "ลำดับที่", "ที่", "No", "No.", "#", "หมายเหตุ", "note", "notes", "remark", "remarks")
# How an indicator's number may be introduced: ตัวชี้วัดที่ 1, ตัวชี้วัด 1, indicator 1.
NUMBER_PREFIXES = ("ตัวชี้วัดที่", "ตัวชี้วัด", "indicator")
HEADER_SEARCH_ROWS = 50  # title rows above the header: the header is looked for in this many rows
LOOKS_LIKE_INDICATOR = 0.75  # similarity to an indicator's name above which an unknown header is an error
LOOKS_LIKE_FIELD = 0.8  # similarity to a column's accepted form above which a header is suggested as a typo
HINT_CUTOFF = 0.4  # similarity needed to suggest an indicator's name in a message

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_LEFT_OUT = re.compile(r"[\s_\-]+")


def tidy(text: object) -> str:
    """A cell as messages show it: as typed, its runs of spaces, non-breaking spaces and line breaks as one
    space, invisible characters (zero-width spaces) dropped."""
    return " ".join(str(text).translate(_INVISIBLE).split())


def key(text: object) -> str:
    """What recognition compares: Unicode compatibility forms, Arabic digits, no case, and no spaces,
    underscores or hyphens (so ``ตัวชี้วัดที่1`` is ``ตัวชี้วัดที่ 1`` and ``fiscal year`` is ``fiscal_year``)."""
    text = unicodedata.normalize("NFKC", str(text).translate(_INVISIBLE)).translate(TO_ARABIC).casefold()
    return _LEFT_OUT.sub("", text)


_PREFIXES = tuple(sorted((key(p) for p in NUMBER_PREFIXES), key=len, reverse=True))
_PREFIX = "|".join(map(re.escape, _PREFIXES))
# A number first (after an optional prefix, in brackets or not), then an optional name after . : ) or nothing.
_NUMBERED = re.compile(rf"^(?P<prefix>{_PREFIX})?\(?(?P<number>\d+(?:\.\d+)?)\)?[.:)]*(?P<name>.*)$")
_WITH_GLOSS = re.compile(r"^(?P<name>.+?)\((?P<gloss>.+)\)$")  # การใช้งบประมาณ (Use of budget)


def field_label(field: str) -> str:
    """What a column holds, as messages say it."""
    return {
        ORG: _("agency"), YEAR: _("fiscal year"), TOTAL: _("published total"), INDICATOR: _("indicator"),
        SCORE: _("score"), SOURCE: _("source"), GROUP: _("group"),
    }[field]


@dataclass(frozen=True)
class Header:
    """What one header cell names."""

    text: str  # as typed, tidied: what messages call the column
    field: str | None = None  # ORG, YEAR, INDICATOR, SCORE, TOTAL, SOURCE or GROUP
    number: int | None = None  # the indicator whose scores the column holds (wide form)
    problem: str | None = None  # why the column cannot be read: it looks like an indicator or a known column
    extra: bool = False  # a column of the agency's own (ลำดับ, หมายเหตุ), left alone

    @property
    def read(self) -> bool:
        return self.field is not None or self.number is not None


@dataclass(frozen=True)
class Vocabulary:
    """Every accepted header and indicator label of one methodology."""

    methodology: Methodology
    names: dict[str, int]  # key of every name of an indicator (Thai, English, aliases) -> its number
    fields: dict[str, str]  # key of every accepted form of a column -> the column (ORG, YEAR, ...)
    extras: frozenset[str]  # keys of the columns left alone

    @classmethod
    def of(cls, methodology: Methodology) -> Vocabulary:
        names = {key(name): ind.number for method in methodology.years.values() for ind in method.indicators
                 for name in ind.names}
        fields = {key(form): field for field, forms in FIELD_FORMS.items() for form in forms}
        return cls(methodology, names, fields, frozenset(key(form) for form in EXTRA_FORMS))

    @property
    def numbers(self) -> list[int]:
        return sorted({ind.number for method in self.methodology.years.values() for ind in method.indicators})

    def official(self, number: int) -> str:
        """An indicator as messages name it, in a form accepted as a header: ``2 การใช้งบประมาณ (Use of budget)``."""
        ind = next(i for method in reversed(list(self.methodology.years.values())) for i in method.indicators
                   if i.number == number)
        return f"{ind.number} {ind.name_th} ({ind.name_en})"

    def field(self, text: object) -> str | None:
        """The column a header names exactly (ORG, YEAR, ...), or None: cheap, for finding the header row."""
        return self.fields.get(key(text))

    def indicator(self, text: object, unknown: str | None = None) -> tuple[int | None, str | None]:
        """The indicator a label names, and why it names none when it looks like one.

        ``(number, None)``: recognised. ``(None, problem)``: the label looks like an indicator (a number, the
        word ตัวชี้วัด, a name close to an indicator's) but names none, or its number and name disagree; a
        label that names no indicator is called `unknown` (default "unknown indicator"), with the nearest
        indicator suggested. ``(None, None)``: the label does not look like an indicator at all."""
        label = key(text)
        if label in self.names:
            return self.names[label], None
        numbered = _NUMBERED.match(label)
        if numbered is None:
            looks_like = label.startswith(_PREFIXES) or self._nearest(label, LOOKS_LIKE_INDICATOR) is not None
            return None, (self.unknown(text, unknown) if looks_like else None)
        number, name = numbered["number"], numbered["name"]
        if "." in number or int(number) not in self.numbers:
            return None, _("there is no indicator {number}: the indicators are numbered {first} to {last}").format(
                number=number, first=self.numbers[0], last=self.numbers[-1])
        number = int(number)
        for part in self._name_parts(name) if name else []:
            # the number decides between names: a typo is forgiven when the name is nearest to its own
            named = self.names.get(part) or self._nearest(part, LOOKS_LIKE_INDICATOR)
            if named is None:
                return None, _("{name} is not a name of indicator {number}, which is {official}").format(
                    name=repr(tidy(text)), number=number, official=self.official(number))
            if named != number:
                return None, _("the number says indicator {number}, {official}, but the name is that of "
                               "indicator {other}, {other_official}").format(
                    number=number, official=self.official(number), other=named, other_official=self.official(named))
        return number, None

    def unknown(self, text: object, rule: str | None = None) -> str:
        """`rule` (default "unknown indicator") for a label naming no indicator, with the nearest one suggested."""
        rule = rule or _("unknown indicator")
        number = self._nearest(key(text), HINT_CUTOFF)
        if number is None:
            return rule
        return _("{rule}; did you mean {suggestion}?").format(rule=rule, suggestion=self.official(number))

    def recognise(self, text: object) -> Header:
        """What one header cell names (see `Header`)."""
        shown, label = tidy(text), key(text)
        if label in self.fields:
            return Header(shown, field=self.fields[label])
        if label in self.extras:
            return Header(shown, extra=True)
        number, problem = self.indicator(text, _("unknown indicator column"))
        if number is not None or problem is not None:
            return Header(shown, number=number, problem=problem)
        return Header(shown)

    def closest_form(self, text: object, field: str) -> str | None:
        """The accepted form of `field` a header is likely a typo of (ปีงบประมาน for ปีงบประมาณ), or None.
        Only for a message about a missing column: ``รหัสหน่วยงาน`` is as close to ``หน่วยงาน`` as a typo."""
        forms = {key(form): form for form in FIELD_FORMS[field]}
        match = difflib.get_close_matches(key(text), list(forms), n=1, cutoff=LOOKS_LIKE_FIELD)
        return forms[match[0]] if match else None

    def _nearest(self, label: str, cutoff: float) -> int | None:
        match = difflib.get_close_matches(label, list(self.names), n=1, cutoff=cutoff)
        return self.names[match[0]] if match else None

    @staticmethod
    def _name_parts(name: str) -> list[str]:
        glossed = _WITH_GLOSS.match(name)
        return [glossed["name"], glossed["gloss"]] if glossed else [name]

    def header_score(self, cells: Iterable[str]) -> tuple[bool, int]:
        """(names the agency and the year, how many cells name a column): how much a row looks like a header."""
        fields, count = set(), 0
        for cell in cells:
            if not cell:
                continue
            field = self.field(cell)
            if field is not None:
                fields.add(field)
                count += 1
            elif self.indicator(cell)[0] is not None:
                count += 1
        return {ORG, YEAR} <= fields, count

    def find_header_row(self, rows: Sequence[Sequence[str]]) -> int | None:
        """Index of the header row among the top rows (rows above it are titles, blank, or a form's
        labels), or None: the first naming the agency, the fiscal year and indicators, else the first
        naming the agency and the fiscal year (its indicators may be numbered in a second row below), else
        the first naming the fiscal year and indicators with no agency (an agency's own sheet, one row per
        year: whose it is, the folder says)."""
        top = rows[:HEADER_SEARCH_ROWS]
        found = [index for index, row in enumerate(top) if {ORG, YEAR} <= {self.field(cell) for cell in row if cell}]
        first = next((index for index in found if self.names_indicators(rows[index])), found[0] if found else None)
        if first is not None:
            return first
        return next((index for index, row in enumerate(top)
                     if YEAR in {self.field(cell) for cell in row if cell} and self.names_indicators(row)), None)

    def looks_like_scores(self, rows: Sequence[Sequence[str]]) -> bool:
        """Whether the top rows hold a score table's header: the agency, the fiscal year and indicators (a
        column for each, or the long form's indicator column), in the header row or in a row right below."""
        top = self.find_header_row(rows)
        return top is not None and any(self.names_indicators(row) for row in rows[top:top + 2])

    def names_indicators(self, row: Sequence[str]) -> bool:
        return any(self.field(cell) == INDICATOR or self.indicator(cell)[0] is not None for cell in row if cell)

    def likeliest_header_row(self, rows: Sequence[Sequence[str]]) -> int | None:
        """Index of the top row naming the most columns (for a message when no header row is found), or None
        when every top row is blank."""
        scored = [(self.header_score(row)[1], -index) for index, row in enumerate(rows[:HEADER_SEARCH_ROWS])
                  if any(row)]
        return -max(scored)[1] if scored else None

    def accepted_forms(self, fields: Iterable[str] = (ORG, YEAR, INDICATOR, TOTAL)) -> str:
        """What is accepted for `fields` (ORG, YEAR, INDICATOR for the indicator columns, TOTAL), shortly,
        for the end of a message that has said first what is wrong."""
        first = self.methodology.years[self.methodology.latest_year].indicators[0]
        shown = {
            ORG: _("agency: {forms}").format(forms=", ".join(FIELD_FORMS[ORG][:SHOWN_FORMS])),
            YEAR: _("fiscal year: {forms}").format(forms=", ".join(FIELD_FORMS[YEAR][:SHOWN_FORMS])),
            INDICATOR: _("each indicator by its number or name, e.g. {n}, {thai_n}, ตัวชี้วัดที่ {n}, {n}. {name} (or, "
                         "one row per indicator, columns {indicator} and {score})").format(
                n=first.number, thai_n=digits(first.number, "thai"), name=first.name_th,
                indicator=FIELD_FORMS[INDICATOR][0], score=FIELD_FORMS[SCORE][0]),
            TOTAL: _("published total (optional): {forms}").format(forms=", ".join(FIELD_FORMS[TOTAL][:2])),
        }
        return _("accepted: {forms}").format(forms="; ".join(shown[f] for f in fields))

    def official_names(self, years: Iterable[int]) -> str:
        """The official names of the indicators of `years` (those the methodology knows; else its latest)."""
        known = sorted(set(years) & set(self.methodology.years)) or [self.methodology.latest_year]
        method = self.methodology.years[known[-1]]
        return _("the indicators of {year}: {indicators}").format(
            year=known[-1], indicators=", ".join(f"{i.number} {i.name_th}" for i in method.indicators))
