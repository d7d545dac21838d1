"""The report's parts as HTML fragments for the notebook to display.

Every text that comes from a data file is escaped (`text`), so markup in a measure (say `<script>` or
`onerror=`) shows as inert text and never becomes a live element."""

from __future__ import annotations

import html
import re

from IPython.display import HTML

from . import narrative, thai
from .contract import STATUS_MIME
from .report import Report
from .thai import Digits


def text(value: object) -> str:
    """Data text made safe to place in HTML, as element text or in a quoted attribute (every attribute here
    is quoted): `& < > " '` escaped. nh3.clean_text would also escape each space, slash and equals sign,
    for unquoted attributes that no part has, and the page's source would read `ต่ำกว่า&#32;๘๕`."""
    return html.escape(str(value))


class PreviewStyle:
    """The styles of the report's parts and the Sarabun font, for the notebook as JupyterLab shows it: lists
    numbered once, tables with borders and left-aligned, Thai in tables on a machine without a Thai font.
    Every rule is scoped by a class of ours. The output is tagged so the published page, which has the
    same styles in its head, leaves it out."""

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        from .fonts import font_face_css
        from .render import CSS, PREVIEW_TAG, TEMPLATES

        css = (TEMPLATES / CSS).read_text(encoding="utf-8")
        return {"text/html": f"<style>{font_face_css()}\n{css}</style>", "text/plain": ""}, {"tags": [PREVIEW_TAG]}


def preview_style() -> PreviewStyle:
    return PreviewStyle()


# The part headings, in the notebook's words (notebooks/ita_report.ipynb writes them in its cells): the
# table of contents and the Word document list them. tests/test_docx.py checks they read as the notebook's.
PART_HEADINGS = (
    "๑. ความเป็นมา",
    "๒. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{report.org} ประจำปีงบประมาณ พ.ศ. {report.fiscal_year}",
    "๓. การนำผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{report.org} ในปีงบประมาณ พ.ศ. "
    "{report.fiscal_year} แต่ละประเด็นไปสู่การปฏิบัติของ{report.unit}",
    "๔. วิเคราะห์ข้อจำกัดของ{report.unit}ในการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน",
)
_PART_NUMBER = re.compile(r"([๐-๙0-9]+)\.")


def part_headings(report: Report, style: Digits = "thai") -> list[str]:
    """The four numbered part headings, digits as `heading` writes them."""
    return [thai.digits(heading.format(report=report), style) for heading in PART_HEADINGS]


def _anchor(title: str) -> str:
    """`part-2` for a part heading "๒. ..." (or "2. ..."): the table of contents links to it."""
    number = _PART_NUMBER.match(title)
    return f" id='part-{thai.to_arabic_digits(number.group(1))}'" if number else ""


def heading(title: str, level: int = 2, style: Digits = "thai") -> HTML:
    """A heading; a numbered part's (level 2) carries the anchor the table of contents links to."""
    anchor = _anchor(title) if level == 2 else ""
    return HTML(f"<h{level} class='ita-text'{anchor}>{text(thai.digits(title, style))}</h{level}>")


def contents(report: Report, style: Digits = "thai") -> HTML:
    """The table of contents: a link to each part."""
    links = "".join(f"<li><a href='#part-{number}'>{text(title)}</a></li>"
                    for number, title in enumerate(part_headings(report, style), start=1))
    return HTML(f"<nav class='ita-contents' aria-label='สารบัญ'><p>สารบัญ</p><ol class='plain'>{links}</ol></nav>")


def paragraph(sentence: str) -> HTML:
    return HTML(f"<p class='ita-text'>{text(sentence)}</p>")


def _ordered(items: tuple[str, ...] | list[str], style: Digits) -> str:
    rows = "".join(f"<li><span class='n'>{thai.digits(i, style)}.</span> {text(x)}</li>"
                   for i, x in enumerate(items, start=1))
    return f"<ol class='plain'>{rows}</ol>"


def title(report: Report) -> HTML:
    return HTML(f"<h1 class='ita-text'>มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{text(report.unit)}</h1>")


class Notices(HTML):
    """The notices, which also carry the report's status (warning codes, headline figures) in a MIME
    type of our own: the batch runner reads it from the executed notebook for the manifest and the
    index, and viewers show only the HTML."""

    def __init__(self, html: str, status: dict):
        super().__init__(html)
        self.status = status

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.data, STATUS_MIME: self.status}


def notices(report: Report, style: Digits) -> Notices:
    """What a reader must know about the numbers: presumed weights, a published total that differs."""
    notes = []
    if report.method.weights_presumed:
        weights = " ".join(f"{tool} ร้อยละ {weight * 100:g}" for tool, weight in report.method.tool_weights.items())
        notes.append(f"น้ำหนักของเครื่องมือในปีงบประมาณ พ.ศ. {report.fiscal_year} เป็นค่าที่สันนิษฐาน"
                     f"จากปีที่ยืนยันได้ ({weights})")
    if bool(report.summary["mismatch"]):
        notes.append(f"คะแนนรวมที่คำนวณจากคะแนนรายตัวชี้วัด ({thai.score(report.summary['total'])}) "
                     f"ต่างจากคะแนนที่ประกาศ ({thai.score(report.summary['reported_total'])}) เกิน 0.01 คะแนน "
                     "รายงานนี้ใช้คะแนนที่ประกาศ")
    notes = [thai.digits(note, style) for note in notes]
    return Notices("".join(f"<p class='notice'>{text(n)}</p>" for n in notes),
                   {"warnings": report.warnings, "figures": report.figures})


def _scrolling(table: str) -> str:
    """A table that scrolls sideways within itself when the screen is narrower than it, never the page;
    a tab stop, so that a keyboard can scroll it too."""
    return f"<div class='ita-scroll' tabindex='0'>{table}</div>"


def indicator_table(report: Report, style: Digits) -> HTML:
    rows = "".join(
        f"<tr class='{'weak' if row.score < report.threshold else ''}'>"
        f"<td class='num'>{thai.digits(row.number, style)}</td>"
        f"<td>{text(row.name_th)}</td><td>{text(row.tool)}</td><td class='num'>{thai.score(row.score, style)}</td></tr>"
        for row in report.indicators.itertuples()
    )
    summary = report.summary
    tools = "".join(
        f"<tr class='tool'><td></td><td>คะแนนเครื่องมือ {text(tool)}</td><td>{text(tool)}</td>"
        f"<td class='num'>{thai.score(summary[tool.lower()], style)}</td></tr>" for tool in report.method.tool_weights
    )
    total = (f"<tr class='total'><td></td><td>คะแนนรวม (ระดับ “{text(summary['rating'])}”)</td><td></td>"
             f"<td class='num'>{thai.score(report.total, style)}</td></tr>")
    return HTML(_scrolling(
        "<table class='ita'><caption>สรุปผลการประเมินรายตัวชี้วัด</caption><thead><tr><th>ตัวชี้วัดที่</th>"
        "<th>รายละเอียดตัวชี้วัด</th><th>เครื่องมือ</th><th>คะแนน</th></tr></thead>"
        f"<tbody>{rows}{tools}{total}</tbody></table>"
    ))


def headroom_table(report: Report, style: Digits) -> HTML:
    """Which indicators add most to the total if raised: weight x (100 - score), and the gain at the threshold."""
    limit = thai.digits(f"{report.threshold:g}", style)
    rows = "".join(
        f"<tr class='{'weak' if row.gap > 0 else ''}'><td class='num'>{thai.digits(row.number, style)}</td>"
        f"<td>{text(row.name_th)}</td><td class='num'>{thai.score(row.score, style)}</td>"
        f"<td class='num'>{thai.digits(f'{row.weight * 100:g}', style)}</td>"
        f"<td class='num'>{thai.score(row.gain_at_threshold, style)}</td>"
        f"<td class='num'>{thai.score(row.headroom, style)}</td></tr>"
        for row in report.headroom[report.headroom["headroom"] > 0].itertuples()
    )
    return HTML(_scrolling(
        "<table class='ita'><caption>ตัวชี้วัดที่เพิ่มคะแนนรวมได้มากที่สุดหากปรับปรุง</caption><thead><tr>"
        "<th>ตัวชี้วัดที่</th><th>ตัวชี้วัด</th><th>คะแนน</th><th>น้ำหนัก (ร้อยละ)</th>"
        f"<th>คะแนนรวมที่เพิ่มขึ้นเมื่อถึง {limit}</th><th>คะแนนรวมที่เพิ่มได้สูงสุด</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    ))


ACTION_COLUMNS = ("ประเด็น", "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ", "ผู้รับผิดชอบ", "ขั้นตอนหรือวิธีปฏิบัติ")


def action_table(report: Report, style: Digits) -> HTML:
    """Part 3: issue, measures, responsible unit and steps; weak indicators no issue covers are flagged."""
    parts = []
    uncovered = report.uncovered
    if uncovered:
        names = [report.method.indicator(n).name_th for n in uncovered]
        parts.append(f"<p class='flag'>{text(narrative.uncovered_sentence(names, style))}</p>")
    if report.measures is None:
        parts.append("<p class='flag'>ยังไม่มีข้อมูลมาตรการของหน่วยงานสำหรับผลการประเมินปีนี้ในโฟลเดอร์ข้อมูล</p>")
        return HTML("".join(parts))
    rows = []
    issue_, measures_, responsible_, steps_ = ACTION_COLUMNS
    for number, issue in enumerate(report.measures.issues, start=1):
        covers = ", ".join(thai.digits(n, style) for n in issue.indicators)
        rows.append(  # data-label: a phone shows each issue as a card, every cell under its column's name
            f"<tr><td data-label='{issue_}'><span class='n'>{thai.digits(number, style)}.</span> {text(issue.title)}"
            f"<div class='covers'>(ตัวชี้วัดที่ {covers})</div></td>"
            f"<td data-label='{measures_}'>{_ordered(issue.measures, style)}</td>"
            f"<td data-label='{responsible_}'>{text(issue.responsible)}</td>"
            f"<td data-label='{steps_}'>{_ordered(issue.steps, style)}</td></tr>"
        )
    head = "".join(f"<th>{column}</th>" for column in ACTION_COLUMNS)
    parts.append(f"<table class='ita actions'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return HTML("".join(parts))


def constraints(report: Report, style: Digits) -> HTML:
    if report.measures is None or not report.measures.constraints:
        return HTML("<p class='ita-text'>ไม่มีข้อมูลข้อจำกัดของหน่วยงานในโฟลเดอร์ข้อมูล</p>")
    return HTML(_ordered(report.measures.constraints, style))
