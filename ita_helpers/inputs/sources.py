"""The files of a data folder's layout by name, and which of them a report read, named as the agency knows
them: the report's footer and appendix and the output folder's manifest say so. No pandas here: the
worker that renders a page imports this, never the readers of the data (dataset.py)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path, PurePosixPath

from ..core.resources import BUNDLED_DATA

REPORTED_TOTALS = "reported_totals.csv"
FRAMEWORK_WORKBOOK = "เกณฑ์การประเมิน.xlsx"  # the folder's own framework of some years (framework_xlsx)
# What a report's slice carries in place of methodology.yaml when the folder has that workbook: the
# methodology with the workbook's years, named after the workbook the agency knows.
MERGED_FRAMEWORK = f"{FRAMEWORK_WORKBOOK}.yaml"
REFERENCE_TABLES = (REPORTED_TOTALS, "national_averages.csv", FRAMEWORK_WORKBOOK)
# What a folder without its own takes from the suite's data (DataFolder.reference_file).
BUNDLED_REFERENCES = ("methodology.yaml", "national_averages.csv", "oit_items.yaml", "questions.yaml")


def source_file_name(name: str) -> str:
    """The user's workbook a slice's file was made from (`bma.xlsx.csv` -> `bma.xlsx`, the merged framework
    `เกณฑ์การประเมิน.xlsx.yaml` -> `เกณฑ์การประเมิน.xlsx`)."""
    stem = Path(name).stem
    return stem if Path(stem).suffix.lower() == ".xlsx" and Path(name).suffix in (".csv", ".yaml") else name


def source_name(name: str) -> str | None:
    """The name the agency knows a file of a report's slice by: its own file's name, without the folder
    the slice keeps it in (`scores/ผลITA.xlsx.csv` -> `ผลITA.xlsx`: the slice holds the workbook's rows as
    CSV, a file the agency never had). None for a file the suite computed and added, which is no part of
    a data folder's layout (peers.json)."""
    path = PurePosixPath(name)
    laid_out = (len(path.parts) == 2 and path.parts[0] in ("scores", "measures", "progress", "questions")) or name in (
        *BUNDLED_REFERENCES, *REFERENCE_TABLES, MERGED_FRAMEWORK)
    return source_file_name(path.name) if laid_out else None


@cache
def bundled_digests() -> dict[str, str]:
    """Reference file -> the SHA-256 of the suite's own copy (BUNDLED_REFERENCES)."""
    return {name: hashlib.sha256((BUNDLED_DATA / name).read_bytes()).hexdigest()
            for name in BUNDLED_REFERENCES if (BUNDLED_DATA / name).is_file()}


def is_bundled(name: str, digest: str) -> bool:
    """Whether a report's input is the suite's own copy of a reference file, not one the agency supplied."""
    return bundled_digests().get(name) == digest
