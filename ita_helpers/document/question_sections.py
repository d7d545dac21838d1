"""The parts of the report below the indicator, built from a `Report` whose data folder has the agency-year's
questions (analysis.questions): for each weak indicator its questions or OIT items lowest first with the
points each would add, the OIT items not published by sub-indicator, and whether the levels add up.
Without question data every builder returns nothing: the report is as it was, with no empty section."""

from __future__ import annotations

from ..analysis.questions import Detail, QuestionAnalysis
from ..analysis.report import Report
from ..core import thai
from ..core.thai import Digits
from .parts import Cell, Column, Heading, Notice, Paragraph, Part, Row, Table

SECONDARY = "*"  # marks a title taken from a secondary source
NO_WORDING = "—"  # no source gives the question's wording: the code alone is never shown as it
HEADING = "ข้อคำถามและรายการ OIT ที่ทำให้คะแนนตัวชี้วัดต่ำกว่าเกณฑ์"
MISSING_HEADING = "รายการ OIT ที่ยังไม่ได้เผยแพร่"


def _score(value: float, style: Digits) -> Cell:
    return Cell(thai.score(value, style), round(float(value), 2))


def _label(detail: Detail) -> str:
    if not detail.label:
        return NO_WORDING
    return f"{detail.label}{SECONDARY}" if detail.label_from == "2ND" else detail.label


def reconcile(report: Report, style: Digits) -> list[Part]:
    """Whether the questions and items add up to the indicator scores and the total given: a sentence when
    they do, a flag per indicator (with the question most likely mistyped) when they do not."""
    analysis = report.questions
    if analysis is None:
        return []
    slips = analysis.slips(report.scores)
    if slips:
        parts: list[Part] = []
        for slip in slips:
            text = (f"ตัวชี้วัดที่ {slip.indicator}: ค่าเฉลี่ยของผลรายข้อ ({thai.score(slip.computed)}) ต่างจากคะแนน"
                    f"ตัวชี้วัดที่ระบุ ({thai.score(slip.given)}) {thai.score(abs(slip.difference))} คะแนน")
            if slip.suspect:
                text += (f" โปรดตรวจสอบข้อ {slip.suspect} ({thai.score(slip.suspect_score)} คะแนน) "
                         f"หากเป็น {thai.score(slip.would_be)} คะแนน ผลจะตรงกัน")
            parts.append(Notice(thai.digits(text, style), "flag"))
        return parts
    numbers = sorted(analysis.computed)
    text = (f"คะแนนตัวชี้วัดที่ {', '.join(map(str, numbers))} ซึ่งคำนวณจากผลรายข้อคำถามและรายการ OIT "
            "ตรงกับคะแนนตัวชี้วัดที่ประกาศ (ต่างกันไม่เกิน 0.01 คะแนน)")
    total = analysis.total(report.scores)
    if total is not None:
        text += f" และคะแนนรวมที่คำนวณได้ {thai.score(total)} คะแนน"
    return [Paragraph(thai.digits(text, style))]


def _weak_table(report: Report, analysis: QuestionAnalysis, number: int, style: Digits) -> Table | None:
    details = analysis.weakest(number)
    if not details:
        return None
    indicator = report.method.indicator(number)
    score = report.scores[number]
    limit = f"{report.threshold:g}"
    oit = details[0].tool == "OIT"
    if oit:
        columns = [Column("ข้อ", False, 0.08), Column("รายการที่ยังไม่ได้เผยแพร่", False, 0.46),
                   Column("ตัวชี้วัดย่อย", False, 0.12), Column("คะแนนตัวชี้วัดที่เพิ่มขึ้นหากเผยแพร่", True, 0.17),
                   Column("คะแนนรวมที่เพิ่มขึ้น", True, 0.17)]
        rows = [Row([Cell(d.code), Cell(_label(d)), Cell(thai.digits(d.sub_indicator, style)),
                     _score(d.indicator_gain, style), _score(d.total_gain, style)]) for d in details]
    else:
        columns = [Column("ข้อ", False, 0.08), Column("ข้อคำถาม", False, 0.46), Column("คะแนน", True, 0.12),
                   Column(f"คะแนนตัวชี้วัดที่เพิ่มขึ้นเมื่อถึง {thai.digits(limit, style)}", True, 0.17),
                   Column("คะแนนรวมที่เพิ่มขึ้น", True, 0.17)]
        rows = [Row([Cell(d.code), Cell(_label(d)), _score(d.score, style), _score(d.indicator_gain, style),
                     _score(d.total_gain, style)], "weak") for d in details]
    caption = (f"ตัวชี้วัดที่ {number} {indicator.name_th} ({thai.score(score)} คะแนน): "
               + ("รายการที่ยังไม่ได้เผยแพร่" if oit else f"ข้อคำถามที่ได้คะแนนต่ำกว่า {limit} เรียงจากคะแนนต่ำสุด"))
    return Table(thai.digits(caption, style), columns, rows, cards=True)


def _sources(analysis: QuestionAnalysis, details: list[Detail]) -> list[Part]:
    """Where the questions' wording and the items' titles come from, as sure as their lists are."""
    notes = []
    if any(d.label_from == "2ND" for d in details):
        notes.append(f"{SECONDARY} ชื่อรายการตามแหล่งข้อมูลทุติยภูมิ ซึ่งยังมิได้ตรวจสอบกับคู่มือการประเมินของ"
                     "สำนักงาน ป.ป.ช.")
    if any(d.label_from == "SRC" for d in details):
        notes.append("ข้อความของข้อคำถามตามแบบวัดที่เผยแพร่ของปีนั้น บางข้อย่อไว้ด้วยเครื่องหมาย …")
    if any(not d.label for d in details):
        notes.append(f"{NO_WORDING} ยังไม่มีแหล่งข้อมูลที่ให้ข้อความของข้อนี้ จึงแสดงเฉพาะรหัสข้อ")
    if any(d.label_from == "agency" for d in details):
        notes.append("ข้อความของข้อคำถามตามที่หน่วยงานบันทึกจากระบบของสำนักงาน ป.ป.ช.")
    return [Paragraph(note) for note in notes]


def weak_questions(report: Report, style: Digits) -> list[Part]:
    """For each weak indicator (highest first, as the report lists them), its questions below the pass mark
    or its OIT items not published, lowest first, with the points each would add to the indicator and to
    the total."""
    analysis = report.questions
    if analysis is None:
        return []
    tables = [t for t in (_weak_table(report, analysis, int(n), style) for n in report.weak["number"]) if t]
    shown = [d for n in report.weak["number"] for d in analysis.weakest(int(n))]
    parts: list[Part] = [Heading(HEADING, 3), *reconcile(report, style)]
    if not tables:
        return [*parts, Paragraph("ไม่มีข้อคำถามหรือรายการ OIT ของตัวชี้วัดที่ต้องพัฒนาในข้อมูลรายข้อของหน่วยงาน")]
    lead = ("ตารางต่อไปนี้แสดงข้อคำถามของแต่ละตัวชี้วัดที่ต้องพัฒนา เรียงจากคะแนนต่ำสุด พร้อมคะแนนที่ตัวชี้วัดและ"
            f"คะแนนรวมจะเพิ่มขึ้นหากข้อนั้นได้คะแนนถึง {report.threshold:g} คะแนน (รายการ OIT: หากเผยแพร่)")
    return [*parts, Paragraph(thai.digits(lead, style)), *tables, *_sources(analysis, shown)]


def missing_items(report: Report, style: Digits) -> list[Part]:
    """The OIT items not published, by sub-indicator, with the points each is worth; nothing without OIT data."""
    analysis = report.questions
    if analysis is None or "OIT" not in analysis.lists:
        return []
    details = analysis.missing_items()
    if not details:
        return [Heading(MISSING_HEADING, 3), Paragraph("หน่วยงานเผยแพร่ข้อมูลครบทุกรายการของแบบตรวจ OIT")]
    columns = [Column("ตัวชี้วัดย่อย", False, 0.12), Column("ข้อ", False, 0.08), Column("รายการ", False, 0.44),
               Column("คะแนนตัวชี้วัดที่เพิ่มขึ้น", True, 0.18), Column("คะแนนรวมที่เพิ่มขึ้น", True, 0.18)]
    rows = [Row([Cell(thai.digits(d.sub_indicator, style)), Cell(d.code), Cell(_label(d)),
                 _score(d.indicator_gain, style), _score(d.total_gain, style)]) for d in details]
    total = sum(d.total_gain for d in details)
    rows.append(Row([Cell(""), Cell(""), Cell("รวมหากเผยแพร่ครบทุกรายการ"), Cell(""), _score(total, style)], "total"))
    caption = thai.digits(f"รายการ OIT ที่ยังไม่ได้เผยแพร่ {len(details)} รายการ จำแนกตามตัวชี้วัดย่อย", style)
    return [Heading(MISSING_HEADING, 3), Table(caption, columns, rows, cards=True), *_sources(analysis, details)]
