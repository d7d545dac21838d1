"""The report's charts, in matplotlib with seaborn's theme and Sarabun. One function per chart; each
returns its Figure with a source line under it and its Thai title kept as data (`caption`), not drawn:
the document shows the title once, as the heading above the chart. Years without scores are gaps,
never zero.

Every number a chart draws (ticks, value labels, years, the pass mark, legends) is written in the
document's digits (`digits`: "thai" or "arabic", the notebook's parameter), years in B.E.

The page shows a chart as inline SVG as wide as its text column (width 100 %, its viewBox kept), sharp at
any size: about 800 CSS px on a desktop, about 358 px on a 390-px phone. Scaling one drawing to both
fixes the ratio of its text to its width: charts are drawn WIDTH (7.5) inches wide with no text under
SMALL (14) points, so that the phone's smallest chart text is still over 9 CSS px (on a desktop it is
about 20 px). Word gets the same drawing as PNG, 16 cm across at PNG_DPI.

Text is never cut off and never drawn over the data: value labels are placed after the layout, where
they clear the bars, lines, points and other labels (`_place`), the value axis is lengthened until
they fit, and legends stand above the plot. tests/unit/test_chart_layout.py measures it.

Their text takes one of two forms (benchmarks/charts.py and benchmarks/page_weight.py have the figures):
- SVG <text>, set by the browser in the page's embedded Sarabun: searchable, a fraction of the bytes of
  outlines, and less of Chromium's PDF time. `ita run` asks for it ($ITA_SVG_TEXT=1) unless WeasyPrint prints the
  PDF: WeasyPrint lays SVG text out letter by letter and drops stacked Thai marks (ที่มา reads ทีมา).
- glyph outlines (`svg.fonttype: path`), shaped by matplotlib: the default, for JupyterLab, which shows
  SVG as an image that cannot use the page's fonts (a machine without a Thai font would show boxes)."""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.text import Annotation
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from ..analysis.peers import BIN_WIDTH, EDGES
from ..analysis.report import Report
from ..core import thai
from ..core.fonts import FAMILY, register_for_matplotlib
from ..core.thai import Digits
from ..domain.scoring import tools_of
from ..inputs.dataset import BUNDLED_DATA, REPORTED_TOTALS, Dataset
from ..inputs.sources import source_file_name
from .chart_forms import SVG_TEXT_ENV

if TYPE_CHECKING:
    from ..analysis.comparison import Comparison

PALETTE = ("#2f6690", "#3a7ca5", "#81c3d7", "#16425b", "#d9a441", "#6b8f71")  # tools by position, cycled
WEAK, STRONG, NATIONAL, THRESHOLD, NOTE = "#c0392b", "#2f6690", "#7f8c8d", "#e67e22", "#555555"
WIDTH = 7.5  # inches (720 px): scaled to the text column, about 800 CSS px on a desktop, 358 on a phone
SIZE = (WIDTH, 4.0)
SMALL = 14.0  # pt, every chart text: 9.3 CSS px on a 390-px phone (358 / 720 of 18.7 px)
WORD_WIDTH_CM = 16.0  # the PNG for Word: as wide as the page's text
PNG_DPI = 200  # its pixels per inch at that width (1260 px across)
NATIONAL_AVERAGES = "national_averages.csv"
BUNDLED_NATIONAL = "ข้อมูลที่มากับชุดโปรแกรม จากประกาศของสำนักงาน ป.ป.ช."
SOURCE = "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช."
NBSP = "\u00a0"  # joins the words of a source line's phrase, to be wrapped as one
SCORE_TICKS = range(0, 101, 20)
GAP = 4  # points between a value label and what it labels
MARGIN = 6.0  # display pixels kept between a value label and the plot's edge
CLEAR = 2.0  # points kept clear around a value label: it must not seem to touch a line at any resolution


def setup() -> None:
    """Seaborn theme in Sarabun; call once per kernel. Chart text is SVG <text> when $ITA_SVG_TEXT is 1."""
    register_for_matplotlib()
    # text.parse_math off: an agency called "$x$ ..." is text, not mathematics to typeset.
    sns.set_theme(style="whitegrid", font=FAMILY, rc={
        "figure.dpi": 110, "savefig.dpi": PNG_DPI, "text.parse_math": False,
        "svg.fonttype": "none" if os.environ.get(SVG_TEXT_ENV) == "1" else "path",
        "font.size": SMALL, "axes.labelsize": SMALL, "xtick.labelsize": SMALL, "ytick.labelsize": SMALL,
        "legend.fontsize": SMALL, "legend.title_fontsize": SMALL, "axes.titlesize": SMALL,
        "lines.linewidth": 2.2, "lines.markersize": 8})


# ---- numbers in the document's digits ------------------------------------------------------------------

def _number(value: float, style: Digits) -> str:
    """A tick's number: 85, 2566, 1,250 (no decimals where there are none)."""
    return thai.digits(f"{value:,g}" if abs(value) < 1e6 else f"{value:,.0f}", style)


def _years(style: Digits) -> FuncFormatter:
    return FuncFormatter(lambda value, _position: thai.digits(int(round(value)), style))


def _numbers(axis: Axis, style: Digits, ticks: Sequence[float] | None = None) -> None:
    """The axis' numbers in `style`, at `ticks` when given (they stay put when the axis is lengthened to
    fit the value labels)."""
    if ticks is not None:
        axis.set_major_locator(FixedLocator(list(ticks)))
    axis.set_major_formatter(FuncFormatter(lambda value, _position: _number(value, style)))


def _pass_label(mark: float, style: Digits, words: str = "เกณฑ์ผ่าน") -> str:
    return f"{words} {_number(mark, style)} คะแนน"


# ---- source lines: only the files the agency gave that the chart was drawn from ---------------------------

def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " และ " + names[-1]


def _score_files(report: Report) -> list[str]:
    rows = report.dataset.indicators
    return sorted({source_file_name(Path(f).name) for f in rows.loc[rows["org"] == report.org, "file"]})


def _national_source(dataset: Dataset) -> str:
    """Where the national averages come from: the bundled table (read from the bundled folder, or copied
    unchanged into the report's slice), else the data folder's own national_averages.csv."""
    own = dataset.data_dir / NATIONAL_AVERAGES
    bundled = BUNDLED_DATA / NATIONAL_AVERAGES
    if not own.is_file() or own.resolve() == bundled.resolve() or own.read_bytes() == bundled.read_bytes():
        return f"ค่าเฉลี่ยระดับประเทศ: {BUNDLED_NATIONAL}"
    return f"ค่าเฉลี่ยระดับประเทศ: ไฟล์ข้อมูล {NATIONAL_AVERAGES}"


def source_line(report: Report, totals: bool = False, national: bool = False) -> str:
    """The chart's source: the agency's score files its rows came from; with `totals`, reported_totals.csv
    when the folder has one holding the agency's published totals; with `national`, where the national
    averages come from (the bundled table is named as such, not as a file the agency never gave)."""
    files = _score_files(report)
    reported = report.dataset.reported_totals
    if totals and (report.dataset.data_dir / REPORTED_TOTALS).is_file() and (reported["org"] == report.org).any():
        files.append(REPORTED_TOTALS)
    line = SOURCE + (" " + f"(ไฟล์ข้อมูล {_listed(files)})".replace(" ", NBSP) if files else "")
    if national and not report.dataset.national_averages["average"].dropna().empty:
        line += "\n" + _national_source(report.dataset)
    return line


# ---- value labels, placed after the layout --------------------------------------------------------------

@dataclass
class _Label:
    """A value label and where it may go, in order of preference: each place an anchor in data
    coordinates, an offset in points and the vertical alignment. `axis` is the value axis ("x" or "y")
    lengthened to make room for it."""

    text: Annotation
    places: list[tuple[tuple[float, float], tuple[float, float], str]]
    axis: str = "y"

    def put(self, place: int) -> None:
        xy, offset, va = self.places[place]
        self.text.xy, self.text.xyann = xy, offset
        self.text.set_va(va)


def _label(ax: plt.Axes, text: str, places: list[tuple[tuple[float, float], tuple[float, float], str]],
           axis: str = "y", rotation: float = 0, **style) -> _Label:
    xy, offset, va = places[0]
    annotation = ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha="center", va=va,
                             rotation=rotation, rotation_mode="anchor" if rotation else "default",
                             fontsize=SMALL, **style)
    annotation.set_in_layout(False)  # placed inside the plot after the layout (_place)
    return _Label(annotation, places, axis)


def _bar_labels(ax: plt.Axes, bars, values: Sequence[float], style: Digits, mark: float | None,
                rotation: float = 0) -> list[_Label]:
    """A label over each bar's end, or, when it would cross the pass-mark line, just above the line."""
    labels = []
    for bar, value in zip(bars, values):
        x = bar.get_x() + bar.get_width() / 2
        offset, va = ((0, GAP), "bottom") if not rotation else ((0, GAP), "center")
        places = [((x, value), offset, va)]
        if mark is not None and value < mark:
            places.append(((x, mark), offset, va))
        label = _label(ax, thai.score(value, style), places, rotation=rotation)
        if rotation:
            label.text.set_ha("left")  # upright text read bottom to top, starting just over the bar
        labels.append(label)
    return labels


def _renderer(fig: Figure):
    return fig._get_renderer()  # what the layout engines measure text with


def _obstacles(ax: plt.Axes) -> tuple[list[Bbox], list[tuple[np.ndarray, np.ndarray]]]:
    """The plot's bars and points as boxes and its lines as segments, in display pixels."""
    boxes = [p.get_window_extent() for p in ax.patches if p.get_visible()]
    segments = []
    dpi = ax.figure.dpi
    for line in ax.lines:
        points = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        finite = np.isfinite(points).all(axis=1)
        if line.get_marker() not in (None, "None", "", " "):
            half = line.get_markersize() * dpi / 72 / 2 + 1
            boxes += [Bbox.from_extents(x - half, y - half, x + half, y + half) for x, y in points[finite]]
        if line.get_linestyle() not in ("None", "", " "):
            width = line.get_linewidth() * dpi / 72 / 2
            segments += [(a, b, width) for a, b, ok_a, ok_b in zip(points, points[1:], finite, finite[1:])
                         if ok_a and ok_b]
    return boxes, segments


def _crosses(box: Bbox, start: np.ndarray, end: np.ndarray, width: float) -> bool:
    """Whether a segment of a line `width` pixels either side of it passes through the box."""
    box = box.expanded(1, 1).padded(width)
    low, high = 0.0, 1.0
    delta = end - start
    for p, q in ((-delta[0], start[0] - box.x0), (delta[0], box.x1 - start[0]),
                 (-delta[1], start[1] - box.y0), (delta[1], box.y1 - start[1])):
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


def _room(ax: plt.Axes, labels: list[_Label], renderer) -> None:
    """Lengthen each value axis from its top so that every label fits inside the plot at any of its
    places (the axis' ticks are fixed, so its tick labels stay as they are)."""
    for axis in ("x", "y"):
        mine = [label for label in labels if label.axis == axis]
        if not mine:
            continue
        low, high = ax.get_ylim() if axis == "y" else ax.get_xlim()
        span = ax.bbox.height if axis == "y" else ax.bbox.width
        needed = high
        for label in mine:
            for place in range(len(label.places)):
                label.put(place)
                extent = label.text.get_window_extent(renderer)
                anchor = ax.transData.transform(label.text.xy)[1 if axis == "y" else 0]
                beyond = (extent.y1 if axis == "y" else extent.x1) - anchor + MARGIN
                value = label.text.xy[1 if axis == "y" else 0]
                if beyond < span:
                    needed = max(needed, low + (value - low) * span / (span - beyond))
        if axis == "y":
            ax.set_ylim(low, needed)
        else:
            ax.set_xlim(low, needed)


def _place(fig: Figure, labels: list[_Label]) -> None:
    """Make room for the labels, then put each at its first place inside the plot that clears the bars,
    lines, points and the labels already placed (else at its first place)."""
    renderer = _renderer(fig)
    for ax in {label.text.axes for label in labels}:
        mine = [label for label in labels if label.text.axes is ax]
        _room(ax, mine, renderer)
        boxes, segments = _obstacles(ax)
        frame = ax.bbox
        clear = CLEAR * fig.dpi / 72
        for label in mine:
            for place in [*range(len(label.places)), 0]:
                label.put(place)
                extent = label.text.get_window_extent(renderer)
                box = extent.padded(clear)
                inside = (extent.x0 >= frame.x0 and extent.x1 <= frame.x1 and extent.y0 >= frame.y0
                          and extent.y1 <= frame.y1)
                if inside and not any(box.overlaps(b) for b in boxes) and not any(
                        _crosses(box, a, b, w) for a, b, w in segments):
                    break
            boxes.append(label.text.get_window_extent(renderer))


# ---- figures ---------------------------------------------------------------------------------------------

def _wrapped(fig: Figure, text, renderer) -> None:
    """The text's lines broken at spaces to fit the figure's width, as measured in its font; words joined
    by NBSP go to a line together where they fit in one."""
    room = fig.bbox.width * 0.98
    if text.get_window_extent(renderer).width <= room:  # most source lines: one measurement
        text.set_text(text.get_text().replace(NBSP, " "))
        return
    lines = []
    for paragraph in text.get_text().split("\n"):
        line = ""
        words = paragraph.split(" ")
        while words:
            word = words.pop(0)
            text.set_text(f"{line} {word}" if line else word)
            if text.get_window_extent(renderer).width <= room:
                line = text.get_text()
            elif line:  # on the next line
                lines.append(line)
                line = ""
                words.insert(0, word)
            elif NBSP in word:  # a phrase too long for a line of its own: word by word
                words[:0] = word.split(NBSP)
            else:
                line = word
        lines.append(line)
    text.set_text("\n".join(lines).replace(NBSP, " "))


def _records(frame: pd.DataFrame) -> list[dict]:
    """A chart's data as JSON values: missing ones as None, numbers as Python's."""
    return [{key: None if pd.isna(value) else value.item() if hasattr(value, "item") else value
             for key, value in row.items()} for row in frame.to_dict("records")]


def _finish(fig: Figure, title: str, source: str, labels: Sequence[_Label] = (),
            data: pd.DataFrame | None = None) -> Figure:
    """The title kept as the figure's label (`caption`) and the data it draws (`chart_data`), the source
    line under the plot, one tight layout, then the value labels placed inside the plot."""
    fig.set_label(title)
    fig.ita_data = [] if data is None else _records(data)
    renderer = _renderer(fig)
    note = fig.text(0.01, 0.01, source, fontsize=SMALL, color=NOTE, ha="left", va="bottom")
    _wrapped(fig, note, renderer)
    below = (note.get_window_extent(renderer).y1 + 2) / fig.bbox.height  # the source line's share
    # The tight layout, run once here: fig.tight_layout() would leave a layout engine on the figure,
    # and savefig then draws the whole figure twice.
    TightLayoutEngine(pad=0.6, rect=(0, below, 1, 1)).execute(fig)
    if labels:
        _place(fig, list(labels))
    plt.close(fig)  # shown once by the notebook's display(), not again by the inline backend
    return fig


def chart_data(fig: Figure) -> list[dict]:
    """The rows a chart of this module draws, one dict a point or bar (what the document's chart part
    carries beside its picture)."""
    return getattr(fig, "ita_data", [])


def caption(fig: Figure) -> str:
    """The chart's Thai title, in the document's digits, for a text heading above it (searchable, read
    aloud, copied); the chart does not draw it."""
    return fig.get_label()


class Chart:
    """A chart as the notebook shows it: inline SVG, its Thai title as alt text (read by the page's template,
    which would otherwise have none)."""

    def __init__(self, svg: str, title: str):
        self.svg, self.title = svg, title

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        return {"image/svg+xml": self.svg, "text/plain": self.title}, {"image/svg+xml": {"alt": self.title}}


def as_image(fig: Figure) -> Chart:
    """The chart as SVG to place inside the page, as wide as the text (width 100 %, no height: the viewBox
    gives its shape): no XML prolog, no group ids (the same in every chart), every other id (glyphs, clip
    paths) and reference to one prefixed after its title, so that charts of one page never share an id
    and a chart's ids are the same in every run."""
    title = caption(fig)
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": title}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    opening = svg[:svg.index(">") + 1]
    sized = re.sub(r'\sheight="[^"]*"', "", re.sub(r'\swidth="[^"]*"', ' width="100%"', opening, count=1), count=1)
    svg = re.sub(r'<g id="[^"]*">', "<g>", sized + svg[len(opening):])
    prefix = "g" + hashlib.sha256(title.encode()).hexdigest()[:8] + "-"
    return Chart(re.sub(r'(id="|href="#|url\(#)', rf"\g<1>{prefix}", svg), title)


def as_png(fig: Figure) -> bytes:
    """The chart as PNG for Word (python-docx takes no SVG): WORD_WIDTH_CM across at PNG_DPI, its size
    recorded as such."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI * WORD_WIDTH_CM / 2.54 / fig.get_figwidth(),
                pil_kwargs={"dpi": (PNG_DPI, PNG_DPI)})
    return buffer.getvalue()


def _legend(ax: plt.Axes, columns: int | None = None) -> None:
    """The legend above the plot, where the title would be: clear of the data at any values."""
    handles, _labels = ax.get_legend_handles_labels()
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), borderaxespad=0, frameon=False,
              ncols=columns or len(handles), handlelength=1.8, columnspacing=1.2)


def _pass_mark(ax: plt.Axes, mark: float, style: Digits, vertical: bool = False,
               words: str = "เกณฑ์ผ่าน") -> None:
    line = ax.axvline if vertical else ax.axhline
    line(mark, color=THRESHOLD, linestyle="--", linewidth=1.8, label=_pass_label(mark, style, words))


def tool_colours(report: Report) -> dict[str, str]:
    """A colour per tool of the agency's years, by its position in the methodology, so a tool keeps its
    colour across charts."""
    return {tool: PALETTE[position % len(PALETTE)] for position, tool in enumerate(tools_of(report.history))}


def _bars(ax: plt.Axes, categories: Sequence[str], groups: dict[str, Sequence[float]], colours: dict[str, str],
          legend: bool = True) -> list[tuple[object, float]]:
    """Each group's bars side by side within each category, 0.8 wide in all, as seaborn's barplot draws
    them; a missing value has no bar and no label. Returns (bar, value) pairs."""
    width = 0.8 / len(groups)
    drawn = []
    for position, (name, values) in enumerate(groups.items()):
        offset = (position - (len(groups) - 1) / 2) * width
        shown = [(x + offset, value) for x, value in enumerate(values) if pd.notna(value)]
        bars = ax.bar([x for x, _ in shown], [value for _, value in shown], width, color=colours[name],
                      label=name if legend else None)
        drawn += list(zip(bars, [value for _, value in shown]))
    _categorical(ax, categories)
    return drawn


def _categorical(ax: plt.Axes, categories: Sequence[str]) -> None:
    """The x axis of bars at 0, 1, 2 ...: one label each, half a slot of margin, no vertical grid."""
    ax.set_xticks(range(len(categories)), categories)
    ax.set_xlim(-0.5, len(categories) - 0.5)
    ax.xaxis.grid(False)


def _score_axis(ax: plt.Axes, style: Digits, axis: str = "y") -> None:
    """A score axis from 0 with ticks to 100, lengthened past 100 only as far as value labels need."""
    (ax.set_ylim if axis == "y" else ax.set_xlim)(0, 100)
    _numbers(ax.yaxis if axis == "y" else ax.xaxis, style, SCORE_TICKS)


def _no_data(ax: plt.Axes, positions: Sequence[int], text: str) -> None:
    for position in positions:
        ax.text(position, 3, text, ha="center", va="bottom", fontsize=SMALL, color=NATIONAL)


def _year_labels(years: Sequence[int], style: Digits) -> list[str]:
    return [thai.digits(int(year), style) for year in years]


def history(report: Report, digits: Digits = "thai") -> Figure:
    """Totals over every fiscal year of the agency's range with the national average; a year without a
    total is a gap in the line."""
    data = report.history
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2))
    ax.plot(data["fiscal_year"], data["total"], marker="o", color=STRONG, label=report.org)
    ax.plot(data["fiscal_year"], data["national_average"], marker="s", linestyle=":", color=NATIONAL,
            label="ค่าเฉลี่ยระดับประเทศ")
    labels = [_label(ax, thai.score(total, digits), [((year, total), (0, 2 * GAP), "bottom"),
                                                      ((year, total), (0, -2 * GAP), "top")])
              for year, total in zip(data["fiscal_year"], data["total"]) if pd.notna(total)]
    years = data["fiscal_year"].tolist()
    ax.xaxis.set_major_locator(FixedLocator(years))
    ax.xaxis.set_major_formatter(_years(digits))
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนน")
    lowest = int(min(60, np.nanmin(data[["total", "national_average"]].to_numpy(dtype=float)) - 8) // 10 * 10)
    ax.set_ylim(lowest, 100)
    _numbers(ax.yaxis, digits, range(lowest, 101, 10))
    _legend(ax)
    span = f"{years[0]}-{years[-1]}" if years[-1] != years[0] else f"{years[0]}"
    title = f"ผลการประเมิน ITA ของ{report.org} ปี {thai.digits(span, digits)}"
    return _finish(fig, title, source_line(report, totals=True, national=True), labels,
                   data[["fiscal_year", "total", "national_average"]])


def overall(report: Report, digits: Digits = "thai") -> Figure:
    """The year's total against the pass mark, the total and rating at the right of the plot."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.4))
    total, mark = report.total, report.method.pass_mark
    ax.barh([0], [total], 0.6, color=STRONG if total >= mark else WEAK)
    ax.set_yticks([0], [f"ปี {thai.digits(report.fiscal_year, digits)}"])
    ax.set_ylim(-0.5, 0.5)
    _pass_mark(ax, mark, digits, vertical=True)
    places = [((total, 0), (GAP, 0), "center")] + ([((mark, 0), (GAP, 0), "center")] if total < mark else [])
    label = _label(ax, f"{thai.score(total, digits)} ({report.summary['rating']})", places, axis="x")
    label.text.set_ha("left")
    _score_axis(ax, digits, "x")
    ax.yaxis.grid(False)
    ax.set_xlabel("คะแนน")
    _legend(ax)
    drawn = pd.DataFrame([{"fiscal_year": report.fiscal_year, "total": total, "rating": str(report.summary["rating"]),
                           "pass_mark": mark}])
    return _finish(fig, "ผลการประเมินในภาพรวม", source_line(report), [label], drawn)


def overall_over_years(report: Report, digits: Digits = "thai") -> Figure:
    data = report.history
    fig, ax = plt.subplots(figsize=SIZE)
    drawn = _bars(ax, _year_labels(data["fiscal_year"], digits), {"total": data["total"].tolist()},
                  {"total": STRONG}, legend=False)
    mark = report.method.pass_mark
    _pass_mark(ax, mark, digits)
    labels = _bar_labels(ax, [bar for bar, _ in drawn], [value for _, value in drawn], digits, mark)
    _no_data(ax, [i for i, total in enumerate(data["total"]) if pd.isna(total)], "ไม่มีข้อมูล")
    _score_axis(ax, digits)
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนนรวม")
    _legend(ax)
    return _finish(fig, "ผลการประเมินในภาพรวมย้อนหลัง", source_line(report, totals=True), labels,
                   data[["fiscal_year", "total"]])


def by_tool(report: Report, digits: Digits = "thai") -> Figure:
    tools = list(report.method.tool_weights)
    scores = [float(report.summary[t.lower()]) for t in tools]
    colours = tool_colours(report)
    fig, ax = plt.subplots(figsize=SIZE)
    bars = ax.bar(range(len(tools)), scores, 0.7, color=[colours[tool] for tool in tools])
    _categorical(ax, tools)
    mark = report.method.pass_mark
    _pass_mark(ax, mark, digits)
    labels = _bar_labels(ax, bars, scores, digits, mark)
    _score_axis(ax, digits)
    ax.set_ylabel("คะแนน")
    _legend(ax)
    return _finish(fig, f"ผลการประเมินรายเครื่องมือ ปี {thai.digits(report.fiscal_year, digits)}", source_line(report),
                   labels, pd.DataFrame({"tool": tools, "score": scores}))


def by_tool_over_years(report: Report, digits: Digits = "thai") -> Figure:
    data = report.history
    tools = tools_of(data)
    fig, ax = plt.subplots(figsize=SIZE)
    drawn = _bars(ax, _year_labels(data["fiscal_year"], digits), {tool: data[tool.lower()].tolist() for tool in tools},
                  tool_colours(report))
    mark = report.method.pass_mark
    _pass_mark(ax, mark, digits)
    # several years of three tools: upright labels would overlap
    labels = _bar_labels(ax, [bar for bar, _ in drawn], [value for _, value in drawn], digits, mark, rotation=90)
    _no_data(ax, [i for i, known in enumerate(data["has_indicators"]) if not known], "ไม่มีข้อมูล\nรายเครื่องมือ")
    _score_axis(ax, digits)
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนน")
    _legend(ax)
    return _finish(fig, "ผลการประเมินรายเครื่องมือย้อนหลัง", source_line(report), labels,
                   data[["fiscal_year", *(tool.lower() for tool in tools)]])


def by_indicator(report: Report, digits: Digits = "thai") -> Figure:
    """Each indicator's score, those under the threshold in the weak colour, the scores in a column at the
    right of the plot (clear of the threshold line and of the bars at any value)."""
    data = report.indicators
    names = [f"{thai.digits(number, digits)}. {name}" for number, name in zip(data["number"], data["name_th"])]
    colours = [WEAK if s < report.threshold else STRONG for s in data["score"]]
    fig, ax = plt.subplots(figsize=(WIDTH, max(5.6, 1.8 + 0.42 * len(data))))  # grows beyond ten indicators
    positions = list(range(len(data)))
    ax.barh(positions, data["score"], 0.7, color=colours)
    ax.set_yticks(positions, names)
    ax.set_ylim(len(data) - 0.5, -0.5)
    for position, score in zip(positions, data["score"]):
        ax.annotate(thai.score(score, digits), (1, position), xycoords=("axes fraction", "data"), xytext=(8, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=SMALL)
    _pass_mark(ax, report.threshold, digits, vertical=True, words="เกณฑ์")
    if WEAK in colours:
        ax.barh([0], [0], color=WEAK, label="ต่ำกว่าเกณฑ์")  # a legend entry only: no width, nothing drawn
    _score_axis(ax, digits, "x")
    ax.yaxis.grid(False)
    ax.set_xlabel("คะแนน")
    _legend(ax)
    return _finish(fig, f"ผลการประเมินรายตัวชี้วัด ปี {thai.digits(report.fiscal_year, digits)}", source_line(report),
                   data=data[["number", "name_th", "tool", "score"]])

CHARTS = (history, overall, overall_over_years, by_tool, by_tool_over_years, by_indicator)


def trends(history: pd.DataFrame, title: str = "คะแนนรวมเทียบกับค่าเฉลี่ยระดับประเทศ",
           digits: Digits = "thai") -> Figure:
    """Totals of every agency over the years (columns org, fiscal_year, total; a year without a total a gap)
    against the national average (column national_average), for the exploration notebook."""
    fig, ax = plt.subplots(figsize=SIZE)
    years = list(range(int(history["fiscal_year"].min()), int(history["fiscal_year"].max()) + 1))
    for position, (org, rows) in enumerate(history.groupby("org", sort=True)):
        own = rows.set_index("fiscal_year")["total"].reindex(years)
        ax.plot(years, own.to_numpy(dtype=float), marker="o", color=PALETTE[position % len(PALETTE)], label=org)
    national = history.dropna(subset=["national_average"]).drop_duplicates("fiscal_year").set_index("fiscal_year")
    ax.plot(years, national["national_average"].reindex(years).to_numpy(dtype=float), linestyle=":", marker="s",
            color=NATIONAL, label="ค่าเฉลี่ยระดับประเทศ")
    ax.xaxis.set_major_locator(FixedLocator(years))
    ax.xaxis.set_major_formatter(_years(digits))
    _numbers(ax.yaxis, digits)
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนนรวม")
    _legend(ax, min(3, history["org"].nunique() + 1))
    return _finish(fig, title, f"{SOURCE} (โฟลเดอร์ข้อมูลที่เลือก)")


def heatmap(indicators: pd.DataFrame, org: str, threshold: float = 85.0, digits: Digits = "thai") -> Figure:
    """Indicators x years of one agency, weak cells visible at a glance (an indicator a row: ten rows of
    scores read across the years, each cell wide enough for its score)."""
    own = indicators[indicators["org"] == org].pivot(index="indicator", columns="fiscal_year", values="score")
    fig, ax = plt.subplots(figsize=(WIDTH, 1.6 + 0.42 * len(own)))
    cells = own.map(lambda value: "" if pd.isna(value) else thai.score(value, digits))
    sns.heatmap(own, annot=cells, fmt="", cmap="RdYlGn", center=threshold, vmin=50, vmax=100,
                cbar_kws={"label": "คะแนน"}, ax=ax, annot_kws={"fontsize": SMALL})
    ax.set_xticks(np.arange(len(own.columns)) + 0.5, [thai.digits(y, digits) for y in own.columns])
    ax.set_yticks(np.arange(len(own.index)) + 0.5, [thai.digits(n, digits) for n in own.index], rotation=0)
    _numbers(ax.collections[0].colorbar.ax.yaxis, digits)
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("ตัวชี้วัดที่")
    return _finish(fig, f"คะแนนรายตัวชี้วัดของ{org}", SOURCE)


def distribution(bins: Sequence[int], pass_mark: float, national_average: float | None, title: str, source: str,
                 marked: tuple[str, float] | None = None, digits: Digits = "thai") -> Figure:
    """Totals of a group of agencies as bars of peers.BIN_WIDTH points (peers.histogram), the bars below
    the pass mark in the weak colour, with the pass mark, the national average and one agency's total."""
    lower = EDGES[:-1]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6))
    ax.bar(lower, bins, width=BIN_WIDTH, align="edge", color=[STRONG if x >= pass_mark else WEAK for x in lower],
           edgecolor="white", alpha=0.85)
    _pass_mark(ax, pass_mark, digits, vertical=True)
    shown = [pass_mark]
    if national_average is not None:
        ax.axvline(national_average, color=NATIONAL, linestyle=":", linewidth=2,
                   label=f"ค่าเฉลี่ยระดับประเทศ {thai.score(national_average, digits)} คะแนน")
        shown.append(national_average)
    if marked is not None:
        ax.axvline(marked[1], color="#222222", linewidth=2,
                   label=f"{marked[0]} {thai.score(marked[1], digits)} คะแนน")
        shown.append(marked[1])
    filled = [x for x, n in zip(lower, bins) if n]
    ax.set_xlim(max(0, min(filled + shown) - BIN_WIDTH), 100 + BIN_WIDTH / 2)
    ax.set_xlabel("คะแนนรวม")
    ax.set_ylabel("จำนวนหน่วยงาน")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _numbers(ax.xaxis, digits)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: _number(value, digits)))
    _legend(ax, 1)
    drawn = pd.DataFrame({"from": lower, "below": [x + BIN_WIDTH for x in lower], "agencies": bins})
    return _finish(fig, title, source, data=drawn)


def _group_source(dataset: Dataset, national_average: float | None, group: str) -> str:
    line = f"{SOURCE} " + f"({group})".replace(" ", NBSP)
    return line + ("\n" + _national_source(dataset) if national_average is not None else "")


def peer_distribution(report: Report, digits: Digits = "thai") -> Figure:
    """The report's agency among the other agencies of its data folder that year (report.peers)."""
    standing = report.peers
    national = report.dataset.national_average(report.fiscal_year)
    return distribution(
        standing.bins, report.method.pass_mark, national,
        f"คะแนนรวมของ {thai.count(standing.agencies, digits)} หน่วยงานในข้อมูลชุดนี้ ปี "
        f"{thai.digits(report.fiscal_year, digits)}",
        _group_source(report.dataset, national, "หน่วยงานในโฟลเดอร์ข้อมูลเดียวกัน"), (report.org, report.total), digits)


def report_charts(report: Report, digits: Digits = "thai") -> list[Figure]:
    """The report's charts in order, their numbers in `digits` (the notebook's parameter): the six of
    CHARTS (without the two "over the years" bar charts when the history has one year: they would repeat
    the year's), then `peer_distribution` when the data folder holds other agencies of the year."""
    one_year = len(report.history) == 1
    charts = [chart for chart in CHARTS if not (one_year and chart in (overall_over_years, by_tool_over_years))]
    return [chart(report, digits) for chart in charts] + ([peer_distribution(report, digits)] if report.peers else [])


def group_distribution(comparison: Comparison, digits: Digits = "thai") -> Figure:
    """The comparison notebook's group, with its chosen agency marked when there is one."""
    chosen = (comparison.org, comparison.total) if comparison.org is not None else None
    national = comparison.national_average
    return distribution(
        comparison.histogram, comparison.method.pass_mark, national,
        f"คะแนนรวมของ {thai.count(comparison.summary['agencies'], digits)} หน่วยงานในข้อมูลชุดนี้ ปี "
        f"{thai.digits(comparison.fiscal_year, digits)}",
        _group_source(comparison.dataset, national, "โฟลเดอร์ข้อมูลที่เลือก"), chosen, digits)


STEP_COLOURS = ("#6b8f71", "#d9a441", WEAK, NATIONAL)  # done, in progress, not started, not reported


def step_statuses(counts: dict[str, int], names: dict[str, str], title: str, source: str,
                  digits: Digits = "thai") -> Figure:
    """The steps of a progress report per status (`counts`, keys named by `names`), a bar each with its count."""
    shown = [names[key] for key in counts]
    values = list(counts.values())
    fig, ax = plt.subplots(figsize=(WIDTH, 3.4))
    ax.barh(range(len(shown)), values, 0.6, color=[STEP_COLOURS[n % len(STEP_COLOURS)] for n in range(len(shown))])
    ax.set_yticks(range(len(shown)), shown)
    ax.invert_yaxis()
    ax.yaxis.grid(False)
    for position, value in enumerate(values):
        ax.annotate(thai.count(value, digits), (value, position), xytext=(GAP, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=SMALL)
    ax.set_xlim(0, max(values + [1]) * 1.15 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: _number(value, digits)))
    ax.set_xlabel("จำนวนขั้นตอน")
    return _finish(fig, title, source, data=pd.DataFrame({"status": list(counts), "name": shown, "steps": values}))
