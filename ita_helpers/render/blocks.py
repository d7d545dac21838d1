"""An executed notebook read back as the document it shows: its parts, in the order of its cells.

A code cell's outputs give the parts it displayed (`parts.PART_MIME`); a markdown cell an analyst wrote
(Thai prose, a heading, a list, a small table) becomes the same parts, read with mistune, nbconvert's own
Markdown parser. Cells tagged `remove` and the preview's styles are not part of the document. Every
renderer reads a document through `document_parts`, so a cell added, removed or moved shows in each."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING
from urllib.parse import quote

import mistune

from ..core import thai
from ..core.thai import Digits
from ..document.parts import (
    PART_MIME,
    PREVIEW_TAG,
    REMOVE_TAG,
    Cell,
    Column,
    Contents,
    Entry,
    Heading,
    Item,
    NumberedList,
    Paragraph,
    Part,
    Row,
    Table,
)
from ..document.parts import from_json as part_from_json

if TYPE_CHECKING:
    from nbformat import NotebookNode

_markdown = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])


def digits_of(parameters: dict) -> Digits:
    """The document's digits from the parameters it was made with (`digits`), Thai unless they say arabic."""
    return "arabic" if parameters.get("digits") == "arabic" else "thai"


def document_parts(notebook: NotebookNode, style: Digits = "thai") -> list[Part]:
    """The parts of the document the notebook shows, in order, markdown lists numbered in `style`; the
    contents list its numbered parts."""
    found: list[Part] = []
    for cell in notebook.cells:
        if REMOVE_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            found += markdown_parts(cell.source, style)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if PART_MIME in data and PREVIEW_TAG not in output.get("metadata", {}).get("tags", []):
                    found.append(part_from_json(data[PART_MIME], data))
    entries = contents_entries(found)
    return [Contents(entries, part.label) if isinstance(part, Contents) else part for part in found]


def contents_entries(found: list[Part]) -> list[Entry]:
    return [Entry(part.anchor, part.text) for part in found
            if isinstance(part, Heading) and part.level == 2 and part.anchor]


def with_contents(notebook: NotebookNode) -> NotebookNode:
    """A copy of the notebook whose table of contents lists the numbered parts it has, for the HTML page."""
    entries = contents_entries(document_parts(notebook))
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if data.get(PART_MIME, {}).get("kind") == Contents.kind:
                contents = Contents(entries, data[PART_MIME].get("label", "สารบัญ"))
                data["text/html"], data[PART_MIME] = contents.html(), contents.to_json()
    return notebook


# ---- Markdown -> parts --------------------------------------------------------------------------------

def _inline(tokens: list[dict]) -> str:
    """The text of inline tokens; emphasis, code and links keep their words (Word shows them as text)."""
    out = []
    for token in tokens:
        kind = token["type"]
        if kind in ("softbreak", "linebreak"):
            out.append(" " if kind == "softbreak" else "\n")
        elif "children" in token:
            out.append(_inline(token["children"]))
        else:
            out.append(token.get("raw", ""))
    return "".join(out)


def _list_items(token: dict, style: Digits, depth: int = 0) -> list[Item]:
    ordered = token["attrs"].get("ordered")
    start = token["attrs"].get("start") or 1
    items = []
    for position, item in enumerate(token["children"], start=start):
        marker = f"{thai.digits(position, style)}." if ordered else "•"
        words = " ".join(_inline(child["children"]) for child in item["children"]
                         if child["type"] in ("block_text", "paragraph"))
        items.append(Item(("    " * depth) + marker, words))
        for child in item["children"]:
            if child["type"] == "list":
                items += _list_items(child, style, depth + 1)
    return items


def _table(token: dict) -> Table:
    head = next(child for child in token["children"] if child["type"] == "table_head")
    body = next((child for child in token["children"] if child["type"] == "table_body"), {"children": []})
    columns = [Column(_inline(cell["children"]), cell["attrs"].get("align") == "right") for cell in head["children"]]
    rows = [Row([Cell(_inline(cell["children"])) for cell in row["children"]]) for row in body["children"]]
    return Table("", columns, rows)


def markdown_anchor(heading: str) -> str:
    """The id nbconvert gives a markdown heading in the page, for the contents to link to."""
    return quote(heading.replace(" ", "-"))


def markdown_parts(source: str, style: Digits = "thai") -> list[Part]:
    """A markdown cell as parts: headings (`##` a numbered part's, `###` and below a sub-heading),
    paragraphs, lists and tables."""
    found: list[Part] = []
    for token in _markdown(source):
        kind = token["type"]
        if kind == "heading":
            words = _inline(token["children"])
            level = min(max(token["attrs"]["level"], 1), 3)
            found.append(Heading(words, level, markdown_anchor(words) if level == 2 else ""))
        elif kind == "paragraph":
            found.append(Paragraph(_inline(token["children"])))
        elif kind == "list":
            found.append(NumberedList(_list_items(token, style)))
        elif kind == "table":
            found.append(_table(token))
        elif kind == "block_quote":
            found += markdown_parts("\n\n".join(_inline(c.get("children", [])) for c in token["children"]), style)
        elif kind == "block_code":
            found.append(Paragraph(token.get("raw", "").strip()))
    return found
