"""Where the charts' text lands once drawn: inside the figure, off the bars, points and lines, off the other
text. Measured on the drawn figure (window extents in display pixels), for the bundled BMA report and for
an agency of its own Excel folder that scored 100.00 everywhere (the widest value labels)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from conftest import BMA
from ita_helpers.analysis.report import build_report
from ita_helpers.document import plots

matplotlib.use("agg")

PERFECT, OTHER = "หน่วยงานทดสอบคะแนนเต็ม", "หน่วยงานทดสอบอื่น"
TOUCH = 0.5  # display pixels two boxes may share: a label set against its bar's end touches it, no more


def excel_folder(root: Path) -> Path:
    """An agency's own data folder: one Excel file of scores, no reference tables. SYNTHETIC data: 100.00 in
    every indicator in 2563, 2565 and 2566 (no 2564), and a second agency so that the peer chart is drawn."""
    rows = [{"org": PERFECT, "fiscal_year": year, **{str(n): 100.0 for n in range(1, 11)}}
            for year in (2563, 2565, 2566)]
    rows.append({"org": OTHER, "fiscal_year": 2566, **{str(n): 70.0 for n in range(1, 11)}})
    (root / "scores").mkdir(parents=True)
    pd.DataFrame(rows).to_excel(root / "scores" / "คะแนน.xlsx", index=False)
    return root


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> list[tuple[str, Figure]]:
    plots.setup()
    bma = build_report(BMA, 2566)
    perfect = build_report(PERFECT, 2566, data_dir=excel_folder(tmp_path_factory.mktemp("agency")))
    return [(f"{report.org} ({digits}): {plots.caption(figure)}", figure)
            for report, digits in ((bma, "thai"), (bma, "arabic"), (perfect, "thai"))
            for figure in plots.report_charts(report, digits)]


@pytest.fixture(scope="module")
def exploration(tmp_path_factory) -> list[tuple[str, Figure]]:
    """The charts of the exploration and comparison notebooks."""
    from ita_helpers.analysis.comparison import build_comparison
    from ita_helpers.domain.scoring import histories
    from ita_helpers.inputs.dataset import load_dataset

    plots.setup()
    dataset = load_dataset()
    history = histories(dataset.score_table(), dataset.all_reported_totals, dataset.national_averages)
    group = build_comparison(2566, org=PERFECT, data_dir=excel_folder(tmp_path_factory.mktemp("group")))
    figures = [plots.trends(history), plots.heatmap(dataset.indicators, BMA), plots.group_distribution(group)]
    return [(plots.caption(figure), figure) for figure in figures]


def drawn_text(figure: Figure) -> tuple[object, list[Text]]:
    """The renderer and every piece of text actually drawn (ticks outside the view are not)."""
    seen: list[Text] = []
    original = Text.draw

    def record(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen.append(self)

    canvas = FigureCanvasAgg(figure)
    Text.draw = record
    try:
        canvas.draw()
    finally:
        Text.draw = original
    return canvas.get_renderer(), seen


def overlap(a: Bbox, b: Bbox) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > TOUCH) and (min(a.y1, b.y1) - max(a.y0, b.y0) > TOUCH)


def inside(box: Bbox, frame: Bbox) -> bool:
    return (box.x0 >= frame.x0 - TOUCH and box.y0 >= frame.y0 - TOUCH
            and box.x1 <= frame.x1 + TOUCH and box.y1 <= frame.y1 + TOUCH)


def crosses(box: Bbox, start: np.ndarray, end: np.ndarray) -> bool:
    """Whether the segment start-end passes through the box (shrunk by TOUCH): Liang-Barsky clipping."""
    low, high = 0.0, 1.0
    delta = end - start
    for p, q in ((-delta[0], start[0] - (box.x0 + TOUCH)), (delta[0], (box.x1 - TOUCH) - start[0]),
                 (-delta[1], start[1] - (box.y0 + TOUCH)), (delta[1], (box.y1 - TOUCH) - start[1])):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
        if low > high:
            return False
    return True


def marks(figure: Figure) -> Iterator[tuple[str, object]]:
    """What text must stay off, in display pixels: ("bar", Bbox), ("point", Bbox), ("line", (start, end))."""
    for ax in figure.axes:
        for patch in ax.patches:
            if isinstance(patch, Rectangle) and patch.get_visible() and patch.get_width() and patch.get_height():
                yield "bar", patch.get_window_extent()
        for line in ax.lines:
            if not line.get_visible():
                continue
            points = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
            finite = np.isfinite(points).all(axis=1)
            if line.get_marker() not in (None, "None", "", " "):
                half = line.get_markersize() * figure.dpi / 72 / 2
                for x, y in points[finite]:
                    yield "point", Bbox.from_extents(x - half, y - half, x + half, y + half)
            if line.get_linestyle() not in ("None", "", " "):
                for a, b, ok_a, ok_b in zip(points, points[1:], finite, finite[1:]):
                    if ok_a and ok_b:  # a missing value breaks the line
                        yield "line", (a, b)


def problems(figure: Figure) -> list[str]:
    renderer, texts = drawn_text(figure)
    found = []
    boxes = [(repr(t.get_text()), t.get_window_extent(renderer)) for t in texts]
    legends = [(f"legend {[t.get_text() for t in legend.get_texts()]}", legend.get_window_extent(renderer))
               for ax in figure.axes for legend in [ax.get_legend(), *[c for c in ax.get_children()
                                                                      if isinstance(c, Legend)]] if legend]
    legends = list(dict(legends).items())
    for name, box in boxes + legends:
        if not inside(box, figure.bbox):
            found.append(f"{name} outside the figure: {box.extents.round(1)} in {figure.bbox.extents.round(1)}")
        for kind, mark in marks(figure):
            if kind == "line":
                hit = crosses(box, *mark)
            else:
                hit = overlap(box, mark)
            if hit:
                found.append(f"{name} over a {kind}")
    legend_text = {id(t) for ax in figure.axes for legend in [ax.get_legend()] if legend for t in legend.get_texts()}
    plain = [(name, box) for (name, box), t in zip(boxes, texts) if id(t) not in legend_text]
    for i, (name, box) in enumerate(plain):
        for other, other_box in plain[i + 1:] + legends:
            if overlap(box, other_box):
                found.append(f"{name} over {other}")
    return sorted(set(found))


def test_no_text_cut_off_or_over_the_data(drawn):
    found = {title: problems(figure) for title, figure in drawn}
    assert {title: p for title, p in found.items() if p} == {}


def test_exploration_charts_too(exploration):
    found = {title: problems(figure) for title, figure in exploration}
    assert {title: p for title, p in found.items() if p} == {}
