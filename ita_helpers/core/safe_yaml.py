"""YAML that cannot hurt, and whose mistakes are told in plain words.

PyYAML builds an alias as a second reference to the same object, so a file of 601 bytes can hold nine
levels of nine aliases each: cheap to parse, three gigabytes the moment anything walks it (printing an
error that shows the value, say). Two loaders guard against that:

- `NoAliasLoader` refuses every anchor (`&name`) and alias (`*name`) at the first one it meets: a
  measures file never needs them;
- `BoundedLoader` allows them (the methodology uses them, one list of indicators for every year) but
  refuses a document whose expansion would exceed `MAX_EXPANDED_NODES` nodes, and a recursive one.

Both refuse text over `MAX_BYTES`. `explain` turns a PyYAML syntax error into the line, column and
likely cause (a tab, a colon inside a value, an unclosed quote or bracket, an indentation that does
not line up), never PyYAML's own text.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .i18n import _

MAX_BYTES = 1_000_000
MAX_EXPANDED_NODES = 100_000
SHOWN_CHARACTERS = 80  # of the offending line, in a message


class RefusedYAML(yaml.YAMLError):
    """A YAML text refused before it is built: too large, an anchor or alias where none may be, or an
    expansion too large. Its text is a finished message (a subclass of YAMLError, so callers that catch
    syntax errors catch it too)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def __str__(self) -> str:
        return self.message


def too_large_message(size: int) -> str:
    return _("the file is {size:,} bytes; a file of this kind may be at most {limit:,} bytes "
             "(is it the right file?)").format(size=size, limit=MAX_BYTES)


def check_size(text: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise RefusedYAML(too_large_message(size))


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases where it meets the first one."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            mark = event.start_mark
            raise RefusedYAML(_("line {line}, column {column}: anchors (&name) and aliases (*name) are not allowed "
                                "in this file: write each text out in full").format(
                line=mark.line + 1, column=mark.column + 1), mark.line + 1, mark.column + 1)
        return super().compose_node(parent, index)


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that allows anchors and aliases but refuses a document that would expand beyond
    MAX_EXPANDED_NODES nodes, or that refers to itself."""

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


def _check_expansion(root: yaml.Node) -> None:
    """The number of nodes `root` stands for once every alias is written out, counted without writing
    them out (each node's count is kept, so a node reached through many aliases costs one count)."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done:
            in_progress.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_EXPANDED_NODES:
                raise RefusedYAML(_("the aliases (*name) of this file expand to more than {limit:,} values; "
                                    "it is refused").format(limit=MAX_EXPANDED_NODES))
            continue
        if key in in_progress:
            raise RefusedYAML(_("an alias (*name) refers to the value that contains it; it is refused"))
        in_progress.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in in_progress:
                raise RefusedYAML(_("an alias (*name) refers to the value that contains it; it is refused"))
            stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_bounded(text: str) -> object:
    """`yaml.safe_load` with the size and the alias expansion bounded; a syntax error is raised as a
    RefusedYAML whose text is `explain`'s."""
    check_size(text)
    try:
        return yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        place = explain(err, text)
        raise RefusedYAML(place.message(), place.line, place.column) from None


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text, anchors and aliases refused; nothing is constructed, so every
    scalar keeps the text as written (`yes` stays `yes`, `2566` stays `2566`) with its line."""
    check_size(text)
    return yaml.compose(text, Loader=NoAliasLoader)


@dataclass(frozen=True)
class SyntaxPlace:
    """Where a YAML text cannot be read (1-based), why, and the line as written."""

    line: int
    column: int
    cause: str
    text: str

    def message(self) -> str:
        return _("line {line}, column {column}: {cause}").format(line=self.line, column=self.column, cause=self.cause)


def explain(err: yaml.MarkedYAMLError, text: str) -> SyntaxPlace:
    """The line, column and likely cause of a PyYAML syntax error, in the interface language."""
    lines = text.splitlines() or [""]
    mark = err.problem_mark or err.context_mark
    problem, context = err.problem or "", err.context or ""
    row = min(mark.line, len(lines) - 1) if mark else 0
    line = lines[row]
    before = line[:mark.column] if mark else line
    if "'\\t'" in problem or "\t" in line[:(mark.column + 1) if mark else None]:
        tab = line.find("\t")
        return SyntaxPlace(row + 1, tab + 1 if tab >= 0 else mark.column + 1,
                           _("a tab character: YAML indents with spaces only; replace the tab with spaces"), line)
    if "quoted scalar" in context and err.context_mark:
        mark = err.context_mark
        return SyntaxPlace(mark.line + 1, mark.column + 1,
                           _("a quotation mark opened here is never closed: end the text with the same mark"),
                           lines[min(mark.line, len(lines) - 1)])
    if "flow" in context and err.context_mark:
        mark = err.context_mark
        return SyntaxPlace(mark.line + 1, mark.column + 1,
                           _("a bracket opened here is not closed on its line, or the items inside it are not "
                             "separated by commas: close it, e.g. [6, 7]"), lines[min(mark.line, len(lines) - 1)])
    if "mapping values are not allowed" in problem:
        if ": " in before or before.rstrip().endswith(":"):
            cause = _("a colon followed by a space inside a text: put the whole text in double quotes, "
                      "e.g. - \"ขั้นที่ 1: ประชุมคณะทำงาน\"")
        else:
            cause = _("this line is indented further than the line above: items at the same level start "
                      "at the same column")
        return SyntaxPlace(row + 1, mark.column + 1, cause, line)
    if ('"' in line or "'" in line) and ("expected <block end>" in problem or "expected ':'" in problem):
        return SyntaxPlace(row + 1, mark.column + 1,
                           _("a text that starts with a quotation mark goes on after the closing mark: "
                             "put the whole text inside the quotation marks"), line)
    if "expected <block end>" in problem or "block" in context:
        return SyntaxPlace(row + 1, mark.column + 1,
                           _("the indentation of this line does not line up with the lines above: items at "
                             "the same level start at the same column, with spaces"), line)
    if "could not find expected ':'" in problem:
        return SyntaxPlace(row + 1, mark.column + 1,
                           _("a line that is neither 'key: value' nor a list item '- ...': a text continued "
                             "on a new line must be indented further, or put in double quotes"), line)
    return SyntaxPlace(row + 1, (mark.column + 1) if mark else 1,
                       _("the text here cannot be read: check the indentation, the colons and the quotation "
                         "marks"), line)


def shown_line(line: str) -> str:
    """The offending line as a message shows it: without its indentation, cut to SHOWN_CHARACTERS."""
    line = line.strip()
    return line if len(line) <= SHOWN_CHARACTERS else line[:SHOWN_CHARACTERS - 1] + "…"
