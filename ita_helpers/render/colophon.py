"""The page's footer and appendix for its readers, in Thai and in the document's digits: who made the
document, when and from which of the agency's own files; then, for whoever checks it, the values it was
made with, each file's SHA-256, the package and the PDF engine."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core import thai
from ..core.thai import BANGKOK, thai_date, thai_list
from ..document.parts import PART_MIME, Title
from ..inputs.sources import MERGED_FRAMEWORK, REPORTED_TOTALS, is_bundled, source_name
from .blocks import digits_of

if TYPE_CHECKING:
    from nbformat import NotebookNode

@cache
def git_commit() -> str | None:
    """The commit of the source tree the package runs from, when it is a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=Path(__file__).resolve().parent,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return (out.stdout.strip() or None) if out.returncode == 0 else None


# The report's parameters as the appendix names them. Another notebook's parameter is named by the comment
# after it in its `parameters` cell, or left out: the appendix never shows a Python name.
PARAMETER_LABELS = {
    "org": "หน่วยงานที่ได้รับการประเมิน",
    "fiscal_year": "ปีงบประมาณของผลการประเมิน",
    "plan_year": "ปีงบประมาณของมาตรการ",
    "threshold": "เกณฑ์ตัวชี้วัดที่ต้องปรับปรุง",
    "digits": "ตัวเลขในเนื้อความ",
    "strict_framework": "ใช้เฉพาะเกณฑ์การประเมินของปีนั้น",
    "formats": "รูปแบบที่จัดทำ",
}
DIGIT_NAMES = {"thai": "เลขไทย", "arabic": "เลขอารบิก"}
FORMAT_NAMES = {"html": "HTML", "pdf": "PDF", "docx": "Word"}
ROWS_NOTE = ("ค่า SHA-256 ของไฟล์คะแนนคำนวณจากแถวของหน่วยงานนี้ที่ตัดจากไฟล์ (ในรูปแบบ CSV) "
             "ไม่ใช่จากทั้งไฟล์")
NO_INPUTS_NOTE = ("ไม่มีรายการไฟล์ข้อมูลและค่า SHA-256 เพราะส่งออกจากสมุดบันทึกโดยตรง "
                  "ไม่ได้จัดทำด้วยคำสั่ง ita")
_PARAMETER_COMMENT = re.compile(r"^(\w+)\s*(?::[^=]*)?=.*#\s*(.+?)\s*$")


def colophon(notebook: NotebookNode, parameters: dict, inputs: dict[str, str], engine: str,
             moment: datetime | None = None) -> dict:
    """What the template's footer and appendix show, in Thai and in the document's digits: who made the
    report, when, from which of the agency's own files (the names it knows them by); then, for whoever
    checks it, the values it was made with, each file's SHA-256, the package and the PDF engine."""
    style = digits_of(parameters)
    moment = moment or datetime.now(BANGKOK)
    files = [_input_row(name, digest) for name, digest in inputs.items()]
    ita = {
        "producer": _author(notebook) or parameters.get("org") or None,
        "date": thai_date(moment, style),
        "time": f"{thai_date(moment, style)} เวลา {thai.digits(f'{moment:%H:%M}', style)} น.",
        "timestamp": moment.isoformat(timespec="seconds"),
        "sources": thai_list([f"ไฟล์{row['kind']} “{row['name']}”" for row in files if row["supplied"]]),
        "parameters": _parameter_rows(notebook, parameters, style),
        "files": files,
        "rows_note": ROWS_NOTE if any(row["rows"] for row in files) else None,
        "no_inputs_note": None if inputs else NO_INPUTS_NOTE,
        "version": __version__, "commit": git_commit(),
        "engine": engine if engine and engine != "-" else None,
    }
    return ita | {"footer": footer_lines(ita)}


def _author(notebook: NotebookNode) -> str | None:
    """The unit the document's title part names as its publisher (parts.Title.author), if it has one."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            part = output.get("data", {}).get(PART_MIME, {})
            if part.get("kind") == Title.kind and part.get("author"):
                return str(part["author"])
    return None


def _input_row(name: str, digest: str) -> dict:
    """One file a batch's report read: what it is, the name the agency knows it by, whether the agency
    supplied it (not the suite's bundled copy of a reference file, nor a standing the suite computed)."""
    kinds = {"methodology.yaml": "เกณฑ์การประเมิน", MERGED_FRAMEWORK: "เกณฑ์การประเมิน",
             "national_averages.csv": "ค่าเฉลี่ยระดับประเทศ",
             "oit_items.yaml": "รายการข้อมูลของแบบตรวจ OIT",
             REPORTED_TOTALS: "คะแนนรวมที่ประกาศ"}
    folder = name.split("/")[0] if "/" in name else ""
    kind = {"scores": "คะแนนรายตัวชี้วัด", "measures": "มาตรการ"}.get(folder) or kinds.get(name, "ข้อมูล")
    known = source_name(name)
    bundled = is_bundled(name, digest)
    if known is None:
        kind, origin = "อันดับในกลุ่มหน่วยงานปีเดียวกัน", "คำนวณโดยชุดโปรแกรมจากไฟล์คะแนน"
    else:
        origin = "ฉบับของชุดโปรแกรม" if bundled else ""
    rows = folder == "scores" or name == REPORTED_TOTALS  # the agency's rows, cut from its file
    return {"kind": kind, "name": known or "", "origin": origin, "sha256": digest,
            "supplied": known is not None and not bundled, "rows": rows}


def _parameter_rows(notebook: NotebookNode, parameters: dict, style: str) -> list[tuple[str, str]]:
    """(Thai label, value) of each parameter that is set, in the notebook's order."""
    comments = {}
    for cell in notebook.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            comments = {m[1]: m[2] for line in cell.source.splitlines() if (m := _PARAMETER_COMMENT.match(line))}
    rows = []
    for name, value in parameters.items():
        label = PARAMETER_LABELS.get(name) or comments.get(name)
        if value is None or value == "" or not label:
            continue
        rows.append((label, _parameter_value(name, value, style)))
    return rows


def _parameter_value(name: str, value: object, style: str) -> str:
    if name == "digits":
        return DIGIT_NAMES.get(str(value), str(value))
    if name == "threshold" and isinstance(value, int | float):
        return f"คะแนนต่ำกว่า {_parameter_value('', value, style)}"
    if name == "formats":
        return ", ".join(FORMAT_NAMES.get(f, f) for f in str(value).split(",") if f)
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, int | float):  # a number in the document's digits, 85.0 as 85
        return thai.digits(int(value) if float(value).is_integer() else value, style)
    return str(value)  # a name is shown as it is written, digits included




def footer_lines(ita: dict) -> list[tuple[str, str]]:
    """The footer's sentences as (text before the date, the date) and (text, ""): the page wraps the date
    in <time>, Word writes them as they read."""
    made = f"จัดทำโดย {ita['producer']} เมื่อวันที่ " if ita["producer"] else "จัดทำเมื่อวันที่ "
    lines = [(made, ita["date"])]
    if ita["sources"]:
        lines.append((f"จากไฟล์ข้อมูลของหน่วยงาน ได้แก่ {ita['sources']}", ""))
    return lines
