"""CSV text made by formatting each distinct value once is the text pandas writes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ita_helpers.batch.csvtext import csv_text


def test_the_same_text_as_to_csv():
    frame = pd.DataFrame({
        "org": pd.Series(["ก, จำกัด", 'say "hi"', "two\nlines", "plain", pd.NA], dtype="string"),
        "fiscal_year": [2566, 2566, 2567, 2567, 2568],
        "score": [90.0, np.nan, 85.125, -0.0 + 0.0, 100.0],
        "passed": [True, False, True, True, False],
        "previous_year": pd.array([2565, None, 2566, 2566, 2567], dtype="Int64"),
        "weak": pd.Series(["1;2", "", pd.NA, "3", "4"], dtype="string"),
    })
    for float_format in (None, "%.2f"):
        assert csv_text(frame, float_format) == frame.to_csv(index=False, float_format=float_format,
                                                              lineterminator="\n")


def test_a_bare_carriage_return_is_quoted_so_the_row_reads_back():
    frame = pd.DataFrame({"org": ["a\rb"], "n": [1]})
    assert csv_text(frame) == 'org,n\n"a\rb",1\n'
