"""Score tables made for reading in the explore notebook: Thai headers, numbers to the hundredth, yes and
no in Thai, and a dash where there is no value (never NaN or <NA>)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core.thai import Digits, digits
from ..domain.scoring import tools_of

HEADERS = {  # a column of scoring's tables -> its Thai header; tool columns are named by their tool
    "org": "หน่วยงาน", "fiscal_year": "ปีงบประมาณ", "total": "คะแนนรวม (คำนวณ)", "rating": "ระดับผล",
    "passed": "ผ่านเกณฑ์", "weak_indicators": "ตัวชี้วัดที่ต่ำกว่าเกณฑ์", "weights_presumed": "น้ำหนักสันนิษฐาน",
    "framework_presumed": "ใช้เกณฑ์ของปีล่าสุดที่มี",
    "reported_total": "คะแนนรวมที่ประกาศ", "difference": "ผลต่าง", "official_total": "คะแนนรวม",
    "previous_year": "ปีก่อนหน้า", "previous_total": "คะแนนรวมปีก่อนหน้า", "change": "เปลี่ยนแปลง",
    "national_average": "ค่าเฉลี่ยระดับประเทศ", "has_indicators": "มีคะแนนรายตัวชี้วัด",
    # peers.ranking and peers.weakest_indicators
    "rank": "ลำดับ", "below": "จำนวนหน่วยงานที่คะแนนต่ำกว่า", "percentile": "สูงกว่าหน่วยงานอื่น (ร้อยละ)",
    "number": "ตัวชี้วัดที่", "name_th": "ตัวชี้วัด", "tool": "เครื่องมือ", "mean": "คะแนนเฉลี่ยของกลุ่ม",
    "weak_agencies": "จำนวนหน่วยงานที่ต่ำกว่าเกณฑ์", "weak_share": "ร้อยละของหน่วยงานที่ต่ำกว่าเกณฑ์",
    # group.question_weakness
    "code": "ข้อ", "indicator": "ตัวชี้วัดที่", "label": "ข้อคำถามหรือรายการ", "agencies": "จำนวนหน่วยงานที่มีข้อมูล",
    "sub_indicator": "ตัวชี้วัดย่อย", "missing": "จำนวนหน่วยงานที่ยังไม่เผยแพร่",
    "missing_share": "ร้อยละของหน่วยงานที่ยังไม่เผยแพร่",
}
HIDDEN = ("tools", "mismatch")  # for the code, not the reader


def for_reading(table: pd.DataFrame, style: Digits = "arabic") -> pd.DataFrame:
    """`table` as text cells under Thai headers, the digits of numbers in `style`."""
    headers = HEADERS | {tool.lower(): f"คะแนน {tool}" for tool in (tools_of(table) if "tools" in table else [])}
    if "official_total" not in table:  # a history: its total is the published one where there is one
        headers["total"] = "คะแนนรวม"
    shown = table.drop(columns=[c for c in HIDDEN if c in table])
    return pd.DataFrame({headers.get(column, column): _cells(shown[column], style) for column in shown.columns})


def _cells(column: pd.Series, style: Digits) -> pd.Series:
    """Numbers in `style`; text (an agency's name) exactly as the data writes it."""
    return column.astype(object).map(
        lambda value: digits(shown(value), style) if isinstance(value, int | float | np.number) else shown(value))


def shown(value: object) -> str:
    """One value as a reader sees it: scores to the hundredth (never -0.00), yes or no in Thai, a list of
    indicators ("6;7;8") with commas, a dash for nothing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, float):
        return f"{round(value, 2) + 0.0:.2f}"
    return str(value).replace(";", ", ") or "–"
