"""Thai digits, Buddhist Era years and number formatting for official Thai documents."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo

Digits = Literal["thai", "arabic"]
DIGIT_STYLES: tuple[str, ...] = get_args(Digits)

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
BE_OFFSET = 543
LOWEST_BE_YEAR = 2400  # anything below is a Christian-Era year, not a Thai fiscal year
BANGKOK = ZoneInfo("Asia/Bangkok")

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)


def to_arabic_digits(text: str) -> str:
    return text.translate(TO_ARABIC)


def digits(text: object, style: Digits = "thai") -> str:
    """`text` as a string, its digits written in `style`."""
    if style not in DIGIT_STYLES:
        raise ValueError(f"digits must be 'thai' or 'arabic', not {style!r}")
    text = str(text)
    return text.translate(TO_THAI) if style == "thai" else to_arabic_digits(text)


def score(value: float, style: Digits = "thai") -> str:
    """A score as official documents print it: two decimals, e.g. ๘๘.๙๘."""
    return digits(f"{value:.2f}", style)


def count(value: int, style: Digits = "thai") -> str:
    """A whole number with thousands separated, e.g. ๘,๓๐๐."""
    return digits(f"{value:,}", style)


def ce_to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def thai_date(moment: date | datetime | None = None, style: Digits = "thai") -> str:
    """A date as Thai documents write it, e.g. ๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙ (Bangkok time when omitted)."""
    moment = moment or datetime.now(BANGKOK)
    text = f"{moment.day} {THAI_MONTHS[moment.month - 1]} พ.ศ. {ce_to_be(moment.year)}"
    return digits(text, style)


def generated_at(moment: datetime | None = None) -> str:
    """Generation time in Bangkok, its date in B.E. as Thai documents write it."""
    moment = moment or datetime.now(BANGKOK)
    return f"{thai_date(moment)} เวลา {digits(f'{moment:%H:%M}')} น."


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: Thai vowel and tone marks above and below a consonant take
    none (Python's len counts them), East Asian wide characters two."""
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def thai_list(items: list[str]) -> str:
    """Items joined as Thai official prose joins them: `ก ข และค`."""
    return " ".join(items[:-1]) + " และ" + items[-1] if len(items) > 1 else "".join(items)
