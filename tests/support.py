"""What several test modules share: the synthetic fixtures' names, a page's visible text, small data folders."""

from __future__ import annotations

import html
import re

from conftest import REPO_ROOT
from ita_helpers.inputs.dataset import DataFolder

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "synthetic_data"  # SYNTHETIC agencies, made for the tests
RISING, FIRST_YEAR = "หน่วยงานทดสอบขาขึ้น", "หน่วยงานทดสอบปีแรก"
WIDE = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"


def visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def folder_with(tmp_path, **files: str) -> DataFolder:
    """A SYNTHETIC data folder holding only the given files (relative name -> text)."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return DataFolder(tmp_path)
