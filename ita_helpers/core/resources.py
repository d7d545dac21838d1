"""Where the report notebooks and the bundled data live.

In a built wheel they are copied into the package (`ita_helpers/notebooks`, `ita_helpers/data`);
in a source checkout they are the repository's own `notebooks/` and `data/`, the single source
of both. Code asks here and never builds these paths itself."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def _shipped_or_checkout(name: str) -> Path:
    shipped = PACKAGE / name
    return shipped if shipped.is_dir() else PACKAGE.parent / name


NOTEBOOKS = _shipped_or_checkout("notebooks")
BUNDLED_DATA = _shipped_or_checkout("data")
REPORT_NOTEBOOK = NOTEBOOKS / "ita_report.ipynb"
PROGRESS_NOTEBOOK = NOTEBOOKS / "ita_progress.ipynb"  # the implementation report (O26)
GROUP_NOTEBOOK = NOTEBOOKS / "ita_group.ipynb"  # the group report for central analysts
