"""outputs/index.html: links to every report of the manifest, offline, in Sarabun."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import nh3

from .fonts import font_face_css
from .report import WARNINGS
from .thai import generated_at

STATUS = {"ok": "สำเร็จ", "warnings": "สำเร็จ มีข้อสังเกต", "failed": "ไม่สำเร็จ"}


def status_counts(manifest: dict) -> dict[str, int]:
    """How many reports of the manifest are ok, ok with warnings, failed."""
    statuses = [entry["status"] for entry in manifest["reports"].values()]
    return {status: statuses.count(status) for status in STATUS}


def write_index(out_dir: Path, manifest: dict) -> Path:
    out_dir = Path(out_dir)
    counts = " ".join(f"{STATUS[status]} {count} รายงาน" for status, count in status_counts(manifest).items())
    rows = []
    for entry in sorted(manifest["reports"].values(), key=lambda e: (-e["fiscal_year"], e["org"])):
        links = " · ".join(
            f"<a href='{quote(path)}'>{fmt.upper()}</a>"
            for fmt, path in entry["outputs"].items() if (out_dir / path).exists()
        )
        notes = [WARNINGS.get(code, code) for code in entry.get("warnings", [])]
        notes = "".join(f"<div class='warning'>{nh3.clean_text(note)}</div>" for note in notes)
        error = f"<div class='error'>{nh3.clean_text(entry['error'])}</div>" if entry.get("error") else ""
        rows.append(f"<tr><td>{entry['fiscal_year']}</td><td>{nh3.clean_text(entry['org'])}</td>"
                    f"<td>{STATUS.get(entry['status'], entry['status'])}{notes}{error}</td><td>{links}</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>รายงานผลการประเมิน ITA</title>
<style>{font_face_css()}
body {{ font-family: 'Sarabun', sans-serif; max-width: 50rem; margin: 2rem auto; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #999; padding: .3em .6em; text-align: left; }}
.error {{ color: #a00; font-size: .9em; }} .warning {{ color: #8a5a00; font-size: .9em; }}</style></head>
<body><h1>รายงานผลการประเมิน ITA</h1>
<p class='counts'>{counts}</p>
<table><thead><tr><th>ปีงบประมาณ</th><th>หน่วยงาน</th><th>สถานะ</th><th>ไฟล์</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<p>ปรับปรุงเมื่อ {generated_at()}</p></body></html>
"""
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
