"""The chart of question scores grouped by indicator (the IIT's five groups, the EIT's three), drawn as
document.plots draws the report's other charts: Thai title kept as its caption, the data it draws, the pass
mark, the source under the plot."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ..analysis.report import Report
from ..core import thai
from ..core.thai import Digits
from .plots import NBSP, SMALL, STRONG, WEAK, WIDTH, _finish, _legend, _pass_mark, _score_axis, source_line

GROUP_GAP = 1  # empty slots between two indicators' questions


def question_tools(report: Report) -> list[str]:
    """The tools whose questions the report has (the OIT's items are shown as a table, not a chart)."""
    return [tool for tool in ("IIT", "EIT") if report.questions and tool in report.questions.lists]


def by_question(report: Report, tool: str, digits: Digits = "thai") -> Figure:
    """Each question's score, grouped by its indicator (a label over each group), those under the pass
    mark in the weak colour."""
    details = report.questions.of_tool(tool)
    numbers = list(dict.fromkeys(d.indicator for d in details))
    positions, rows, place = [], [], 0
    for number in numbers:
        group = [d for d in details if d.indicator == number]
        for detail in group:
            positions.append(place)
            rows.append({"code": detail.code, "indicator": number, "score": round(detail.score, 2)})
            place += 1
        place += GROUP_GAP
    data = pd.DataFrame(rows)
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6))
    colours = [WEAK if s < report.threshold else STRONG for s in data["score"]]
    ax.bar(positions, data["score"], 0.75, color=colours)
    ax.set_xticks(positions, data["code"], rotation=90, fontsize=SMALL)
    ax.set_xlim(-0.7, positions[-1] + 0.7)
    ax.xaxis.grid(False)
    start = 0
    for number in numbers:
        size = int((data["indicator"] == number).sum())
        ax.annotate(f"ตัวชี้วัดที่ {thai.digits(number, digits)}", ((start + start + size - 1) / 2, 1),
                    xycoords=("data", "axes fraction"), xytext=(0, -4), textcoords="offset points", ha="center",
                    va="top", fontsize=SMALL)
        start += size + GROUP_GAP
    _pass_mark(ax, report.threshold, digits)
    if WEAK in colours:
        ax.bar([0], [0], color=WEAK, label="ต่ำกว่าเกณฑ์")  # a legend entry only
    _score_axis(ax, digits)
    ax.set_ylim(0, 116)  # room for the indicators' labels over the bars
    ax.set_ylabel("คะแนน")
    _legend(ax)
    title = f"คะแนนรายข้อคำถาม {tool} จำแนกตามตัวชี้วัด ปี {thai.digits(report.fiscal_year, digits)}"
    workbook = Path(report.questions.results.file).name.replace(" ", NBSP)
    return _finish(fig, title, f"{source_line(report)}\nผลรายข้อคำถาม: ไฟล์{NBSP}{workbook}", data=data)
