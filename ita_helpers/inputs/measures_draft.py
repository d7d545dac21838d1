"""A measures file as first read, before any rule is applied: each value as the user wrote it, with where
it was written (`Draft`), the names each value may be given (the label tables), and what the rules make
of a draft (`MeasurePlan`). The YAML reader (`measures`) and the Excel reader (`measures_xlsx`) fill it
alike."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..core.errors import Problem
from ..core.i18n import _
from ..core.thai import to_arabic_digits

# What each value is called: its key in YAML, then the labels an Excel workbook may give it (the first is
# the one the templates write). A YAML file may use a label as its key too.
HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "unit": ("หน่วยงานที่จัดทำ",),
    "scores_org": ("หน่วยงานที่ได้รับการประเมิน", "ชื่อหน่วยงานในไฟล์คะแนน"),
    "results_year": ("ปีงบประมาณของผลการประเมิน", "ปีของผลการประเมิน"),
    "plan_year": ("ปีงบประมาณของมาตรการ", "ปีงบประมาณที่ดำเนินการ"),
    "source": ("แหล่งที่มา",),
    "unit_en": ("ชื่อหน่วยงานภาษาอังกฤษ",),
}
LIST_LABELS: dict[str, tuple[str, ...]] = {
    "issues": ("ประเด็น",),
    "constraints": ("ข้อจำกัด",),
}
ISSUE_LABELS: dict[str, tuple[str, ...]] = {
    "indicators": ("ตัวชี้วัดที่", "ตัวชี้วัด"),
    "title": ("ประเด็นที่ต้องพัฒนา", "ประเด็น"),
    "measures": ("มาตรการ", "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ"),
    "responsible": ("ผู้รับผิดชอบ",),
    "steps": ("ขั้นตอนการดำเนินการ", "ขั้นตอนหรือวิธีปฏิบัติ", "ขั้นตอน"),
    "questions": ("ข้อคำถามที่มุ่งแก้", "ข้อคำถามหรือรายการที่มุ่งแก้", "ข้อคำถาม"),
}
OPTIONAL_ISSUE_KEYS = ("questions",)  # an issue may leave them out; a table may have no such column
REQUIRED = ("unit", "scores_org", "results_year", "plan_year")
TOP_LABELS = HEADER_LABELS | LIST_LABELS

@dataclass(frozen=True)
class IssueGroup:
    title: str
    indicators: tuple[int, ...]
    measures: tuple[str, ...]
    responsible: str  # one unit a line
    steps: tuple[str, ...]
    questions: tuple[str, ...] = ()  # the question or OIT item codes the measures aim at: i8, e5, O28


@dataclass(frozen=True)
class MeasurePlan:
    """The measures a unit set for `plan_year` from the results of `results_year` of `scores_org`."""

    unit: str
    scores_org: str
    results_year: int
    plan_year: int | None  # None: the file does not say; the report's default (the year after the results)
    issues: tuple[IssueGroup, ...]
    constraints: tuple[str, ...]
    source: str
    file: str

    @property
    def covered_indicators(self) -> set[int]:
        return {n for issue in self.issues for n in issue.indicators}

    def uncovered(self, weak: list[int]) -> list[int]:
        """Weak indicators that no issue group addresses, in the order given."""
        return [n for n in weak if n not in self.covered_indicators]


# --- a file as written ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where a value was written: a YAML line, or an Excel sheet's row and column; `context` names the
    issue (`issue 2`) in a YAML file, whose lines alone are not telling."""

    file: str
    line: int | None = None
    row: int | None = None
    column: str | None = None
    context: str | None = None
    sheet: int = 0  # an Excel sheet's position, to tell its problems in the order of the workbook

    def problem(self, rule: str, value: object = None) -> Problem:
        if self.context:
            rule = _("{context}: {rule}").format(context=self.context, rule=rule)
        if self.line is not None:
            where = (_("line {line}").format(line=self.line) if value is None else
                     _("line {line}, value {value}").format(line=self.line, value=repr(shown(value))))
            return Problem(self.file, _("{rule} ({where})").format(rule=rule, where=where))
        return Problem(self.file, rule, self.row, self.column, None if value is None else shown(value))


class Found(list):
    """Problems, and where each was found: `in_file_order` tells them as a reader meets them (line by line;
    sheet by sheet, row by row), those of no one place (a missing key) first."""

    def __init__(self, problems: Found = ()):
        super().__init__(problems)
        self.places: dict[int, tuple[int, int]] = {}

    def add(self, place: Place, rule: str, value: object = None) -> None:
        problem = place.problem(rule, value)
        self.places[id(problem)] = (place.sheet, place.line or place.row or 0)
        self.append(problem)

    def merge(self, other: Found) -> None:
        self.places |= other.places
        self.extend(other)

    def in_file_order(self) -> list[Problem]:
        return sorted(self, key=lambda p: self.places.get(id(p), (0, 0)))


@dataclass(frozen=True)
class Cell:
    """One value as written: text (YAML scalars are kept as typed), an Excel number or date, or a list
    of cells (a YAML list; a YAML mapping where a text was meant, as its `key: value` texts; the cells
    of an Excel issue that goes on over several rows). `text` is how a message shows it."""

    value: object
    place: Place
    text: str = ""

    @property
    def empty(self) -> bool:
        if isinstance(self.value, list):
            return all(item.empty for item in self.value)
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass
class IssueDraft:
    place: Place
    cells: dict[str, Cell]
    labels: dict[str, str]  # key -> what this file calls it (a YAML key, an Excel column header)
    readable: bool = True  # False: not laid out as an issue at all (already a problem)


@dataclass
class Draft:
    """A measures file as written, before the rules: its values, where each was written, and the
    problems met while reading it (unknown keys, a key given twice, a table without a column)."""

    file: str
    kind: str  # "yaml" or "xlsx"
    cells: dict[str, Cell] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    issues: list[IssueDraft] | None = None  # None: no usable list of issues (already a problem)
    problems: Found = field(default_factory=Found)

    def label(self, key: str) -> str:
        return self.labels.get(key) or (TOP_LABELS[key][0] if self.kind == "xlsx" else key)

    def missing(self, key: str) -> Problem:
        if self.kind == "xlsx":
            return Problem(self.file, _("no {label}: write it in the cell to the right of a cell reading {label}, "
                                        "above the table").format(label=repr(self.label(key))))
        return Problem(self.file, _("missing key {key}").format(key=repr(key)))


def shown(value: object) -> str:
    """A value as the user wrote it, for a message: never a Python dict or list."""
    if isinstance(value, Cell):
        return value.text or shown(value.value)
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def label_key(label: object, labels: dict[str, tuple[str, ...]]) -> str | None:
    """The key a label names (`results_year`, `ปีงบประมาณของผลการประเมิน`, `ตัวชี้วัดที่ (เช่น 6)`), or None."""
    text = normalise_label(label)
    for key, names in labels.items():
        if text == key or text in (normalise_label(n) for n in names):
            return key
    return None


def normalise_label(label: object) -> str:
    text = to_arabic_digits(str(label if label is not None else "")).split("(")[0]
    return " ".join(text.replace("*", " ").split()).rstrip(":").strip().casefold()


def closest_label(label: object, labels: dict[str, tuple[str, ...]]) -> str | None:
    names = [name for key, more in labels.items() for name in (key, *more)]
    match = difflib.get_close_matches(normalise_label(label), names, n=1, cutoff=0.6)
    return match[0] if match else None


# --- YAML ------------------------------------------------------------------------------------------

