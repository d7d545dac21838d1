"""The document model: the parts a document is made of, as values.

A notebook cell builds parts from the data and displays them. Each displayed part carries its HTML (what
JupyterLab and the HTML page show) and, beside it, its own JSON in a MIME type of ours (`PART_MIME`): the
exporters read the executed notebook's parts back with `from_json` and render them to each format. A part
holds text already written as the document says it (digits in the document's style), so a renderer only
lays it out and never writes a sentence of its own.

Parts are small frozen dataclasses whose fields are JSON values (text, numbers, lists and other parts'
rows), so `to_json` and `from_json` are exact inverses; tests/unit/test_parts.py checks it for every kind."""

from __future__ import annotations

import base64
import re
from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar, Literal

from ..core.thai import to_arabic_digits
from .html import html_of

PART_MIME = "application/vnd.ita.part+json"
STATUS_MIME = "application/vnd.ita.status+json"  # the report's warnings and figures, for the batch runner
REMOVE_TAG = "remove"  # notebook cells that explain the notebook to its user, not part of the document
PREVIEW_TAG = "ita-preview"  # outputs that style the notebook in JupyterLab only
_PART_NUMBER = re.compile(r"([๐-๙0-9]+)\.")

Tone = Literal["notice", "flag"]  # a reader should know (an orange rule) / a gap the agency must close (red box)
RowKind = Literal["", "weak", "tool", "total"]


@dataclass(frozen=True)
class Part:
    kind: ClassVar[str]

    def to_json(self) -> dict:
        return {"kind": self.kind} | asdict(self)

    def html(self) -> str:
        """What JupyterLab and the page show (document.html, from the part's JSON)."""
        return html_of(self.to_json())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.html(), PART_MIME: self.to_json(), "text/plain": self.plain()}

    def plain(self) -> str:
        """What a viewer without HTML shows: the part's first text."""
        return ""


@dataclass(frozen=True)
class Title(Part):
    """The document's title; `author`, the unit that publishes it, is what Word's properties name."""
    kind: ClassVar[str] = "title"
    text: str
    author: str = ""

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True)
class Contents(Part):
    """The table of contents. Its entries are the document's numbered parts as the builder knows them; an
    exporter lists the headings the executed notebook actually has (`document_blocks`)."""
    kind: ClassVar[str] = "contents"
    entries: list[Entry]
    label: str = "สารบัญ"


@dataclass(frozen=True)
class Entry:
    anchor: str
    text: str


def anchor(title: str) -> str:
    """`part-2` for a numbered part's heading "๒. ..." (or "2. ..."): the table of contents links to it."""
    number = _PART_NUMBER.match(title)
    return f"part-{to_arabic_digits(number.group(1))}" if number else ""


@dataclass(frozen=True)
class Heading(Part):
    """A part's heading (level 2, numbered, an anchor for the contents) or a sub-heading (level 3)."""
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 2
    anchor: str = ""

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True)
class Paragraph(Part):
    kind: ClassVar[str] = "paragraph"
    text: str

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True)
class Notice(Part):
    kind: ClassVar[str] = "notice"
    text: str
    tone: Tone = "notice"

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True)
class Item:
    """A numbered item: its number as the document writes it ("๑.") and its text."""
    number: str
    text: str


@dataclass(frozen=True)
class NumberedList(Part):
    kind: ClassVar[str] = "list"
    items: list[Item]


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    width: float = 0.0  # a share of the text width; 0: as the content needs


@dataclass(frozen=True)
class Cell:
    """A table cell: its text as shown, and for a number its value (what a reader's tool would compute on)."""
    text: str
    value: float | None = None


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    kind: RowKind = ""


@dataclass(frozen=True)
class Table(Part):
    """A table; with `cards`, a phone shows each row as a card, every cell under its column's name."""
    kind: ClassVar[str] = "table"
    caption: str
    columns: list[Column]
    rows: list[Row]
    cards: bool = False


@dataclass(frozen=True)
class Issue:
    """One row of the action table: an issue with the indicators it covers, its measures, who is
    responsible and the steps, numbered as the document numbers them."""
    number: str
    title: str
    covers: str
    measures: list[Item]
    responsible: str
    steps: list[Item]


@dataclass(frozen=True)
class ActionTable(Part):
    kind: ClassVar[str] = "actions"
    columns: list[str]
    issues: list[Issue]


@dataclass(frozen=True)
class Chart(Part):
    """A chart: its title (shown once, as the document's heading of it), the data it draws, and its picture
    as SVG for pages and, when asked for, as PNG for Word (which takes no SVG)."""
    kind: ClassVar[str] = "chart"
    title: str
    data: list[dict] = field(default_factory=list)
    svg: str = field(default="", repr=False)
    png: str = field(default="", repr=False)  # base64

    def to_json(self) -> dict:
        """The pictures travel in their own MIME types beside the JSON, not inside it."""
        return {"kind": self.kind, "title": self.title, "data": self.data}

    def html(self) -> str:
        return html_of(self.to_json() | {"svg": self.svg})

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        bundle = super()._repr_mimebundle_(include, exclude)
        if self.png:
            bundle["image/png"] = self.png
        return bundle, {"image/png": {"alt": self.title}} if self.png else {}

    def plain(self) -> str:
        return self.title

    @property
    def png_bytes(self) -> bytes:
        return base64.b64decode(self.png) if self.png else b""


@dataclass(frozen=True)
class Signature(Part):
    """Where the head of the unit signs: name, position and date lines, as an official document ends."""
    kind: ClassVar[str] = "signature"
    lines: list[str] = field(default_factory=lambda: ["ลงชื่อ ........................................",
                                                     "(........................................)",
                                                     "ตำแหน่ง ........................................",
                                                     "วันที่ ........................................"])


KINDS: dict[str, type[Part]] = {cls.kind: cls for cls in (Title, Contents, Heading, Paragraph, Notice, NumberedList,
                                                         Table, ActionTable, Chart, Signature)}
_NESTED = {"entries": Entry, "items": Item, "columns": Column, "rows": Row, "cells": Cell, "issues": Issue,
           "measures": Item, "steps": Item}


def _build(cls: type, values: dict) -> object:
    known = {f.name for f in fields(cls)}
    return cls(**{name: _value(name, value) for name, value in values.items() if name in known})


def _value(name: str, value: object) -> object:
    nested = _NESTED.get(name)
    if nested is None or not isinstance(value, list):
        return value
    return [_build(nested, v) if isinstance(v, dict) else v for v in value]


def from_json(data: dict, bundle: dict | None = None) -> Part:
    """The part a JSON value describes; `bundle`, the display's other MIME types, gives a chart its PNG."""
    cls = KINDS.get(data.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown part kind {data.get('kind')!r}")
    part = _build(cls, {k: v for k, v in data.items() if k != "kind"})
    if isinstance(part, Chart) and bundle:
        png = bundle.get("image/png", "")
        part = Chart(part.title, part.data, png=png if isinstance(png, str) else "")
    return part
