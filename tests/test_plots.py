"""The charts: inline SVG drawn once, legible on a phone, the same bytes in every run."""

from __future__ import annotations

import re

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import BMA
from ita_helpers import plots
from ita_helpers.report import build_report

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
