"""The notebook as JupyterLab shows it: the report's parts carry their styles and the Sarabun font, and the
published page, which has them in its head, leaves that output out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat

from conftest import BMA
from ita_helpers.analysis.report import build_report
from ita_helpers.core import fonts
from ita_helpers.document import sections
from ita_helpers.document.html import COMPONENTS_CSS
from ita_helpers.document.parts import PREVIEW_TAG, Chart
from ita_helpers.inputs.dataset import BUNDLED_DATA
from ita_helpers.render.page import to_html


def test_the_preview_style_brings_the_parts_styles_and_sarabun_tagged():
    data, metadata = sections.preview_style()._repr_mimebundle_()
    assert metadata == {"tags": [PREVIEW_TAG]}
    css = data["text/html"]
    assert css.count("@font-face { font-family: 'Sarabun'") == 4
    assert "ol.plain { list-style: none;" in css  # lists numbered once in Lab
    assert "border: 1px solid #888; padding: 0.25em 0.45em; vertical-align: top; text-align: left;" in css
    lines = css.removeprefix("<style>").split("</style>")[0].splitlines()
    rules = [line for line in lines if "{" in line and not line.startswith("@")]
    lab_wide = [line for line in rules if line.startswith(":root")]
    # Lab's own font stacks with Sarabun: the one rule outside our classes sets nothing but fonts
    assert lab_wide == [":root { --jp-ui-font-family: " + fonts.LAB_STACK + "; --jp-content-font-family: "
                        + fonts.LAB_STACK + "; }"]
    assert "'Sarabun', sans-serif" in fonts.LAB_STACK
    rules = [line for line in rules if line not in lab_wide]
    assert rules and all(line.split("{")[0].count(".") >= 1 for line in rules)  # every other rule scoped by a class


def test_the_published_page_leaves_the_preview_out():
    preview, metadata = sections.preview_style()._repr_mimebundle_()
    cell = nbformat.v4.new_code_cell("display(...)", outputs=[
        nbformat.v4.new_output("display_data", data=preview, metadata=metadata),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>ส่วนของรายงาน</p>"}),
    ])
    page = to_html(nbformat.v4.new_notebook(cells=[cell]), {}, {}, "-")
    assert "ส่วนของรายงาน" in page
    assert page.count("font-family: 'Sarabun'; font-weight:") == 4  # the head's fonts only, not twice
    assert page.count("ol.plain { list-style: none;") == 1


class _ThaiText(HTMLParser):
    """Each run of Thai text in a fragment, with the classes of the elements it sits in."""

    def __init__(self):
        super().__init__()
        self.open: list[set[str]] = []
        self.runs: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "meta"):
            self.open.append(set((dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        if re.search("[\u0e00-\u0e7f]", data):
            self.runs.append((data.strip(), set().union(*self.open)))


def test_every_thai_text_of_the_report_parts_is_set_in_sarabun(dataset):
    """On a JupyterHub with no Thai font, Lab's own font shows Thai as boxes: every part the notebook
    displays must sit in an element whose class our styles set in Sarabun."""
    css = COMPONENTS_CSS.read_text(encoding="utf-8")
    sarabun = {name for line in css.splitlines() if "font-family: 'Sarabun'" in line
               for name in re.findall(r"\.([\w-]+)", line.split("{")[0])}
    report = build_report(BMA, 2566, None, 85.0, BUNDLED_DATA, "thai")
    parts = [sections.title(report), sections.contents(report), sections.heading("๑. ความเป็นมา"),
             sections.heading("ผลการประเมินในภาพรวม", 3), sections.paragraph("ข้อความของรายงาน"),
             sections.indicator_table(report, "thai"), sections.headroom_table(report, "thai"),
             *sections.action_table(report, "thai"), sections.constraints(report, "thai"), sections.signature(),
             Chart("แผนภูมิทดสอบ")]
    parser = _ThaiText()
    for part in parts:
        parser.feed(part.html())
    assert len(parser.runs) > 50
    assert [text for text, classes in parser.runs if not classes & sarabun] == []
