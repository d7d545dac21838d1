"""The report's Thai sentences, generated from results so they can never disagree with the table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..core import thai
from ..core.thai import Digits, thai_list

if TYPE_CHECKING:
    from ..analysis.peers import Standing


def background(unit: str, results_year: int, plan_year: int | None, style: Digits = "thai") -> str:
    """Part 1, ความเป็นมา: why ITA, and which year's results feed which year's measures."""
    year = thai.digits(results_year, style)
    then = (f" สู่การประเมินและดำเนินการในปีงบประมาณ พ.ศ. {thai.digits(plan_year, style)}"
            if plan_year is not None else "")
    return (
        "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency "
        "Assessment: ITA) เป็นเครื่องมือในการขับเคลื่อนนโยบายของรัฐเครื่องมือหนึ่ง โดยสำนักงาน ป.ป.ช. "
        "เป็นหน่วยงานศูนย์กลางในการดำเนินการประเมิน เพื่อให้หน่วยงานภาครัฐได้รับทราบถึงสถานะและปัญหา"
        "การดำเนินงานด้านคุณธรรมและความโปร่งใสขององค์กร ผลการประเมินที่ได้จะช่วยให้หน่วยงานภาครัฐสามารถ"
        "นำไปใช้ในการปรับปรุงพัฒนาองค์กรให้มีประสิทธิภาพในการปฏิบัติงาน การให้บริการ สามารถอำนวยความสะดวก "
        "และตอบสนองต่อประชาชนได้ดียิ่งขึ้น ดังนั้น เพื่อเป็นการยกระดับการประเมินฯ จึงจำเป็นต้องมีการปรับปรุง"
        "พัฒนาอย่างต่อเนื่อง โดย" f"{unit}ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
        f"ประจำปีงบประมาณ พ.ศ. {year} ในประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน{then} "
        "รวมถึงกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน และรายงานผลการดำเนินการ"
        "ไปสู่การปฏิบัติอย่างเป็นรูปธรรม"
    )


def result_sentence(org: str, fiscal_year: int, total: float, rating: str, previous_year: int | None,
                    change: float | None, style: Digits = "thai") -> str:
    """Part 2's opening: the total, its rating, and how it compares with the previous year with a total."""
    text = (f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{org} ประจำปีงบประมาณ พ.ศ. "
            f"{thai.digits(fiscal_year, style)} มีผลคะแนนอยู่ที่ {thai.score(total, style)} คะแนน "
            f"อยู่ในระดับ “{rating}”")
    if previous_year is None or change is None or pd.isna(change):
        return text + " โดยไม่มีผลการประเมินของปีงบประมาณก่อนหน้าให้เปรียบเทียบ"
    compared = f" และเมื่อเปรียบเทียบกับปีงบประมาณ พ.ศ. {thai.digits(previous_year, style)} พบว่า"
    if round(change, 2) == 0:
        return text + compared + "มีคะแนนเท่าเดิม"
    direction = "เพิ่มขึ้น" if change > 0 else "ลดลง"
    return text + compared + f"มีคะแนน{direction}จำนวน {thai.score(abs(change), style)} คะแนน"


def weak_sentence(weak: pd.DataFrame, threshold: float, style: Digits = "thai") -> str:
    """All indicators below the threshold with their scores, highest first (`weak` is ordered so)."""
    limit = thai.digits(f"{threshold:g}", style)
    if weak.empty:
        return f"จากตารางแสดงผลการประเมินรายตัวชี้วัด พบว่า ไม่มีตัวชี้วัดใดที่ได้คะแนนต่ำกว่า {limit} คะแนน"
    named = [f"{row.name_th} ({thai.score(row.score, style)} คะแนน)" for row in weak.itertuples()]
    count = thai.digits(len(weak), style)
    if len(weak) == 1:
        return f"จากตารางแสดงผลการประเมินรายตัวชี้วัด พบว่า มี {count} ตัวชี้วัดที่ได้คะแนนต่ำกว่า {limit} คะแนน ได้แก่ {named[0]}"
    return (f"จากตารางแสดงผลการประเมินรายตัวชี้วัด พบว่า มี {count} ตัวชี้วัดที่ได้คะแนนต่ำกว่า {limit} คะแนน "
            f"โดยเรียงลำดับจากมากไปน้อย ดังนี้ {thai_list(named)}")


def uncovered_sentence(names: list[str], style: Digits = "thai") -> str:
    count = thai.digits(len(names), style)
    return (f"ข้อสังเกต: ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ {count} ตัวชี้วัดยังไม่มีประเด็นใดในตารางมาตรการรองรับ "
            f"ได้แก่ {thai_list(names)}")


def peer_sentence(org: str, total: float, standing: Standing | None, style: Digits = "thai") -> str:
    """Where the agency stands among the agencies of the data folder that year (`standing`, None when it
    is the only one): never called national, as the folder may hold any group. The year is the one of
    the sentences before it (the result sentence, or the group's)."""
    text = f"{org} ได้คะแนนรวม {thai.score(total, style)} คะแนน"
    if standing is None:
        return text + " และเป็นหน่วยงานเดียวในข้อมูลชุดนี้ จึงไม่มีหน่วยงานอื่นให้เปรียบเทียบ"
    text += (f" อยู่ในลำดับที่ {thai.count(standing.rank, style)} จาก {thai.count(standing.agencies, style)} "
             "หน่วยงานในข้อมูลชุดนี้")
    if standing.tied:
        text += f" (คะแนนเท่ากับอีก {thai.count(standing.tied, style)} หน่วยงาน)"
    elif standing.rank == 1:
        return text + " ซึ่งเป็นคะแนนรวมสูงที่สุดในข้อมูลชุดนี้"
    if standing.below == 0:
        return text + " และไม่มีหน่วยงานใดได้คะแนนรวมต่ำกว่า"
    return text + f" และมีคะแนนรวมสูงกว่าร้อยละ {thai.score(standing.percentile, style)} ของหน่วยงานอื่นในข้อมูลชุดนี้"


def group_sentence(fiscal_year: int, summary: dict, pass_mark: float, national_average: float | None,
                   style: Digits = "thai") -> str:
    """The group's totals (peers.summary) in one sentence, with the published national average kept apart:
    the group is the data folder's, not the nation's."""
    text = (f"ข้อมูลชุดนี้มีผลการประเมินของ {thai.count(summary['agencies'], style)} หน่วยงาน "
            f"ในปีงบประมาณ พ.ศ. {thai.digits(fiscal_year, style)} คะแนนรวมเฉลี่ย {thai.score(summary['mean'], style)} "
            f"คะแนน (มัธยฐาน {thai.score(summary['median'], style)} ต่ำสุด {thai.score(summary['lowest'], style)} "
            f"สูงสุด {thai.score(summary['highest'], style)}) มีหน่วยงานที่ผ่านเกณฑ์ {thai.digits(f'{pass_mark:g}', style)} "
            f"คะแนน จำนวน {thai.count(summary['passing'], style)} หน่วยงาน "
            f"(ร้อยละ {thai.score(summary['passing_share'], style)})")
    if national_average is None:
        return text
    return text + f" ส่วนค่าเฉลี่ยระดับประเทศที่สำนักงาน ป.ป.ช. ประกาศคือ {thai.score(national_average, style)} คะแนน"


def weakest_sentence(weakest: pd.DataFrame, threshold: float, count: int = 3, style: Digits = "thai") -> str:
    """The `count` indicators with the group's lowest means (peers.weakest_indicators, lowest first)."""
    limit = thai.digits(f"{threshold:g}", style)
    named = [f"{row.name_th} (เฉลี่ย {thai.score(row.mean, style)} คะแนน มีหน่วยงานที่ได้ต่ำกว่า {limit} คะแนน "
             f"{thai.count(row.weak_agencies, style)} หน่วยงาน)" for row in weakest.head(count).itertuples()]
    return f"ตัวชี้วัดที่กลุ่มนี้ได้คะแนนเฉลี่ยต่ำที่สุด ได้แก่ {thai_list(named)}"
