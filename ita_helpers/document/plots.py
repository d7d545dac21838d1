"""The report's six charts, in matplotlib with seaborn's theme and Sarabun. One function per chart; each
returns its Figure, with a Thai title and a source line. Years without tool scores are shown as missing, never as zero.

The page shows them as inline SVG, sharp at any size: a phone scales them down, a desktop shows them
1:1. They are drawn 5 inches wide with no text under 9.5 pt, so that on a 390-pixel phone their smallest
text is still over 9 CSS pixels.

Their text takes one of two forms (benchmarks/charts.py and benchmarks/batch.py have the figures):
- SVG <text>, set by the browser in the page's embedded Sarabun: an eighth of the bytes, searchable, and
  a third of Chromium's PDF time. `ita run` asks for it ($ITA_SVG_TEXT=1) unless WeasyPrint prints the
  PDF: WeasyPrint lays SVG text out letter by letter and drops stacked Thai marks (ที่มา reads ทีมา).
- glyph outlines (`svg.fonttype: path`), shaped by matplotlib: the default, for JupyterLab, which shows
  SVG as an image that cannot use the page's fonts (a machine without a Thai font would show boxes)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.ticker import MaxNLocator

from ..analysis.report import Report
from ..batch.slices import source_file_name
from ..core.fonts import FAMILY, register_for_matplotlib
from ..domain.scoring import tools_of
from .chart_forms import SVG_TEXT_ENV

if TYPE_CHECKING:
    from ..analysis.comparison import Comparison

PALETTE = ("#2f6690", "#3a7ca5", "#81c3d7", "#16425b", "#d9a441", "#6b8f71")  # tools by position, cycled
WEAK, STRONG, NATIONAL, THRESHOLD = "#c0392b", "#2f6690", "#7f8c8d", "#e67e22"
WIDTH = 5.0  # inches: 480 CSS px, shown at 1:1 on a desktop and scaled to about 0.75 on a 390-px phone
SIZE = (WIDTH, 3.3)
SMALL = 9.5  # pt, the smallest text of a chart: 12.7 CSS px at 1:1, over 9 px on a phone
SOURCE_CHARS = 80  # the source line is wrapped to fit the chart's width
PNG_DPI = 150  # Word's pictures: 750 px across 16 cm of text

def setup() -> None:
    """Seaborn theme in Sarabun; call once per kernel. Chart text is SVG <text> when $ITA_SVG_TEXT is 1."""
    register_for_matplotlib()
    # text.parse_math off: an agency called "$x$ ..." is text, not mathematics to typeset.
    sns.set_theme(style="whitegrid", font=FAMILY, rc={
        "figure.dpi": 110, "savefig.dpi": PNG_DPI, "axes.titleweight": "bold", "text.parse_math": False,
        "svg.fonttype": "none" if os.environ.get(SVG_TEXT_ENV) == "1" else "path", "legend.fontsize": SMALL,
        "axes.titlesize": 11.5})

def source_line(report: Report, with_reference: bool = False) -> str:
    files = sorted({source_file_name(Path(f).name) for f in report.dataset.indicators.loc[
        report.dataset.indicators["org"] == report.org, "file"]})
    if with_reference:
        files += ["reported_totals.csv", "national_averages.csv"]
    return "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (ไฟล์ข้อมูล " + ", ".join(files) + ")"

def _finish(fig: Figure, ax: plt.Axes, title: str, source: str) -> Figure:
    # y given: the title sits just above the axes, as it would here anyway, without matplotlib measuring
    # every tick label to find the axes' top at each draw (a fifth of a chart's CPU time).
    ax.set_title(title, loc="left", y=1.0)
    source = textwrap.fill(source, SOURCE_CHARS)
    fig.text(0.01, 0.01, source, fontsize=SMALL, color="#555555", ha="left", va="bottom")
    below = (source.count("\n") + 1) * SMALL * 1.3 / 72 / fig.get_figheight()  # the source line's share
    # The tight layout, run once here: fig.tight_layout() would leave a layout engine on the figure,
    # and savefig then draws the whole figure twice.
    TightLayoutEngine(pad=0.6, rect=(0, below, 1, 1)).execute(fig)
    plt.close(fig)  # shown once by the notebook's display(), not again by the inline backend
    return fig

def caption(fig: Figure) -> str:
    """The chart's Thai title, for a text heading above it (searchable, read aloud, copied)."""
    return fig.axes[0].get_title(loc="left")


class Chart:
    """A chart as the notebook shows it: inline SVG, its Thai title as alt text (read by the page's template,
    which would otherwise have none)."""

    def __init__(self, svg: str, title: str):
        self.svg, self.title = svg, title

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        return {"image/svg+xml": self.svg, "text/plain": self.title}, {"image/svg+xml": {"alt": self.title}}


def as_image(fig: Figure) -> Chart:
    """The chart as SVG to place inside the page: no XML prolog, no group ids (the same in every chart),
    every other id (glyphs, clip paths) and reference to one prefixed after its title, so that charts of
    one page never share an id and a chart's ids are the same in every run."""
    title = caption(fig)
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": title}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue().decode("utf-8")
    svg = re.sub(r'<g id="[^"]*">', "<g>", svg[svg.index("<svg"):])
    prefix = "g" + hashlib.sha256(title.encode()).hexdigest()[:8] + "-"
    return Chart(re.sub(r'(id="|href="#|url\(#)', rf"\g<1>{prefix}", svg), title)


def as_png(fig: Figure) -> bytes:
    """The chart as PNG, for Word (python-docx takes no SVG)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()


def _pass_mark(ax: plt.Axes, report: Report) -> None:
    ax.axhline(report.method.pass_mark, color=THRESHOLD, linestyle="--", linewidth=1.2,
               label=f"เกณฑ์ผ่าน {report.method.pass_mark:g} คะแนน")

def tool_colours(report: Report) -> dict[str, str]:
    """A colour per tool of the agency's years, by its position in the methodology, so a tool keeps its
    colour across charts."""
    return {tool: PALETTE[position % len(PALETTE)] for position, tool in enumerate(tools_of(report.history))}

def _bars(ax: plt.Axes, categories: Sequence[str], groups: dict[str, Sequence[float]], colours: dict[str, str],
          legend: bool = True) -> None:
    """Each group's bars side by side within each category, 0.8 wide in all, as seaborn's barplot draws
    them (in a tenth of its time); a missing value has no bar and no label."""
    width = 0.8 / len(groups)
    for position, (name, values) in enumerate(groups.items()):
        offset = (position - (len(groups) - 1) / 2) * width
        shown = [(x + offset, value) for x, value in enumerate(values) if pd.notna(value)]
        ax.bar([x for x, _ in shown], [value for _, value in shown], width, color=colours[name],
               label=name if legend else None)
    _categorical(ax, categories)

def _categorical(ax: plt.Axes, categories: Sequence[str]) -> None:
    """The x axis of bars at 0, 1, 2 ...: one label each, half a slot of margin, no vertical grid."""
    ax.set_xticks(range(len(categories)), categories)
    ax.set_xlim(-0.5, len(categories) - 0.5)
    ax.xaxis.grid(False)

def _label_bars(ax: plt.Axes, rotation: float = 0) -> None:
    for container in ax.containers:
        ax.bar_label(container, fmt="%.2f", fontsize=SMALL, padding=2, rotation=rotation)

def _legend_below(ax: plt.Axes, columns: int) -> None:
    """The legend under the axis' tick labels, in place of an axis label: clear of them at any height."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=2.2, ncols=columns, frameon=False)

def history(report: Report) -> Figure:
    """Totals over the years with the national average."""
    data = report.history
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot(data["fiscal_year"], data["total"], marker="o", color=STRONG, label=report.org)
    known = data.dropna(subset=["national_average"])
    ax.plot(known["fiscal_year"], known["national_average"], marker="s", linestyle=":", color=NATIONAL,
            label="ค่าเฉลี่ยระดับประเทศ")
    for year, total in zip(data["fiscal_year"], data["total"]):
        ax.annotate(f"{total:.2f}", (year, total), textcoords="offset points", xytext=(0, 7), ha="center",
                    fontsize=SMALL)
    ax.set_xticks(data["fiscal_year"], [str(y) for y in data["fiscal_year"]])
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนน")
    ax.set_ylim(min(60, data[["total", "national_average"]].min().min() - 5), 102)
    ax.legend(loc="lower right")
    years = f"{data['fiscal_year'].min()}-{data['fiscal_year'].max()}"
    return _finish(fig, ax, f"ผลการประเมิน ITA ของ{report.org} ปี {years}", source_line(report, True))

def overall(report: Report) -> Figure:
    """The year's total against the pass mark."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.3))
    total, mark = report.total, report.method.pass_mark
    ax.barh([f"ปี {report.fiscal_year}"], [total], color=STRONG if total >= mark else WEAK)
    ax.axvline(mark, color=THRESHOLD, linestyle="--", label=f"เกณฑ์ผ่าน {mark:g} คะแนน")
    ax.bar_label(ax.containers[0], labels=[f"{total:.2f} ({report.summary['rating']})"], padding=4)
    ax.set_xlim(0, 110)
    ax.set_xlabel("คะแนน")
    ax.legend(loc="lower right")
    return _finish(fig, ax, "ผลการประเมินในภาพรวม", source_line(report))

def overall_over_years(report: Report) -> Figure:
    data = report.history
    fig, ax = plt.subplots(figsize=SIZE)
    _bars(ax, data["fiscal_year"].astype(str).tolist(), {"total": data["total"].tolist()}, {"total": STRONG},
          legend=False)
    _label_bars(ax)
    _pass_mark(ax, report)
    ax.set_ylim(0, 110)
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนนรวม")
    ax.legend(loc="lower right")
    return _finish(fig, ax, "ผลการประเมินในภาพรวมย้อนหลัง", source_line(report, True))

def by_tool(report: Report) -> Figure:
    tools = list(report.method.tool_weights)
    scores = [float(report.summary[t.lower()]) for t in tools]
    colours = tool_colours(report)
    fig, ax = plt.subplots(figsize=SIZE)
    ax.bar(range(len(tools)), scores, 0.8, color=[colours[tool] for tool in tools])
    _categorical(ax, tools)
    _label_bars(ax)
    _pass_mark(ax, report)
    ax.set_ylim(0, 110)
    ax.set_ylabel("คะแนน")
    ax.legend(loc="lower right")
    return _finish(fig, ax, f"ผลการประเมินรายเครื่องมือ ปี {report.fiscal_year}", source_line(report))

def by_tool_over_years(report: Report) -> Figure:
    data = report.history
    tools = tools_of(data)
    fig, ax = plt.subplots(figsize=SIZE)
    _bars(ax, data["fiscal_year"].astype(str).tolist(), {tool: data[tool.lower()].tolist() for tool in tools},
          tool_colours(report))
    _label_bars(ax, rotation=90)  # five years of three tools: upright labels would overlap
    for position, row in enumerate(report.history.itertuples()):
        if not row.has_indicators:
            ax.text(position, 4, "ไม่มีข้อมูล\nรายเครื่องมือ", ha="center", va="bottom", fontsize=SMALL, color=NATIONAL)
    _pass_mark(ax, report)
    ax.set_ylim(0, 130)
    ax.set_xlabel("")  # the years say it; the legend goes under them
    ax.set_ylabel("คะแนน")
    _legend_below(ax, len(tools) + 1)
    return _finish(fig, ax, "ผลการประเมินรายเครื่องมือย้อนหลัง", source_line(report))

def by_indicator(report: Report) -> Figure:
    data = report.indicators.assign(label=lambda d: d["number"].astype(str) + ". " + d["name_th"])
    colours = [WEAK if s < report.threshold else STRONG for s in data["score"]]
    fig, ax = plt.subplots(figsize=(WIDTH, max(4.6, 1.2 + 0.34 * len(data))))  # grows beyond ten indicators
    ax.barh(data["label"], data["score"], color=colours)
    ax.invert_yaxis()
    ax.bar_label(ax.containers[0], fmt="%.2f", padding=3, fontsize=SMALL)
    ax.axvline(report.threshold, color=THRESHOLD, linestyle="--", label=f"เกณฑ์ {report.threshold:g} คะแนน")
    ax.set_xlim(0, 110)
    ax.plot([], [], color=WEAK, linewidth=8, label="ต่ำกว่าเกณฑ์")
    _legend_below(ax, 2)
    return _finish(fig, ax, f"ผลการประเมินรายตัวชี้วัด ปี {report.fiscal_year}", source_line(report))

CHARTS = (history, overall, overall_over_years, by_tool, by_tool_over_years, by_indicator)


def trends(history: pd.DataFrame, title: str = "คะแนนรวมเทียบกับค่าเฉลี่ยระดับประเทศ") -> Figure:
    """Totals of every agency over the years (columns org, fiscal_year, total) against the national average
    (column national_average), for the exploration notebook."""
    fig, ax = plt.subplots(figsize=SIZE)
    sns.lineplot(data=history, x="fiscal_year", y="total", hue="org", marker="o", ax=ax)
    national = history.dropna(subset=["national_average"]).drop_duplicates("fiscal_year")
    ax.plot(national["fiscal_year"], national["national_average"], linestyle=":", marker="s", color=NATIONAL,
            label="ค่าเฉลี่ยระดับประเทศ")
    years = sorted(history["fiscal_year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
    ax.set_ylabel("คะแนนรวม")
    ax.legend(loc="lower right", fontsize=9)
    return _finish(fig, ax, title, "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (โฟลเดอร์ข้อมูล data/)")


def heatmap(indicators: pd.DataFrame, org: str, threshold: float = 85.0) -> Figure:
    """Years x indicators of one agency, weak cells visible at a glance."""
    own = indicators[indicators["org"] == org].pivot(index="fiscal_year", columns="indicator", values="score")
    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.5 * len(own)))
    sns.heatmap(own, annot=True, fmt=".2f", cmap="RdYlGn", center=threshold, vmin=50, vmax=100,
                cbar_kws={"label": "คะแนน"}, ax=ax)
    ax.set_xlabel("ตัวชี้วัดที่")
    ax.set_ylabel("ปีงบประมาณ (พ.ศ.)")
    return _finish(fig, ax, f"คะแนนรายตัวชี้วัดของ{org}", "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช.")


def distribution(bins: Sequence[int], pass_mark: float, national_average: float | None, title: str, source: str,
                 marked: tuple[str, float] | None = None) -> Figure:
    """Totals of a group of agencies as bars of peers.BIN_WIDTH points (peers.histogram), the bars below
    the pass mark in the weak colour, with the pass mark, the national average and one agency's total."""
    from ..analysis.peers import BIN_WIDTH, EDGES

    lower = EDGES[:-1]
    fig, ax = plt.subplots(figsize=SIZE)
    ax.bar(lower, bins, width=BIN_WIDTH, align="edge", color=[STRONG if x >= pass_mark else WEAK for x in lower],
           edgecolor="white", alpha=0.85)
    ax.axvline(pass_mark, color=THRESHOLD, linestyle="--", linewidth=1.2, label=f"เกณฑ์ผ่าน {pass_mark:g} คะแนน")
    shown = [pass_mark]
    if national_average is not None:
        ax.axvline(national_average, color=NATIONAL, linestyle=":", linewidth=1.6,
                   label=f"ค่าเฉลี่ยระดับประเทศ {national_average:.2f} คะแนน")
        shown.append(national_average)
    if marked is not None:
        ax.axvline(marked[1], color="#222222", linewidth=1.6, label=f"{marked[0]} {marked[1]:.2f} คะแนน")
        shown.append(marked[1])
    filled = [x for x, n in zip(lower, bins) if n]
    ax.set_xlim(max(0, min(filled + shown) - BIN_WIDTH), 100 + BIN_WIDTH / 2)
    ax.set_xlabel("คะแนนรวม")
    ax.set_ylabel("จำนวนหน่วยงาน")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_below(ax, len(shown))
    return _finish(fig, ax, title, source)


def peer_distribution(report: Report) -> Figure:
    """The report's agency among the other agencies of its data folder that year (report.peers)."""
    standing = report.peers
    return distribution(
        standing.bins, report.method.pass_mark, report.dataset.national_average(report.fiscal_year),
        f"คะแนนรวมของ {standing.agencies:,} หน่วยงานในข้อมูลชุดนี้ ปี {report.fiscal_year}",
        "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (หน่วยงานในโฟลเดอร์ข้อมูลเดียวกัน; ค่าเฉลี่ยระดับประเทศ "
        "จาก national_averages.csv)", (report.org, report.total))


def report_charts(report: Report) -> list[Figure]:
    """The report's charts in order: the six of CHARTS, then `peer_distribution` when the data folder holds other
    agencies of the year."""
    return [chart(report) for chart in CHARTS] + ([peer_distribution(report)] if report.peers else [])


def group_distribution(comparison: Comparison) -> Figure:
    """The comparison notebook's group, with its chosen agency marked when there is one."""
    chosen = (comparison.org, comparison.total) if comparison.org is not None else None
    return distribution(
        comparison.histogram, comparison.method.pass_mark, comparison.national_average,
        f"คะแนนรวมของ {comparison.summary['agencies']:,} หน่วยงานในข้อมูลชุดนี้ ปี {comparison.fiscal_year}",
        "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (โฟลเดอร์ข้อมูลที่เลือก; ค่าเฉลี่ยระดับประเทศ "
        "จาก national_averages.csv)", chosen)
