"""Agency and unit names: one spelling however a name was typed or pasted, and the names refused."""

from __future__ import annotations

import re
import unicodedata

from ..core.i18n import _

# Invisible characters that copying from a web page or a PDF leaves inside names: zero-width spaces and
# joiners, the word joiner, a BOM, soft hyphens and direction marks.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"), None)
# ํ + า for ำ, with or without a tone mark between them (น ํ ่ า as a PDF may order น่ำ): ำ after the mark.
SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
FORMULA_STARTS = ("=", "+", "-", "@")  # what a spreadsheet opening a CSV file takes for a formula


def clean_name(text: str) -> str:
    """A name in one spelling: Unicode NFC, invisible characters dropped, ํ + า (as text copied from a PDF
    has it) as ำ, spaces, tabs and line breaks as single spaces."""
    text = SARA_AM.sub("\\1\u0e33", unicodedata.normalize("NFC", text).translate(INVISIBLE))
    return " ".join(text.split())


def name_problem(name: str) -> str | None:
    """Why a name (as `clean_name` leaves it) cannot name an agency or a unit, or None."""
    control = next((char for char in name if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        return _("the name holds a control character ({code}) that no document can show: type the name "
                 "again").format(code=f"U+{ord(control):04X}")
    if name.startswith(FORMULA_STARTS):
        return _("the name begins with {char}, which a spreadsheet takes for the start of a formula: "
                 "remove it").format(char=repr(name[0]))
    return None
