"""The HTML of each part, written once: JupyterLab shows it in the notebook and the page carries it as is.

Every text that comes from a data file is escaped (`text`), so markup in a measure (say `<script>` or
`onerror=`) shows as inert text and never becomes a live element. Every rule that styles these elements is
scoped by a class of ours (templates/components.css)."""

from __future__ import annotations

import html
from functools import singledispatch
from pathlib import Path

from .parts import (
    ActionTable,
    Chart,
    Contents,
    Heading,
    Item,
    Notice,
    NumberedList,
    Paragraph,
    Part,
    Signature,
    Table,
    Title,
)

COMPONENTS_CSS = Path(__file__).resolve().parent / "components.css"  # the parts' styles, for the page and Lab


def text(value: object) -> str:
    """Data text made safe to place in HTML, as element text or in a quoted attribute (every attribute here
    is quoted): `& < > " '` escaped. nh3.clean_text would also escape each space, slash and equals sign,
    for unquoted attributes that no part has, and the page's source would read `ต่ำกว่า&#32;๘๕`."""
    return html.escape(str(value))


@singledispatch
def html_of(part: Part) -> str:
    raise TypeError(f"no HTML for {type(part).__name__}")


@html_of.register
def _(part: Title) -> str:
    return f"<h1 class='ita-text'>{text(part.text)}</h1>"


@html_of.register
def _(part: Contents) -> str:
    links = "".join(f"<li><a href='#{text(e.anchor)}'>{text(e.text)}</a></li>" for e in part.entries)
    return (f"<nav class='ita-contents' aria-label='{text(part.label)}'><p>{text(part.label)}</p>"
            f"<ol class='plain'>{links}</ol></nav>")


@html_of.register
def _(part: Heading) -> str:
    anchor = f" id='{text(part.anchor)}'" if part.anchor else ""
    return f"<h{part.level} class='ita-text'{anchor}>{text(part.text)}</h{part.level}>"


@html_of.register
def _(part: Paragraph) -> str:
    return f"<p class='ita-text'>{text(part.text)}</p>"


@html_of.register
def _(part: Notice) -> str:
    return f"<p class='{part.tone}'>{text(part.text)}</p>"


def _items(items: list[Item]) -> str:
    rows = "".join(f"<li><span class='n'>{text(i.number)}</span> {text(i.text)}</li>" for i in items)
    return f"<ol class='plain'>{rows}</ol>"


@html_of.register
def _(part: NumberedList) -> str:
    return _items(part.items)


def _scrolling(table: str) -> str:
    """A table that scrolls sideways within itself when the screen is narrower than it, never the page;
    a tab stop, so that a keyboard can scroll it too."""
    return f"<div class='ita-scroll' tabindex='0'>{table}</div>"


@html_of.register
def _(part: Table) -> str:
    head = "".join(f"<th>{text(c.label)}</th>" for c in part.columns)
    body = "".join(
        f"<tr class='{row.kind}'>" + "".join(
            f"<td class='num'>{text(cell.text)}</td>" if column.numeric else f"<td>{text(cell.text)}</td>"
            for column, cell in zip(part.columns, row.cells)) + "</tr>"
        for row in part.rows)
    return _scrolling(f"<table class='ita'><caption>{text(part.caption)}</caption><thead><tr>{head}</tr></thead>"
                      f"<tbody>{body}</tbody></table>")


@html_of.register
def _(part: ActionTable) -> str:
    issue_, measures_, responsible_, steps_ = (text(c) for c in part.columns)
    rows = "".join(  # data-label: a phone shows each issue as a card, every cell under its column's name
        f"<tr><td data-label='{issue_}'><span class='n'>{text(i.number)}</span> {text(i.title)}"
        f"<div class='covers'>{text(i.covers)}</div></td>"
        f"<td data-label='{measures_}'>{_items(i.measures)}</td>"
        f"<td data-label='{responsible_}'>{text(i.responsible)}</td>"
        f"<td data-label='{steps_}'>{_items(i.steps)}</td></tr>"
        for i in part.issues)
    head = "".join(f"<th>{text(c)}</th>" for c in part.columns)
    return f"<table class='ita actions'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


@html_of.register
def _(part: Chart) -> str:
    """The chart's title as its heading, once, then the picture inline: its text is set in the page's
    Sarabun, found by the browser's search and copied."""
    return (f"<figure class='ita-chart'><h3 class='ita-text'>{text(part.title)}</h3>"
            f"<div class='ita-chart-image' role='img' aria-label='{text(part.title)}'>{part.svg}</div></figure>")


@html_of.register
def _(part: Signature) -> str:
    lines = "".join(f"<p>{text(line)}</p>" for line in part.lines)
    return f"<div class='ita-signature ita-text'>{lines}</div>"
