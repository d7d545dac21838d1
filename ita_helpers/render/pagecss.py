"""JupyterLab's stylesheet cut to what one report page uses.

nbconvert's lab template inlines all of JupyterLab's CSS in every page: 256 KB, most of it for Lab's own
menus, editors and toolbars and a hundred icons. A report page keeps:
- every rule whose selector names only classes the page has (rules without classes always; classes
  inside :not(), :is(), :where() and :has() are not required), also inside @media and @supports;
- every custom property (`--jp-...`) that a kept rule, the page's own styles or another kept property
  uses.
@keyframes and @font-face are Lab's own and dropped. benchmarks/page_weight.py measures the page's
bytes and Chromium's print time with and without the cut."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import tinycss2

from ..core.usercache import cached_text

CLASS_ATTRIBUTE = re.compile(r"""class=(?:"([^"]*)"|'([^']*)')""")
CLASS_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)")
NEGATION = re.compile(r":(not|is|where|has)\((?:[^()]|\([^()]*\))*\)")  # what it names need not be on the page
VARIABLE = re.compile(r"var\(\s*(--[\w-]+)")
GROUPS = ("media", "supports")
CACHE_FORMAT = 1  # of the parsed stylesheet kept in the user's cache folder: raise it when Rule changes


@dataclass(frozen=True)
class Rule:
    text: str
    selectors: tuple[frozenset[str], ...]  # the classes each selector of the rule needs; () for at-rule groups
    inner: tuple[Rule, ...] = ()  # the rules of an @media or @supports group
    prelude: str = ""  # "@media print" for a group


@dataclass(frozen=True)
class Stylesheet:
    rules: tuple[Rule, ...]
    properties: dict[str, str]  # custom property -> its declaration, from the rules that only declare them


def _declarations(rule) -> list:
    return [d for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"]


def _rule(rule) -> Rule | None:
    if rule.type == "at-rule" and rule.lower_at_keyword in GROUPS and rule.content is not None:
        inner = tuple(filter(None, map(_rule, tinycss2.parse_rule_list(
            rule.content, skip_comments=True, skip_whitespace=True))))
        return Rule("", (), inner, f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}")
    if rule.type != "qualified-rule":
        return None  # @keyframes, @font-face, @import, parse errors
    selectors = NEGATION.sub("", tinycss2.serialize(rule.prelude)).split(",")
    return Rule(rule.serialize(), tuple(frozenset(CLASS_SELECTOR.findall(s)) for s in selectors))


def _as_json(rule: Rule) -> dict:
    return {"text": rule.text, "selectors": [sorted(s) for s in rule.selectors],
            "inner": [_as_json(r) for r in rule.inner], "prelude": rule.prelude}


def _from_json(rule: dict) -> Rule:
    return Rule(rule["text"], tuple(frozenset(s) for s in rule["selectors"]),
                tuple(_from_json(r) for r in rule["inner"]), rule["prelude"])


@cache
def parse(css: str) -> Stylesheet:
    """`_parse(css)`, kept in the user's cache folder: parsing Lab's stylesheet costs a worker 0.15 s."""
    def parsed() -> str:
        sheet = _parse(css)
        return json.dumps({"rules": [_as_json(r) for r in sheet.rules], "properties": sheet.properties})

    found = json.loads(cached_text(f"lab-stylesheet-{CACHE_FORMAT}.json", css.encode(), parsed))
    return Stylesheet(tuple(_from_json(r) for r in found["rules"]), found["properties"])


def _parse(css: str) -> Stylesheet:
    """The stylesheet's rules, with the rules that only declare custom properties (Lab's `:root` blocks)
    turned into a table of properties, each kept only when used."""
    rules, properties = [], {}
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if node.type == "qualified-rule" and tinycss2.serialize(node.prelude).strip() == ":root":
            declarations = _declarations(node)
            if all(d.name.startswith("--") for d in declarations):
                properties |= {d.name: d.serialize() for d in declarations}
                continue
        rule = _rule(node)
        if rule is not None:
            rules.append(rule)
    return Stylesheet(tuple(rules), properties)


def _kept(rule: Rule, classes: set[str]) -> str:
    if rule.prelude:
        inner = "".join(_kept(r, classes) for r in rule.inner)
        return f"{rule.prelude}{{{inner}}}\n" if inner else ""
    return rule.text + "\n" if any(needed <= classes for needed in rule.selectors) else ""


def for_page(css: str, page: str) -> str:
    """The part of `css` that `page` (the page's HTML with its own styles) can use."""
    sheet = parse(css)
    classes = {name for quoted in CLASS_ATTRIBUTE.findall(page) for name in "".join(quoted).split()}
    kept = "".join(_kept(rule, classes) for rule in sheet.rules)
    used, todo = set(), set(VARIABLE.findall(kept)) | set(VARIABLE.findall(page))
    while todo:
        name = todo.pop()
        if name in used or name not in sheet.properties:
            continue
        used.add(name)
        todo |= set(VARIABLE.findall(sheet.properties[name]))
    declarations = ";".join(sheet.properties[name] for name in sorted(used))
    return f":root{{{declarations}}}\n{kept}"
