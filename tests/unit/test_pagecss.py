"""JupyterLab's stylesheet cut to what a page uses: rules by the page's classes, custom properties by use."""

from __future__ import annotations

from ita_helpers.render import pagecss

CSS = """
:root { --used: red; --chained: var(--used); --unused: url(data:image/svg+xml;base64,AAAA); --theme: blue; }
:root { color-scheme: light; }
.jp-OutputArea { color: var(--chained); }
.jp-Toolbar .jp-ToolbarButton { color: var(--unused); }
.jp-OutputArea:not(.jp-mod-collapsed) { margin: 0; }
.jp-Menu, .jp-RenderedHTMLCommon table { border: 0; }
h1 { font-weight: 500; }
@media print { .jp-OutputArea { display: block; } .jp-Dialog { display: none; } }
@media screen { .jp-Dialog { display: none; } }
@keyframes spin { to { transform: rotate(360deg); } }
"""
PAGE = '<body class="jp-Notebook"><div class="jp-OutputArea"><div class="jp-RenderedHTMLCommon"><table>'


def test_keeps_the_rules_the_page_can_match_and_the_properties_they_use():
    kept = pagecss.for_page(CSS, PAGE)
    assert ".jp-OutputArea { color: var(--chained); }" in kept
    assert ".jp-OutputArea:not(.jp-mod-collapsed)" in kept  # a class under :not() need not be there
    assert ".jp-Menu, .jp-RenderedHTMLCommon table" in kept  # one of its selectors matches
    assert "h1 { font-weight: 500; }" in kept and "color-scheme: light" in kept
    assert "@media print {.jp-OutputArea { display: block; }\n}" in kept
    assert "--used: red" in kept and "--chained: var(--used)" in kept  # used through another property
    for dropped in (".jp-Toolbar", "--unused", "--theme", ".jp-Dialog", "@media screen", "@keyframes"):
        assert dropped not in kept


def test_a_property_the_page_itself_uses_is_kept():
    assert "--theme: blue" in pagecss.for_page(CSS, PAGE + '<p style="color: var(--theme)">')


def test_the_report_page_carries_a_tenth_of_labs_stylesheet():
    from ita_helpers.render.page import html_exporter, lab_stylesheet

    lab = lab_stylesheet(html_exporter())
    page = pagecss.for_page(lab, PAGE + '<div class="jp-Cell jp-mod-noInput jp-RenderedHTML">')
    assert len(lab) > 250_000 and len(page) < 25_000
    assert "--jp-icon-add" in lab and "--jp-icon-add" not in page  # Lab's icons
    assert ".jp-RenderedHTMLCommon table" in page and "--jp-content-font-color1:" in page
