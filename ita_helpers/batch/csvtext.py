"""Tables as CSV text, fast: each distinct value of a column is formatted once. A national table has
hundreds of thousands of rows but a few thousand distinct names, years and scores, and pandas' `to_csv`
formats every cell on its own (with `float_format`, one Python call per number).

The text is what `to_csv(index=False, lineterminator="\\n")` writes, except that a cell holding a bare
carriage return is quoted too (pandas leaves it bare, and the row then cannot be read back)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.formulas import inert_csv_cell


def _cell_text(values: pd.Series, float_format: str | None, inert: bool = False) -> pd.Series:
    """Distinct values as CSV cells: numbers in `float_format` (else their shortest exact form), text quoted
    where CSV needs it and, when `inert`, never a formula."""
    if pd.api.types.is_float_dtype(values):
        floats = values.astype("float64")
        return floats.map(float_format.__mod__) if float_format else floats.astype(str)
    if pd.api.types.is_integer_dtype(values):
        return values.astype("int64").astype(str)
    text = values.astype(str)
    if inert:
        text = text.map(inert_csv_cell)  # on distinct values: cheap
    quoted = '"' + text.str.replace('"', '""', regex=False) + '"'
    return text.where(~text.str.contains('[,"\r\n]', regex=True), quoted)


def cells(column: pd.Series, float_format: str | None = None, inert: bool = False) -> np.ndarray:
    """A column as CSV cells, missing values empty."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    text = np.append(_cell_text(pd.Series(uniques), float_format, inert).to_numpy(dtype=object), "")
    return text[codes]  # code -1 (missing) takes the trailing ""


def csv_lines(frame: pd.DataFrame, float_format: str | None = None, inert: bool = False) -> list[str]:
    """The rows of `frame` as CSV lines, each ending in a newline (no header)."""
    return [",".join(row) + "\n" for row in zip(*(cells(frame[c], float_format, inert) for c in frame.columns))]


def csv_text(frame: pd.DataFrame, float_format: str | None = None) -> str:
    """`frame` as CSV with its header for people's spreadsheets, as `frame.to_csv(index=False,
    lineterminator="\\n")` writes it but with no cell a spreadsheet takes for a formula (core.formulas).
    (A batch's slices, read back by the suite, use `csv_lines` as the values are.)"""
    header = cells(pd.Series(list(map(str, frame.columns)), dtype=object), inert=True)
    return ",".join(header) + "\n" + "".join(csv_lines(frame, float_format, inert=True))
