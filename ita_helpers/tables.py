"""Score tables made for reading in the explore notebook: Thai headers, numbers to the hundredth, yes and
no in Thai, and a dash where there is no value (never NaN or <NA>)."""

from __future__ import annotations

import pandas as pd

from .scoring import tools_of

HEADERS = {  # a column of scoring's tables -> its Thai header; tool columns are named by their tool
    "org": "หน่วยงาน", "fiscal_year": "ปีงบประมาณ", "total": "คะแนนรวม (คำนวณ)", "rating": "ระดับผล",
    "passed": "ผ่านเกณฑ์", "weak_indicators": "ตัวชี้วัดที่ต่ำกว่าเกณฑ์", "weights_presumed": "น้ำหนักสันนิษฐาน",
    "reported_total": "คะแนนรวมที่ประกาศ", "difference": "ผลต่าง", "official_total": "คะแนนรวม",
    "previous_year": "ปีก่อนหน้า", "previous_total": "คะแนนรวมปีก่อนหน้า", "change": "เปลี่ยนแปลง",
    "national_average": "ค่าเฉลี่ยระดับประเทศ", "has_indicators": "มีคะแนนรายตัวชี้วัด",
}
HIDDEN = ("tools", "mismatch")  # for the code, not the reader


def for_reading(table: pd.DataFrame) -> pd.DataFrame:
    """`table` as text cells under Thai headers."""
    headers = HEADERS | {tool.lower(): f"คะแนน {tool}" for tool in (tools_of(table) if "tools" in table else [])}
    if "official_total" not in table:  # a history: its total is the published one where there is one
        headers["total"] = "คะแนนรวม"
    shown = table.drop(columns=[c for c in HIDDEN if c in table])
    return pd.DataFrame({headers.get(column, column): _cells(shown[column]) for column in shown.columns})


def _cells(column: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(column):
        return column.map({True: "ใช่", False: "ไม่ใช่"}).fillna("–")
    if pd.api.types.is_float_dtype(column):
        return column.map(lambda v: "–" if pd.isna(v) else f"{round(v, 2) + 0.0:.2f}")  # never -0.00
    text = column.astype("string").fillna("–").str.replace(";", ", ", regex=False)
    return text.where(text != "", "–").astype(object)
