"""The parts of the implementation report (รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายใน
หน่วยงาน), built from a `Progress`: background, the steps counted by status, each issue's steps with their
status, result and evidence, problems and what comes next, and the executive's acknowledgement.

The parts are those of the measures document (document.parts); headings, the OIT sentence, charts and the
status go through its builders (sections). Sentences of ours are in the document's digits; what the agency
wrote (issues, steps, results) is shown as written."""

from __future__ import annotations

from ..analysis.progress import Progress
from ..core import thai
from ..core.thai import Digits
from ..inputs.progress import NOT_REPORTED, STATUS_TEXT, StepProgress, round_text
from . import plots, sections
from .parts import (
    Cell,
    Chart,
    Column,
    Contents,
    Entry,
    Heading,
    Notice,
    NumberedList,
    Paragraph,
    Part,
    Row,
    Signature,
    Table,
    anchor,
)
from .parts import Title as TitlePart

DOCUMENT_TITLE = "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
PART_HEADINGS = (
    "๑. ความเป็นมา",
    "๒. สรุปผลการดำเนินการ",
    "๓. ผลการดำเนินการรายประเด็นและขั้นตอน",
    "๔. ปัญหาอุปสรรคและแนวทางการดำเนินการต่อไป",
)
STEP_COLUMNS = [Column("ขั้นตอนการดำเนินการ", False, 0.26), Column("ผู้รับผิดชอบ", False, 0.12),
                Column("ระยะเวลา", False, 0.1), Column("สถานะ", False, 0.12),
                Column("ผลการดำเนินการ", False, 0.24), Column("หลักฐาน", False, 0.16)]
UNFINISHED = ("in_progress", "not_started", NOT_REPORTED)  # what the next round carries on


def _round(progress: Progress, style: Digits) -> str:
    return thai.digits(round_text(progress.months), style)


def title(progress: Progress, style: Digits = "thai") -> TitlePart:
    text = (f"{DOCUMENT_TITLE} ของ{progress.unit} ประจำปีงบประมาณ พ.ศ. {thai.digits(progress.plan_year, style)} "
            f"{_round(progress, style)}")
    return TitlePart(text, progress.unit)


def contents(style: Digits = "thai") -> Contents:
    headings = [thai.digits(h, style) for h in PART_HEADINGS]
    return Contents([Entry(anchor(h), h) for h in headings])


def heading(number: int, style: Digits = "thai") -> Heading:
    """The numbered part's heading (1 to 4), with the anchor the contents link to."""
    return sections.heading(PART_HEADINGS[number - 1], style=style)


def _percent(part: int, whole: int, style: Digits) -> str:
    return thai.digits(f"{100 * part / whole:.1f}" if whole else "0.0", style)


def background(progress: Progress, style: Digits = "thai") -> list[Part]:
    """What was measured, what was set, which round this is and the OIT item it is published as."""
    plan, report = progress.plan, progress.report
    as_of = f" ข้อมูล ณ วันที่ {report.as_of}" if report.as_of else ""
    text = (f"{progress.unit}ได้นำผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{progress.org} "
            f"ประจำปีงบประมาณ พ.ศ. {progress.fiscal_year} มาวิเคราะห์และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            f"ภายในหน่วยงาน จำนวน {len(plan.issues)} ประเด็น {len(report.steps)} ขั้นตอน เพื่อดำเนินการ"
            f"ในปีงบประมาณ พ.ศ. {progress.plan_year} รายงานฉบับนี้แสดงผลการดำเนินการตามมาตรการดังกล่าว "
            f"{round_text(progress.months)}{as_of} ครบทุกขั้นตอน โดยขั้นตอนที่ยังไม่ได้รายงานสถานะ"
            "ระบุไว้ว่า “ยังไม่รายงาน”")
    missing = [] if report.file else [Notice(
        f"ยังไม่มีแบบรายงานผลการดำเนินการของ{progress.unit}ในโฟลเดอร์ข้อมูล ทุกขั้นตอนจึงแสดงว่า “ยังไม่รายงาน” "
        f"สร้างแบบรายงานได้ด้วยคำสั่ง ita template progress --org \"{progress.org}\" --year {progress.fiscal_year}",
        "flag")]
    return [Paragraph(thai.digits(text, style)), *missing,
            *sections.oit_paragraphs(progress.oit_item, progress.plan_year, style)]


def summary(progress: Progress, style: Digits = "thai") -> list[Part]:
    """The steps counted by status: a sentence and a table (the chart is `status_chart`)."""
    counts, total = progress.counts, len(progress.report.steps)
    said = " ".join(f"{STATUS_TEXT[key]} {counts[key]} ขั้นตอน (ร้อยละ {_percent(counts[key], total, 'arabic')})"
                    for key in counts if counts[key])
    text = f"จากขั้นตอนทั้งหมด {total} ขั้นตอน {said}" if total else "มาตรการไม่มีขั้นตอนการดำเนินการ"
    rows = [Row([Cell(STATUS_TEXT[key]), Cell(thai.count(counts[key], style), float(counts[key])),
                 Cell(_percent(counts[key], total, style), round(100 * counts[key] / total, 1) if total else 0.0)],
                "weak" if key == NOT_REPORTED and counts[key] else "")
            for key in counts]
    rows.append(Row([Cell("รวม"), Cell(thai.count(total, style), float(total)),
                     Cell(thai.digits("100.0", style), 100.0)], "total"))
    table = Table("จำนวนขั้นตอนตามสถานะการดำเนินการ", [Column("สถานะ", False, 0.5), Column("จำนวนขั้นตอน", True, 0.25),
                                                      Column("ร้อยละ", True, 0.25)], rows)
    return [Paragraph(thai.digits(text, style)), table]


def status_chart(progress: Progress, style: Digits = "thai") -> Chart:
    figure = plots.step_statuses(
        progress.counts, STATUS_TEXT,
        f"สถานะการดำเนินการตามมาตรการ {_round(progress, style)}",
        f"ที่มา: รายงานผลการดำเนินการของ{progress.unit}", style)
    return sections.chart(figure)


def _evidence(step: StepProgress) -> Cell:
    if step.evidence_link:
        return Cell(step.evidence_title or step.evidence_link, link=step.evidence_link)
    return Cell(step.evidence_title or "-")


def issue_tables(progress: Progress, style: Digits = "thai") -> list[Part]:
    """Each issue as a sub-heading and a table of its steps: responsible, period, status, result and evidence
    (a link); a step not reported is shaded, never left out."""
    found: list[Part] = []
    for number, issue in enumerate(progress.report.issues, start=1):
        covers = f" (ตัวชี้วัดที่ {thai.digits(issue.indicators, style)})" if issue.indicators else ""
        found.append(Heading(f"ประเด็นที่ {thai.digits(number, style)} {issue.title}{covers}", 3))
        rows = [Row([Cell(f"{thai.digits(position, style)}. {step.text}"), Cell(step.responsible or "-"),
                     Cell(step.period or "-"), Cell(STATUS_TEXT[step.status]), Cell(step.result or "-"),
                     _evidence(step)], "weak" if step.status == NOT_REPORTED else "")
                for position, step in enumerate(issue.steps, start=1)]
        found.append(Table("", STEP_COLUMNS, rows, cards=True))
    return found


def _lines(progress: Progress, field: str) -> list[str]:
    """Each step's text of `field` (problems, suggestions), with the step it was written for, once each."""
    seen = dict.fromkeys(f"{text} (ขั้นตอน: {step.text})" for step in progress.report.steps
                         if (text := getattr(step, field)))
    return list(seen)


def obstacles(progress: Progress, style: Digits = "thai") -> list[Part]:
    """Problems and obstacles reported, suggestions, and the steps the next round carries on."""
    found: list[Part] = [Heading(thai.digits("๔.๑ ปัญหาและอุปสรรค", style), 3)]
    problems = _lines(progress, "problems")
    found.append(NumberedList(sections.numbered(problems, style)) if problems else
                 Paragraph("ไม่มีการรายงานปัญหาและอุปสรรคในรอบนี้"))
    found.append(Heading(thai.digits("๔.๒ ข้อเสนอแนะ", style), 3))
    suggestions = _lines(progress, "suggestions")
    found.append(NumberedList(sections.numbered(suggestions, style)) if suggestions else
                 Paragraph("ไม่มีการรายงานข้อเสนอแนะในรอบนี้"))
    found.append(Heading(thai.digits("๔.๓ แนวทางการดำเนินการต่อไป", style), 3))
    unfinished = [f"{step.text} ({STATUS_TEXT[step.status]})" for step in progress.report.steps
                  if step.status in UNFINISHED]
    if unfinished:
        found.append(Paragraph(thai.digits(f"ขั้นตอนที่ต้องดำเนินการและติดตามต่อในรอบถัดไป จำนวน {len(unfinished)} "
                                           "ขั้นตอน ได้แก่", style)))
        found.append(NumberedList(sections.numbered(unfinished, style)))
    else:
        found.append(Paragraph("ดำเนินการครบทุกขั้นตอนตามมาตรการแล้ว จะติดตามผลและนำไปปรับปรุงมาตรการของปีถัดไป"))
    return found


def sign_off(progress: Progress, style: Digits = "thai") -> list[Part]:
    """The executive's acknowledgement: name, position and date as the progress file gives them, or lines
    to fill in by hand."""
    executive, dots = progress.report.executive, "........................................"
    lines = [f"ลงชื่อ {dots}", f"({executive.name or dots})", f"ตำแหน่ง {executive.position or dots}",
             f"วันที่ {thai.digits(executive.date, style) if executive.date else dots}"]
    return [Paragraph("ผู้บริหารของหน่วยงานได้รับทราบรายงานผลการดำเนินการฉบับนี้"), Signature(lines)]


def status(progress: Progress) -> sections.Status:
    """The report's warnings and figures (steps per status), for the batch runner's manifest and index."""
    return sections.Status({"warnings": progress.warnings, "figures": progress.figures})
