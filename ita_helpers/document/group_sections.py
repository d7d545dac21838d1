"""The parts of the group report for central analysts (a ministry, a province, the BMA's district offices),
built from a `GroupReport` (analysis.group): the group's results in a sentence, a table and a chart, every
agency ranked with its change from the previous year, the agencies to follow up (just under the pass mark,
fallen a tier, lowered by a tool under its tier's floor), and the group's weakest indicators and, where the
data folder has question results, its weakest questions and the OIT items most often not published.

The parts are those of the measures document (document.parts), rendered by the same renderers. Numbers are
written in the document's digits; agency and group names as the score files give them."""

from __future__ import annotations

import pandas as pd

from ..analysis.group import NEAR_MISS_POINTS, TOP_QUESTIONS, GroupReport
from ..core import thai
from ..core.thai import Digits
from . import plots, sections
from .parts import Cell, Chart, Column, Contents, Entry, Heading, Notice, Paragraph, Part, Row, Table, anchor
from .parts import Title as TitlePart

DOCUMENT_TITLE = "รายงานผลการประเมินคุณธรรมและความโปร่งใสของหน่วยงาน"
PART_HEADINGS = (
    "๑. สรุปผลการประเมินของกลุ่ม",
    "๒. ผลการประเมินรายหน่วยงาน",
    "๓. หน่วยงานที่ควรติดตาม",
    "๔. ตัวชี้วัดและข้อคำถามที่เป็นจุดอ่อนของกลุ่ม",
)
NO_WORDING = "—"  # no source gives the question's wording: the code alone is never shown as it


def group_words(report: GroupReport) -> str:
    """The group as sentences name it: `ในกลุ่ม …` (`ใน…` for a name that starts with กลุ่ม), or the data folder
    for a report of every agency of it."""
    if not report.name:
        return f"ในชุดข้อมูล {report.folder}"
    return f"ใน{report.name}" if report.name.startswith("กลุ่ม") else f"ในกลุ่ม{report.name}"


def _year(report: GroupReport, style: Digits) -> str:
    return thai.digits(report.analysis.fiscal_year, style)


def _share(part: int, whole: int, style: Digits) -> str:
    return thai.digits(f"{100 * part / whole:.2f}" if whole else "0.00", style)


def title(report: GroupReport, style: Digits = "thai") -> TitlePart:
    text = f"{DOCUMENT_TITLE}{group_words(report)} ประจำปีงบประมาณ พ.ศ. {_year(report, style)}"
    return TitlePart(text, report.name or report.folder)


def contents(style: Digits = "thai") -> Contents:
    headings = [thai.digits(h, style) for h in PART_HEADINGS]
    return Contents([Entry(anchor(h), h) for h in headings])


def heading(number: int, style: Digits = "thai") -> Heading:
    """The numbered part's heading (1 to 4), with the anchor the contents link to."""
    return sections.heading(PART_HEADINGS[number - 1], style=style)


def status(report: GroupReport) -> sections.Status:
    """The report's warnings and figures (agencies, passing, near misses, falls, downgrades), for the
    batch runner's manifest and index."""
    return sections.Status({"warnings": report.warnings, "figures": report.figures})


def notices(report: GroupReport, style: Digits = "thai") -> list[Notice]:
    """What a reader must know about the figures: the group column missing, a presumed framework or weights."""
    notes = []
    if "no_group_column" in report.warnings:
        notes.append(f"ไฟล์คะแนนในชุดข้อมูล {report.folder} ไม่มีคอลัมน์ “กลุ่ม” รายงานนี้จึงรวมทุกหน่วยงานในชุดข้อมูล"
                     f"ภายใต้ชื่อ {report.name}")
    method, year = report.method, _year(report, style)
    if method.framework_presumed:
        notes.append(f"ใช้เกณฑ์การประเมินของปีงบประมาณ พ.ศ. {thai.digits(method.framework_year, style)} เนื่องจาก"
                     f"ยังไม่มีเกณฑ์การประเมินของปีงบประมาณ พ.ศ. {year} ผลคะแนนรวมและระดับผลจึงเป็นค่าที่สันนิษฐาน")
    if method.weights_presumed:
        weights = " ".join(f"{tool} ร้อยละ {thai.digits(f'{weight * 100:g}', style)}"
                           for tool, weight in method.tool_weights.items())
        notes.append(f"น้ำหนักของเครื่องมือในปีงบประมาณ พ.ศ. {year} เป็นค่าที่สันนิษฐานจากปีที่ยืนยันได้ ({weights})")
    return [Notice(note) for note in notes]


def summary(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """The group in one paragraph (how many agencies, how many passed and their share, the spread of totals,
    how many to follow up) and the agencies counted by rating."""
    a = report.analysis
    agencies, passing = int(a.summary["agencies"]), int(a.summary["passing"])
    text = (f"ในปีงบประมาณ พ.ศ. {_year(report, style)} หน่วยงาน{group_words(report)} ได้รับการประเมินคุณธรรมและ"
            f"ความโปร่งใสในการดำเนินงาน (ITA) จำนวน {thai.count(agencies, style)} หน่วยงาน ผ่านเกณฑ์ (คะแนนรวม "
            f"{thai.digits(f'{a.pass_mark:g}', style)} คะแนนขึ้นไป) จำนวน {thai.count(passing, style)} หน่วยงาน "
            f"คิดเป็นร้อยละ {_share(passing, agencies, style)} ไม่ผ่านเกณฑ์ {thai.count(agencies - passing, style)} "
            f"หน่วยงาน คะแนนรวมเฉลี่ย {thai.score(a.summary['mean'], style)} คะแนน (ต่ำสุด "
            f"{thai.score(a.summary['lowest'], style)} สูงสุด {thai.score(a.summary['highest'], style)} คะแนน)")
    if a.national_average is not None:
        text += f" ค่าเฉลี่ยระดับประเทศ {thai.score(a.national_average, style)} คะแนน"
    text += (f" มีหน่วยงานที่คะแนนรวมต่ำกว่าเกณฑ์ไม่เกิน {thai.digits(f'{NEAR_MISS_POINTS:g}', style)} คะแนน "
             f"{thai.count(len(a.near_misses), style)} หน่วยงาน ระดับผลลดลงจากปีก่อน "
             f"{thai.count(len(a.tier_drops), style)} หน่วยงาน และถูกปรับลดระดับผลเนื่องจากคะแนนเครื่องมือต่ำกว่า"
             f"เกณฑ์ขั้นต่ำของระดับ {thai.count(len(a.floor_downgrades), style)} หน่วยงาน")
    counts = a.ranking["rating"].value_counts()
    labels = [band.label for band in report.method.bands if band.label in counts]
    rows = [Row([Cell(label), Cell(thai.count(int(counts[label]), style), float(counts[label])),
                 Cell(_share(int(counts[label]), agencies, style), round(100 * counts[label] / agencies, 2))])
            for label in labels]
    rows.append(Row([Cell("รวม"), Cell(thai.count(agencies, style), float(agencies)),
                     Cell(thai.digits("100.00", style), 100.0)], "total"))
    table = Table("จำนวนหน่วยงานจำแนกตามระดับผลการประเมิน", [Column("ระดับผล", False, 0.5),
                  Column("จำนวนหน่วยงาน", True, 0.25), Column("ร้อยละ", True, 0.25)], rows)
    return [Paragraph(text), table]


def distribution_chart(report: GroupReport, style: Digits = "thai") -> Chart:
    """The group's totals against the pass mark and the national average."""
    a = report.analysis
    figure = plots.distribution(
        a.histogram, a.pass_mark, a.national_average,
        f"คะแนนรวมของ {thai.count(int(a.summary['agencies']), style)} หน่วยงาน{group_words(report)} "
        f"ปี {_year(report, style)}", f"{plots.SOURCE} ({report.name or report.folder})", digits=style)
    return sections.chart(figure)


def _change(value: float | None, style: Digits) -> Cell:
    if pd.isna(value):
        return Cell("ไม่มีผลปีก่อน")
    return Cell(thai.digits(f"{value:+.2f}", style), round(float(value), 2))


def _rank_change(value: object, style: Digits) -> Cell:
    """Places climbed (ขึ้น) or lost (ลง) since the previous year; '-' without one."""
    if pd.isna(value):
        return Cell("-")
    value = int(value)
    text = "เท่าเดิม" if value == 0 else f"ขึ้น {thai.count(value, style)}" if value > 0 else \
        f"ลง {thai.count(-value, style)}"
    return Cell(text, float(value))


def ranking_table(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """Every agency of the group, highest total first, with its rating and its change from the previous year
    (total and rank); those under the pass mark shaded."""
    a = report.analysis
    rows = [Row([Cell(thai.digits(int(r.rank), style), float(r.rank)), Cell(r.org),
                 Cell(thai.score(r.official_total, style), round(float(r.official_total), 2)), Cell(r.rating),
                 _change(r.change, style), _rank_change(r.rank_change, style)], "" if r.passed else "weak")
            for r in a.ranking.itertuples(index=False)]
    columns = [Column("ลำดับ", True, 0.08), Column("หน่วยงาน", False, 0.4), Column("คะแนนรวม", True, 0.12),
               Column("ระดับผล", False, 0.14), Column("เปลี่ยนแปลง (คะแนน)", True, 0.13),
               Column("ลำดับที่เปลี่ยน", False, 0.13)]
    lead = (f"ตารางต่อไปนี้เรียงหน่วยงาน{group_words(report)} ตามคะแนนรวมปี {_year(report, style)} จากสูงไปต่ำ "
            "หน่วยงานที่คะแนนเท่ากันได้ลำดับเดียวกัน การเปลี่ยนแปลงเทียบกับผลปีก่อนหน้าของแต่ละหน่วยงาน"
            "ในชุดข้อมูลเดียวกัน แถวที่แรเงาคือหน่วยงานที่ไม่ผ่านเกณฑ์")
    # not cards: a ranking of tens of agencies scrolls on a phone; as cards it was metres long
    return [Paragraph(lead), Table(f"ผลการประเมินรายหน่วยงาน{group_words(report)}", columns, rows)]


def _names(frame: pd.DataFrame) -> str:
    return thai.thai_list(list(frame["org"]))


def _agencies(title: str, style: Digits, agencies: pd.DataFrame, none: str, lead: str, table: Table) -> list[Part]:
    """A sub-part of section 3 naming agencies: its heading, then `none` when there are none, else `lead`
    and the table."""
    heading = Heading(thai.digits(title, style), 3)
    return [heading, Paragraph(none)] if agencies.empty else [heading, Paragraph(lead), table]


def near_misses(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """The agencies just under the pass mark, with the points each lacks."""
    a = report.analysis
    within, mark = thai.digits(f"{NEAR_MISS_POINTS:g}", style), thai.digits(f"{a.pass_mark:g}", style)
    rows = [Row([Cell(r.org), Cell(thai.score(r.official_total, style), float(r.official_total)),
                 Cell(thai.score(r.short_by, style), float(r.short_by))]) for r in a.near_misses.itertuples()]
    return _agencies(
        "๓.๑ หน่วยงานที่คะแนนใกล้เกณฑ์ผ่าน", style, a.near_misses,
        f"ไม่มีหน่วยงานที่คะแนนรวมต่ำกว่าเกณฑ์ผ่าน ({mark} คะแนน) ไม่เกิน {within} คะแนน",
        f"หน่วยงานที่คะแนนรวมต่ำกว่าเกณฑ์ผ่าน ({mark} คะแนน) ไม่เกิน {within} คะแนน จำนวน "
        f"{thai.count(len(a.near_misses), style)} หน่วยงาน ได้แก่ {_names(a.near_misses)} "
        "หากได้รับการสนับสนุนให้ปรับปรุงตัวชี้วัดที่ต่ำ มีโอกาสผ่านเกณฑ์ในปีถัดไป",
        Table("หน่วยงานที่คะแนนรวมใกล้เกณฑ์ผ่าน", [Column("หน่วยงาน", False, 0.6), Column("คะแนนรวม", True, 0.2),
              Column("คะแนนที่ยังขาด", True, 0.2)], rows, cards=True))


def tier_drops(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """The agencies whose rating fell from their previous year's."""
    a = report.analysis
    totals = a.ranking.set_index("org")
    rows = [Row([Cell(r.org), Cell(f"{r.previous_rating} (พ.ศ. {thai.digits(r.previous_year, style)})"),
                 Cell(r.rating), _change(totals.loc[r.org, "change"], style)],
                "" if totals.loc[r.org, "passed"] else "weak") for r in a.tier_drops.itertuples()]
    return _agencies(
        "๓.๒ หน่วยงานที่ระดับผลลดลงจากปีก่อน", style, a.tier_drops,
        "ไม่มีหน่วยงานที่ระดับผลการประเมินลดลงจากปีก่อน",
        f"หน่วยงานที่ระดับผลการประเมินลดลงจากปีก่อน จำนวน {thai.count(len(a.tier_drops), style)} หน่วยงาน "
        f"ได้แก่ {_names(a.tier_drops)}",
        Table("หน่วยงานที่ระดับผลลดลง", [Column("หน่วยงาน", False, 0.4), Column("ระดับผลปีก่อน", False, 0.22),
              Column(f"ระดับผลปี {_year(report, style)}", False, 0.2),
              Column("เปลี่ยนแปลง (คะแนน)", True, 0.18)], rows, cards=True))


def floor_downgrades(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """The agencies rated below the tier their total earns, because a tool is under that tier's floor."""
    a = report.analysis
    rows = [Row([Cell(r.org), Cell(thai.score(r.official_total, style), float(r.official_total)), Cell(r.by_total),
                 Cell(r.rating), Cell(", ".join(r.tools.split(";")))]) for r in a.floor_downgrades.itertuples()]
    return _agencies(
        "๓.๓ หน่วยงานที่ถูกปรับลดระดับผลเนื่องจากคะแนนเครื่องมือ", style, a.floor_downgrades,
        "ไม่มีหน่วยงานที่ถูกปรับลดระดับผลเนื่องจากคะแนนเครื่องมือต่ำกว่าเกณฑ์ขั้นต่ำของระดับ",
        f"หน่วยงานที่คะแนนรวมถึงระดับหนึ่งแต่คะแนนเครื่องมือบางเครื่องมือต่ำกว่าเกณฑ์ขั้นต่ำของระดับนั้น "
        f"จึงได้รับระดับผลที่ต่ำลง จำนวน {thai.count(len(a.floor_downgrades), style)} หน่วยงาน ได้แก่ "
        f"{_names(a.floor_downgrades)}",
        Table("หน่วยงานที่ถูกปรับลดระดับผล", [Column("หน่วยงาน", False, 0.34), Column("คะแนนรวม", True, 0.12),
              Column("ระดับตามคะแนนรวม", False, 0.18), Column("ระดับผลที่ได้รับ", False, 0.18),
              Column("เครื่องมือที่ต่ำกว่าเกณฑ์ขั้นต่ำ", False, 0.18)], rows, cards=True))


def weakest_indicators(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """Each indicator's mean over the group and how many agencies score under the pass mark, lowest first."""
    a = report.analysis
    agencies = int(a.summary["agencies"])
    rows = [Row([Cell(thai.digits(r.number, style), float(r.number)), Cell(r.name_th), Cell(r.tool),
                 Cell(thai.score(r.mean, style), round(float(r.mean), 2)),
                 Cell(f"{thai.count(int(r.weak_agencies), style)} ({_share(int(r.weak_agencies), agencies, style)})",
                      float(r.weak_agencies))], "weak" if r.mean < a.pass_mark else "")
            for r in a.weakest.itertuples()]
    lowest = a.weakest.iloc[0]
    text = (f"ตัวชี้วัดที่คะแนนเฉลี่ยของกลุ่มต่ำที่สุด คือ ตัวชี้วัดที่ {thai.digits(int(lowest['number']), style)} "
            f"{lowest['name_th']} เฉลี่ย {thai.score(lowest['mean'], style)} คะแนน โดยมีหน่วยงานที่ได้คะแนนต่ำกว่า "
            f"{thai.digits(f'{a.pass_mark:g}', style)} คะแนน {thai.count(int(lowest['weak_agencies']), style)} "
            f"หน่วยงาน จาก {thai.count(agencies, style)} หน่วยงาน")
    columns = [Column("ตัวชี้วัดที่", True, 0.1), Column("ตัวชี้วัด", False, 0.4), Column("เครื่องมือ", False, 0.12),
               Column("คะแนนเฉลี่ย", True, 0.14), Column("หน่วยงานที่ต่ำกว่าเกณฑ์ (ร้อยละ)", True, 0.24)]
    return [Heading(thai.digits("๔.๑ ตัวชี้วัดที่เป็นจุดอ่อนของกลุ่ม", style), 3), Paragraph(text),
            Table("คะแนนเฉลี่ยรายตัวชี้วัดของกลุ่ม เรียงจากต่ำสุด", columns, rows)]


def weakest_questions(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """The IIT and EIT questions with the lowest mean over the group's agencies with question results;
    nothing when the data folder has none for the year."""
    asked = report.weakest_questions
    if asked.empty:
        return []
    mark = thai.digits(f"{report.analysis.pass_mark:g}", style)
    text = (f"จากผลรายข้อคำถามของ {thai.count(report.question_agencies, style)} หน่วยงาน{group_words(report)} "
            f"ที่มีข้อมูลในโฟลเดอร์ questions/ ข้อคำถามที่คะแนนเฉลี่ยต่ำที่สุด {thai.count(len(asked), style)} ข้อ "
            f"ได้แก่ ข้อ {', '.join(asked['code'])}")
    rows = [Row([Cell(r.code), Cell(r.tool), Cell(thai.digits(r.indicator, style), float(r.indicator)),
                 Cell(r.label or NO_WORDING), Cell(thai.score(r.mean, style), float(r.mean)),
                 Cell(f"{thai.count(int(r.weak_agencies), style)} จาก {thai.count(int(r.agencies), style)}",
                      float(r.weak_agencies))],
                "weak" if r.mean < report.analysis.pass_mark else "") for r in asked.itertuples()]
    columns = [Column("ข้อ", False, 0.08), Column("เครื่องมือ", False, 0.1), Column("ตัวชี้วัดที่", True, 0.1),
               Column("ข้อคำถาม", False, 0.4), Column("คะแนนเฉลี่ย", True, 0.12),
               Column(f"หน่วยงานที่ต่ำกว่า {mark}", True, 0.2)]
    caption = f"ข้อคำถาม IIT และ EIT ที่คะแนนเฉลี่ยของกลุ่มต่ำที่สุด (ไม่เกิน {thai.count(TOP_QUESTIONS, style)} ข้อ)"
    return [Heading(thai.digits("๔.๒ ข้อคำถามที่เป็นจุดอ่อนของกลุ่ม", style), 3), Paragraph(text),
            Table(caption, columns, rows, cards=True)]


def missed_items(report: GroupReport, style: Digits = "thai") -> list[Part]:
    """The OIT items not published by the most agencies of the group; nothing without OIT question data."""
    missed = report.missed_items
    if missed.empty:
        return []
    text = (f"รายการของแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ที่หน่วยงาน{group_words(report)} ยังไม่ได้เผยแพร่มากที่สุด "
            f"ได้แก่ ข้อ {', '.join(missed['code'])}")
    rows = [Row([Cell(r.code), Cell(thai.digits(r.sub_indicator or "-", style)), Cell(r.label or NO_WORDING),
                 Cell(f"{thai.count(int(r.missing), style)} จาก {thai.count(int(r.agencies), style)}",
                      float(r.missing)),
                 Cell(thai.digits(f"{r.missing_share:.1f}", style), float(r.missing_share))])
            for r in missed.itertuples()]
    columns = [Column("ข้อ", False, 0.08), Column("ตัวชี้วัดย่อย", False, 0.12), Column("รายการ", False, 0.44),
               Column("หน่วยงานที่ยังไม่เผยแพร่", True, 0.2), Column("ร้อยละ", True, 0.16)]
    return [Heading(thai.digits("๔.๓ รายการ OIT ที่ยังไม่ได้เผยแพร่มากที่สุด", style), 3), Paragraph(text),
            Table("รายการ OIT ที่หน่วยงานในกลุ่มยังไม่ได้เผยแพร่มากที่สุด", columns, rows, cards=True)]
