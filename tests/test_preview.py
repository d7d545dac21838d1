"""The notebook as JupyterLab shows it: the report's parts carry their styles and the Sarabun font, and the
published page, which has them in its head, leaves that output out."""

from __future__ import annotations

import nbformat

from ita_helpers import sections
from ita_helpers.render import PREVIEW_TAG, to_html


def test_the_preview_style_brings_the_parts_styles_and_sarabun_tagged():
    data, metadata = sections.preview_style()._repr_mimebundle_()
    assert metadata == {"tags": [PREVIEW_TAG]}
    css = data["text/html"]
    assert css.count("@font-face { font-family: 'Sarabun'") == 4
    assert "ol.plain { list-style: none;" in css  # lists numbered once in Lab
    assert "border: 1px solid #888; padding: 0.25em 0.45em; vertical-align: top; text-align: left;" in css
    rules = [line for line in css.split("</style>")[0].splitlines()[5:] if "{" in line and not line.startswith("@")]
    assert rules and all(line.split("{")[0].count(".") >= 1 for line in rules)  # every rule scoped by a class


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
