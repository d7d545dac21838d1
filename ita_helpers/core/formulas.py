"""Text a spreadsheet would take for a formula (CSV or formula injection), and how a written cell avoids it."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")  # what a spreadsheet opening a CSV file takes for a formula
CSV_FORMULA_STARTS = (*FORMULA_STARTS, "\t", "\r")  # Excel also reads past a leading tab or carriage return


def inert_csv_cell(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs: one starting like a formula gets a leading apostrophe (as
    OWASP advises), whatever its source (a label from methodology.yaml, a source column, a heading)."""
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text
