"""The HTML of each kind of part, written once: JupyterLab shows it in the notebook and the page carries it.

It reads a part's JSON (`Part.to_json`), the form every renderer reads. Every text that comes from a data
file is escaped (`text`), so markup in a measure (say `<script>` or `onerror=`) shows as inert text and
never becomes a live element. Every rule that styles these elements is scoped by a class of ours
(components.css, beside this file)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

COMPONENTS_CSS = Path(__file__).resolve().parent / "components.css"  # the parts' styles, for the page and Lab


def text(value: object) -> str:
    """Data text made safe to place in HTML, as element text or in a quoted attribute (every attribute here
    is quoted): `& < > " '` escaped. nh3.clean_text would also escape each space, slash and equals sign,
    for unquoted attributes that no part has, and the page's source would read `ต่ำกว่า&#32;๘๕`."""
    return html.escape(str(value))


def _title(part: dict) -> str:
    return f"<h1 class='ita-text'>{text(part['text'])}</h1>"


def _contents(part: dict) -> str:
    links = "".join(f"<li><a href='#{text(e['anchor'])}'>{text(e['text'])}</a></li>" for e in part["entries"])
    return (f"<nav class='ita-contents' aria-label='{text(part['label'])}'><p>{text(part['label'])}</p>"
            f"<ol class='plain'>{links}</ol></nav>")


def _heading(part: dict) -> str:
    level = part["level"]
    anchor = f" id='{text(part['anchor'])}'" if part["anchor"] else ""
    return f"<h{level} class='ita-text'{anchor}>{text(part['text'])}</h{level}>"


def _paragraph(part: dict) -> str:
    return f"<p class='ita-text'>{text(part['text'])}</p>"


def _notice(part: dict) -> str:
    return f"<p class='{part['tone']}'>{text(part['text'])}</p>"


def _items(items: list[dict]) -> str:
    rows = "".join(f"<li><span class='n'>{text(i['number'])}</span> {text(i['text'])}</li>" for i in items)
    return f"<ol class='plain'>{rows}</ol>"


def _list(part: dict) -> str:
    return _items(part["items"])


def _scrolling(table: str) -> str:
    """A table that scrolls sideways within itself when the screen is narrower than it, never the page;
    a tab stop, so that a keyboard can scroll it too."""
    return f"<div class='ita-scroll' tabindex='0'>{table}</div>"


def is_web_link(link: object) -> bool:
    """Only a web address becomes a link: never `javascript:` or a file of the reader's machine."""
    return isinstance(link, str) and link.lower().startswith(("https://", "http://"))


def _cell(cell: dict) -> str:
    """A cell's text, a link when it has a web address (the page and its PDF keep it clickable)."""
    link = cell.get("link", "")
    return f"<a href='{text(link)}'>{text(cell['text'])}</a>" if is_web_link(link) else text(cell["text"])


def _table(part: dict) -> str:
    columns = part["columns"]
    cards = part.get("cards", False)
    head = "".join(f"<th>{text(c['label'])}</th>" for c in columns)
    body = "".join(
        f"<tr class='{row['kind']}'>" + "".join(_td(column, cell, cards) for column, cell in zip(columns, row["cells"]))
        + "</tr>" for row in part["rows"])
    caption = f"<caption>{text(part['caption'])}</caption>" if part["caption"] else ""
    kind = "ita cards" if cards else "ita"
    table = f"<table class='{kind}'>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return table if cards else _scrolling(table)


def _td(column: dict, cell: dict, cards: bool) -> str:
    """A cell: numbers right-aligned; in a table of cards, its column's name for a phone to show above it."""
    numeric = " class='num'" if column["numeric"] else ""
    label = f" data-label='{text(column['label'])}'" if cards else ""
    return f"<td{numeric}{label}>{_cell(cell)}</td>"


def _actions(part: dict) -> str:
    issue_, measures_, responsible_, steps_ = (text(c) for c in part["columns"])
    rows = "".join(  # data-label: a phone shows each issue as a card, every cell under its column's name
        f"<tr><td data-label='{issue_}'><span class='n'>{text(i['number'])}</span> {text(i['title'])}"
        f"<div class='covers'>{text(i['covers'])}</div></td>"
        f"<td data-label='{measures_}'>{_items(i['measures'])}</td>"
        f"<td data-label='{responsible_}'>{'<br>'.join(map(text, i['responsible'].split(chr(10))))}</td>"
        f"<td data-label='{steps_}'>{_items(i['steps'])}</td></tr>"
        for i in part["issues"])
    head = "".join(f"<th>{text(c)}</th>" for c in part["columns"])
    return f"<table class='ita actions'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _chart(part: dict) -> str:
    """The chart's title as its heading, once, then the picture inline (`svg`, given beside the JSON): its
    text is set in the page's Sarabun, found by the browser's search and copied."""
    return (f"<figure class='ita-chart'><h3 class='ita-text'>{text(part['title'])}</h3>"
            f"<div class='ita-chart-image' role='img' aria-label='{text(part['title'])}'>{part.get('svg', '')}"
            "</div></figure>")


def _signature(part: dict) -> str:
    lines = "".join(f"<p>{text(line)}</p>" for line in part["lines"])
    return f"<div class='ita-signature ita-text'>{lines}</div>"


HTML_OF: dict[str, Callable[[dict], str]] = {
    "title": _title, "contents": _contents, "heading": _heading, "paragraph": _paragraph, "notice": _notice,
    "list": _list, "table": _table, "actions": _actions, "chart": _chart, "signature": _signature,
}


def html_of(part: dict) -> str:
    """The HTML of a part given as its JSON."""
    return HTML_OF[part["kind"]](part)
