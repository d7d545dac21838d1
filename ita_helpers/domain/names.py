"""Agency and unit names: one spelling however a name was typed or pasted, and the names refused."""

from __future__ import annotations

import re
import unicodedata

from ..core.formulas import FORMULA_STARTS
from ..core.i18n import _

# Invisible characters that copying from a web page or a PDF leaves inside names: zero-width spaces and
# joiners, the word joiner, a BOM, soft hyphens, direction marks and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069, U+061C) that would show a name reversed in the index and reports.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
                                   "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
# Look-alike spellings typed on Thai keyboards: เ + เ for แ, and a tone mark or mark above typed twice.
SARA_AE = re.compile("\u0e40\u0e40")
DOUBLED_MARK = re.compile("([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1+")
# ํ + า for ำ, with or without a tone mark between them (น ํ ่ า as a PDF may order น่ำ): ำ after the mark.
SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def clean_name(text: str) -> str:
    """A name in one spelling: Unicode NFC, invisible and bidi control characters dropped, ํ + า (as text
    copied from a PDF has it) as ำ, เเ as แ, a vowel or tone mark typed twice once, spaces, tabs and line
    breaks as single spaces."""
    text = SARA_AM.sub("\\1\u0e33", unicodedata.normalize("NFC", text).translate(INVISIBLE))
    text = DOUBLED_MARK.sub("\\1", SARA_AE.sub("\u0e41", text))
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
