"""The indicators an issue names in its own words, for an action table without an indicator column (the
published document's table, pasted from Word: ประเด็น | วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ |
ผู้รับผิดชอบ | ขั้นตอนหรือวิธีปฏิบัติ).

An issue such as ``๑. การปฏิบัติหน้าที่ คุณภาพการดำเนินงาน และการปรับปรุงระบบการทำงาน`` names indicators 1, 6
and 8 by their names (official or alias, of the results year's framework), however Word broke the words
(``การเปิดเผย ข้อมูลและ ประสิทธิภาพ การสื่อสาร``); ``ตัวชี้วัดที่ ๖`` or ``ตัวชี้วัดที่ 6, 7`` names them by number.
The number that opens the cell (``๑.``) is the issue's place in the list, not an indicator. What cannot be
told (no name and no number, or numbers and names that disagree) is said, and the caller asks for it.
"""

from __future__ import annotations

import re
import unicodedata

from ..core.i18n import _
from ..core.thai import TO_ARABIC
from ..domain.methodology import YearMethod

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# ตัวชี้วัดที่ 6 / ตัวชี้วัด 6, 7 และ 8 / indicator 6-8: the numbers after the word
_BY_NUMBER = re.compile(r"(?:ตัวชี้วัดที่|ตัวชี้วัด|indicators?)\s*((?:\d+)(?:\s*(?:,|และ|and|-|–|ถึง)\s*\d+)*)",
                        re.IGNORECASE)
_NUMBER_PART = re.compile(r"(\d+)(?:\s*(?:-|–|ถึง)\s*(\d+))?")
_ORDINAL = re.compile(r"^\s*[(（]?\d{1,3}[.)）]\s*")  # ๑.  1)  (2)  at the start of a line
_BARE_NUMBERS = re.compile(r"^\s*\d+(?:\s*(?:,|และ|and)\s*\d+)*\s*$")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).translate(TO_ARABIC)


def _squeezed(text: str) -> str:
    """Text compared with names: no spaces (Word breaks Thai words anywhere), no case."""
    return re.sub(r"\s+", "", text).casefold()


def _numbers(text: str) -> list[int]:
    found: list[int] = []
    for match in _BY_NUMBER.finditer(text):
        for first, last in _NUMBER_PART.findall(match.group(1)):
            found += range(int(first), int(last or first) + 1)
    return found


def _names(text: str, method: YearMethod) -> list[int]:
    """Indicators whose name (official, English or alias) the text holds, in the order they stand; a name
    inside a longer name found there does not count."""
    squeezed = _squeezed(text)
    spans: list[tuple[int, int, int]] = []  # start, end, indicator
    for indicator in method.indicators:
        for name in indicator.names:
            key = _squeezed(_plain(name))
            start = squeezed.find(key) if key else -1
            while start >= 0:
                spans.append((start, start + len(key), indicator.number))
                start = squeezed.find(key, start + 1)
    kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0])
                                        for o in spans)]
    return list(dict.fromkeys(number for _start, _end, number in sorted(kept)))


def indicators_named(text: str, method: YearMethod) -> tuple[tuple[int, ...], str | None]:
    """(the indicators the text names, None), or ((), why they cannot be told)."""
    lines = [_ORDINAL.sub("", line, count=1) for line in _plain(text).splitlines()]
    body = "\n".join(lines)
    numbers = _numbers(body)
    if _BARE_NUMBERS.match(body):  # a cell holding numbers only: 6  or  6, 7
        numbers += [int(n) for n in re.findall(r"\d+", body)]
    numbers = list(dict.fromkeys(numbers))
    names = _names(_BY_NUMBER.sub(" ", body), method)
    known = set(method.indicator_numbers)
    unknown = [n for n in numbers if n not in known]
    if unknown:
        return (), _("there is no indicator {numbers} in fiscal year {year} (indicators {first} to {last})").format(
            numbers=", ".join(map(str, unknown)), year=method.fiscal_year, first=min(known), last=max(known))
    if numbers and names and set(numbers) != set(names):
        return (), _("its numbers say indicators {numbers} but its names are those of indicators {names}").format(
            numbers=", ".join(map(str, numbers)), names=", ".join(map(str, names)))
    found = numbers or names
    if not found:
        return (), _("it names no indicator of fiscal year {year}, by number or by name").format(
            year=method.fiscal_year)
    return tuple(found), None
