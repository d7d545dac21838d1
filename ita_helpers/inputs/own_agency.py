"""Whose folder a data folder is, when it is one agency's own (`ita init --org` made it).

The folder says so in `agency.txt` at its top: the agency's name on its first line that is neither blank
nor a comment (`#`), written exactly as the score files and reports name it. `ita init` writes the file;
an agency may write it by hand. A folder made before the file existed says it in the first line of its
README.txt (``โฟลเดอร์ข้อมูล ITA ของ<name>``), which is read when there is no agency.txt.

What the folder's agency decides: a score sheet with no agency column (one row per fiscal year) holds
that agency's scores, and a measures file that names no agency is that agency's. No pandas here.
"""

from __future__ import annotations

from pathlib import Path

from ..domain.names import clean_name

AGENCY_FILE = "agency.txt"
README = "README.txt"
README_START = "โฟลเดอร์ข้อมูล ITA ของ"
MAX_BYTES = 4096  # a name and a comment: a larger file is not one we wrote


def agency_text(org: str) -> str:
    """What `ita init` writes in agency.txt."""
    return ("# ชื่อหน่วยงานเจ้าของโฟลเดอร์ข้อมูลนี้ (บรรทัดแรกที่ไม่ขึ้นต้นด้วย #)\n"
            "# ตารางคะแนนที่ไม่มีคอลัมน์หน่วยงาน และไฟล์มาตรการที่ไม่ได้ระบุหน่วยงาน ถือเป็นของหน่วยงานนี้\n"
            f"{org}\n")


def _read(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def folder_agency(root: Path) -> str | None:
    """The agency a data folder belongs to, or None when it does not say (a shared or national folder)."""
    text = _read(root / AGENCY_FILE)
    if text is not None:
        lines = [line.strip() for line in text.splitlines()]
        return next((clean_name(line) for line in lines if line and not line.startswith("#")), None) or None
    readme = _read(root / README)
    first = readme.lstrip().splitlines()[0] if readme and readme.strip() else ""
    return (clean_name(first.removeprefix(README_START)) or None) if first.startswith(README_START) else None
