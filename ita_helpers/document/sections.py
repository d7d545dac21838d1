"""The parts of the analysis-and-measures document (the seed's five parts), built from a `Report`.

Each function returns a part of `parts` for a notebook cell to display; the notebook decides their order
and adds its own. Numbers are written in the document's digits (`style`) here, once, for every format."""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING

from ..analysis.report import Report
from ..core import thai
from ..core.fonts import lab_font_css
from ..core.thai import Digits
from ..domain.oit_items import OitItem, OitYear
from ..inputs.measures_draft import IssueGroup
from . import narrative, plots
from .chart_forms import CHART_PNG_ENV
from .html import COMPONENTS_CSS
from .parts import (
    PREVIEW_TAG,
    STATUS_MIME,
    ActionTable,
    Cell,
    Chart,
    Column,
    Contents,
    Entry,
    Heading,
    Issue,
    Item,
    Notice,
    NumberedList,
    Paragraph,
    Part,
    Row,
    Signature,
    Table,
    Title,
    anchor,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class PreviewStyle:
    """The styles of the report's parts and the Sarabun font, for the notebook as JupyterLab shows it: lists
    numbered once, tables with borders and left-aligned, and Thai everywhere in Lab (markdown, tables,
    widget labels, drop-downs) on a machine without a Thai font. The parts' rules are scoped by a class of
    ours. The output is tagged so the published page, which has its own styles in its head, leaves it out."""

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        css = COMPONENTS_CSS.read_text(encoding="utf-8")
        return {"text/html": f"<style>{lab_font_css()}\n{css}</style>", "text/plain": ""}, {"tags": [PREVIEW_TAG]}


def preview_style() -> PreviewStyle:
    return PreviewStyle()


# The part headings, in the notebook's words (notebooks/ita_report.ipynb writes them in its cells): the
# contents list them in JupyterLab; a published document lists the headings it has.
PART_HEADINGS = (
    "๑. ความเป็นมา",
    "๒. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{report.org} ประจำปีงบประมาณ พ.ศ. {report.fiscal_year}",
    "๓. การนำผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{report.org} ในปีงบประมาณ พ.ศ. "
    "{report.fiscal_year} แต่ละประเด็นไปสู่การปฏิบัติของ{report.unit}",
    "๔. วิเคราะห์ข้อจำกัดของ{report.unit}ในการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน",
)


def part_headings(report: Report, style: Digits = "thai") -> list[str]:
    """The four numbered part headings, digits as `heading` writes them."""
    return [thai.digits(heading.format(report=report), style) for heading in PART_HEADINGS]


def heading(title: str, level: int = 2, style: Digits = "thai") -> Heading:
    """A heading; a numbered part's (level 2) carries the anchor the table of contents links to."""
    title = thai.digits(title, style)
    return Heading(title, level, anchor(title) if level == 2 else "")


def contents(report: Report, style: Digits = "thai") -> Contents:
    return Contents([Entry(anchor(title), title) for title in part_headings(report, style)])


def paragraph(sentence: str) -> Paragraph:
    return Paragraph(sentence)


def numbered(items: tuple[str, ...] | list[str], style: Digits) -> list[Item]:
    return [Item(f"{thai.digits(number, style)}.", text) for number, text in enumerate(items, start=1)]


def title(report: Report) -> Title:
    return Title(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{report.unit}", report.unit)


class Status:
    """The report's status (warning codes, headline figures) in a MIME type of our own: the batch runner
    reads it from the executed notebook for the manifest and the index. Nothing of it is shown."""

    def __init__(self, status: dict):
        self.status = status

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {STATUS_MIME: self.status, "text/plain": ""}


def status(report: Report) -> Status:
    return Status({"warnings": report.warnings, "figures": report.figures})


def oit_note(report: Report, style: Digits) -> list[Paragraph]:
    """Which OIT item this document is published as, from the OIT list of the year it serves (oit_items.yaml);
    nothing where no list says."""
    return oit_paragraphs(report.oit_item, report.oit_year, style)


def oit_paragraphs(found: tuple[OitYear, OitItem] | None, oit_year: int, style: Digits) -> list[Paragraph]:
    """The sentence naming the OIT item a document is published as (`found`, from the list of its year or
    the latest one before); a number or title not confirmed by the NACC's manual is said to be so."""
    if found is None:
        return []
    year, item = found
    title = f" “{item.title}”" if item.title else ""
    text = (f"เอกสารฉบับนี้จัดทำเพื่อเผยแพร่เป็นข้อมูลตามข้อ {item.code}{title} ของแบบตรวจการเปิดเผยข้อมูลสาธารณะ "
            f"(OIT) ในการประเมินประจำปีงบประมาณ พ.ศ. {oit_year}")
    if year.fiscal_year != oit_year:
        text += (f" ตามรายการของปีงบประมาณ พ.ศ. {year.fiscal_year} เนื่องจากยังไม่มีรายการของปีงบประมาณ "
                 f"พ.ศ. {oit_year}")
    if not year.confirmed:
        text += " ทั้งนี้ หมายเลขและชื่อรายการอ้างอิงจากแหล่งข้อมูลทุติยภูมิ ซึ่งยังมิได้ตรวจสอบกับคู่มือการประเมินของสำนักงาน ป.ป.ช."
    return [Paragraph(thai.digits(text, style))]


def notices(report: Report, style: Digits) -> list[Notice]:
    """What a reader must know about the numbers: a presumed framework or weights, a published total that
    differs."""
    notes = []
    if report.method.framework_presumed:
        notes.append(f"ใช้เกณฑ์การประเมินของปีงบประมาณ พ.ศ. {report.method.framework_year} เนื่องจากยังไม่มีเกณฑ์"
                     f"การประเมินของปีงบประมาณ พ.ศ. {report.fiscal_year} ผลคะแนนรวมและระดับผลจึงเป็นค่าที่สันนิษฐาน")
    weights = " ".join(f"{tool} ร้อยละ {weight * 100:g}" for tool, weight in report.method.tool_weights.items())
    if report.method.stated_by_agency:
        notes.append(f"เกณฑ์การประเมินของปีงบประมาณ พ.ศ. {report.fiscal_year} เป็นไปตามที่หน่วยงานระบุไว้ในไฟล์ "
                     f"“เกณฑ์การประเมิน.xlsx” ของหน่วยงาน ({weights})")
    if report.method.weights_presumed:
        notes.append(f"น้ำหนักของเครื่องมือในปีงบประมาณ พ.ศ. {report.fiscal_year} เป็นค่าที่สันนิษฐาน"
                     f"จากปีที่ยืนยันได้ ({weights})")
    if bool(report.summary["mismatch"]):
        notes.append(f"คะแนนรวมที่คำนวณจากคะแนนรายตัวชี้วัด ({thai.score(report.summary['total'])}) "
                     f"ต่างจากคะแนนที่ประกาศ ({thai.score(report.summary['reported_total'])}) เกิน 0.01 คะแนน "
                     "รายงานนี้ใช้คะแนนที่ประกาศ")
    return [Notice(thai.digits(note, style)) for note in notes]


def _score(value: float, style: Digits) -> Cell:
    return Cell(thai.score(value, style), round(float(value), 2))


def _number(value: float | int, style: Digits, shown: str | None = None) -> Cell:
    return Cell(thai.digits(shown if shown is not None else value, style), float(value))


def indicator_table(report: Report, style: Digits) -> Table:
    """Every indicator with its official Thai name, tool and score (weak ones marked), the tools' scores
    and the total with its rating."""
    rows = [Row([_number(row.number, style), Cell(row.name_th), Cell(row.tool), _score(row.score, style)],
                "weak" if row.score < report.threshold else "")
            for row in report.indicators.itertuples()]
    summary = report.summary
    rows += [Row([Cell(""), Cell(f"คะแนนเครื่องมือ {tool}"), Cell(tool), _score(summary[tool.lower()], style)], "tool")
             for tool in report.method.tool_weights]
    rows.append(Row([Cell(""), Cell(f"คะแนนรวม (ระดับ “{summary['rating']}”)"), Cell(""),
                     _score(report.total, style)], "total"))
    columns = [Column("ตัวชี้วัดที่", True, 0.14), Column("รายละเอียดตัวชี้วัด", False, 0.57),
               Column("เครื่องมือ", False, 0.14), Column("คะแนน", True, 0.15)]
    return Table("สรุปผลการประเมินรายตัวชี้วัด", columns, rows)


def headroom_table(report: Report, style: Digits) -> Table:
    """Which indicators add most to the total if raised: weight x (100 - score), and the gain at the threshold."""
    limit = thai.digits(f"{report.threshold:g}", style)
    rows = [Row([_number(row.number, style), Cell(row.name_th), _score(row.score, style),
                 _number(row.weight * 100, style, f"{row.weight * 100:g}"), _score(row.gain_at_threshold, style),
                 _score(row.headroom, style)], "weak" if row.gap > 0 else "")
            for row in report.headroom[report.headroom["headroom"] > 0].itertuples()]
    columns = [Column("ตัวชี้วัดที่", True, 0.12), Column("ตัวชี้วัด", False, 0.34), Column("คะแนน", True, 0.12),
               Column("น้ำหนัก (ร้อยละ)", True, 0.13), Column(f"คะแนนรวมที่เพิ่มขึ้นเมื่อถึง {limit}", True, 0.15),
               Column("คะแนนรวมที่เพิ่มได้สูงสุด", True, 0.14)]
    return Table("ตัวชี้วัดที่เพิ่มคะแนนรวมได้มากที่สุดหากปรับปรุง", columns, rows)


def covers(issue: IssueGroup, style: Digits) -> str:
    """What an issue covers: its indicators, and the question or OIT item codes its measures aim at."""
    aims = f"; ข้อคำถามที่มุ่งแก้ {', '.join(issue.questions)}" if issue.questions else ""
    return f"(ตัวชี้วัดที่ {', '.join(thai.digits(n, style) for n in issue.indicators)}{aims})"


ACTION_COLUMNS = ["ประเด็น", "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ", "ผู้รับผิดชอบ", "ขั้นตอนหรือวิธีปฏิบัติ"]


def action_table(report: Report, style: Digits) -> list[Part]:
    """Part 3: issue, measures, responsible unit and steps; weak indicators no issue covers are flagged."""
    shown: list[Part] = []
    if report.uncovered:
        names = [report.method.indicator(n).name_th for n in report.uncovered]
        shown.append(Notice(narrative.uncovered_sentence(names, style), "flag"))
    if report.measures is None:
        return [*shown, Notice("ยังไม่มีข้อมูลมาตรการของหน่วยงานสำหรับผลการประเมินปีนี้ในโฟลเดอร์ข้อมูล", "flag")]
    issues = [Issue(f"{thai.digits(number, style)}.", issue.title, covers(issue, style),
                    numbered(issue.measures, style), issue.responsible, numbered(issue.steps, style))
              for number, issue in enumerate(report.measures.issues, start=1)]
    return [*shown, ActionTable(ACTION_COLUMNS, issues)]


def constraints(report: Report, style: Digits) -> Part:
    if report.measures is None or not report.measures.constraints:
        return Paragraph("ไม่มีข้อมูลข้อจำกัดของหน่วยงานในโฟลเดอร์ข้อมูล")
    return NumberedList(numbered(report.measures.constraints, style))


def signature() -> Signature:
    return Signature()


def chart(figure: Figure) -> Chart:
    """A drawn chart as a part: SVG for pages; PNG for Word too, unless the kernel was told no Word file
    will be made of it ($ITA_CHART_PNG=0: a batch's kernels, when docx is not among its formats)."""
    png = "" if os.environ.get(CHART_PNG_ENV) == "0" else base64.b64encode(plots.as_png(figure)).decode("ascii")
    return Chart(plots.caption(figure), plots.chart_data(figure), svg=plots.as_image(figure).svg, png=png)
