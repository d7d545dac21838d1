"""The charts: inline SVG drawn once, legible on a phone, the same bytes in every run."""

from __future__ import annotations

import re

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import BMA
from ita_helpers.analysis.report import build_report
from ita_helpers.document import plots
from ita_helpers.document.chart_forms import SVG_TEXT_ENV
from ita_helpers.render.page import svg_text_for

matplotlib.use("agg")


@pytest.fixture(scope="module")
def figures() -> list[Figure]:
    plots.setup()
    report = build_report(BMA, 2566)
    return [chart(report) for chart in plots.CHARTS]


def smallest_text_pt(figures: list[Figure]) -> float:
    return min(t.get_fontsize() for f in figures for t in f.findobj(Text) if t.get_visible() and t.get_text())


def test_five_inches_wide_and_no_text_under_the_phone_minimum(figures):
    assert {f.get_figwidth() for f in figures} == {plots.WIDTH} == {5.0}
    assert smallest_text_pt(figures) == plots.SMALL == 9.5
    # shown 358 px wide on a 390-px phone (tests/test_report.py measures it): 9.45 CSS px
    assert smallest_text_pt(figures) * 96 / 72 * 358 / (plots.WIDTH * 96) > 9


def test_each_chart_is_drawn_once(figures, monkeypatch):
    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(self) or original(self, renderer))
    for figure in figures:
        plots.as_image(figure)
    assert len(draws) == len(figures) == 6


def test_svg_to_place_in_the_page_with_its_title_as_alt_text(figures):
    charts = [plots.as_image(f) for f in figures]
    for chart, figure in zip(charts, figures):
        data, metadata = chart._repr_mimebundle_()
        assert data["image/svg+xml"].startswith("<svg ") and "<?xml" not in data["image/svg+xml"]
        assert metadata == {"image/svg+xml": {"alt": plots.caption(figure)}}
        assert "<text" not in chart.svg  # glyph outlines: WeasyPrint drops stacked Thai marks of SVG text
        defined = re.findall(r' id="([^"]+)"', chart.svg)
        assert set(re.findall(r'href="#([^"]+)"', chart.svg)) <= set(defined)
    ids = [i for chart in charts for i in re.findall(r' id="([^"]+)"', chart.svg)]
    assert len(ids) == len(set(ids))  # six charts in one page: no id defined twice
    assert [plots.as_image(f).svg for f in figures] == [c.svg for c in charts]  # no date, no random id
    assert 300_000 < sum(len(c.svg) for c in charts) < 600_000


def test_word_gets_png(figures):
    assert plots.as_png(figures[0]).startswith(b"\x89PNG")


def test_chart_text_as_svg_text_when_asked(figures, monkeypatch):
    """What `ita run` asks for when Chromium prints the page: the Thai of the charts as text, a ninth of the
    bytes, the same words as the outlines spell."""
    monkeypatch.setenv(SVG_TEXT_ENV, "1")
    with matplotlib.rc_context():
        plots.setup()
        report = build_report(BMA, 2566)
        charts = [plots.as_image(chart(report)) for chart in plots.CHARTS]
    texts = [re.sub(r"<[^>]+>", "", t) for chart in charts for t in re.findall(r"<text\b.*?</text>", chart.svg, re.S)]
    assert "ผลการประเมินรายตัวชี้วัด ปี 2566" in texts and "88.98 (ผ่าน)" in texts
    assert any(t.startswith("ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช.") for t in texts)
    assert all("'Sarabun'" in chart.svg for chart in charts)  # set in the page's embedded font
    assert 30_000 < sum(len(c.svg) for c in charts) < 100_000


def test_outlines_for_weasyprint_text_for_chromium():
    assert not svg_text_for("WeasyPrint")
    assert svg_text_for("Chromium (chromium)") and svg_text_for("-")  # "-": no PDF, the page is read in a browser
