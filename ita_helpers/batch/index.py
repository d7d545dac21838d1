"""outputs/index.html: every report of the manifest, by fiscal year (newest first), agencies in Thai
dictionary order, with its figures, status and files.

One offline page: Sarabun inlined, no external file. Readable on a phone (the table reflows into one
card per report). A small inline script filters rows by agency name; without JavaScript the page is
complete, only the filter is missing. Every text from the manifest is escaped with `nh3.clean_text`
and every link `quote()`d: agency names are hostile input."""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import nh3

from ..analysis.report import WARNINGS
from ..core.fonts import font_face_css
from ..core.i18n import _
from ..core.thai import generated_at, to_arabic_digits

STATUS = {"ok": "สำเร็จ", "warnings": "สำเร็จ มีข้อสังเกต", "failed": "ไม่สำเร็จ"}
UNKNOWN = "–"
MINUS = "−"  # U+2212, as printed numbers write a negative change
COLUMNS = {"หน่วยงาน": "27%", "คะแนนรวม": "8%", "ระดับ": "9%", "เปลี่ยนแปลงจากปีก่อน": "10%",
           "ตัวชี้วัดต่ำกว่าเกณฑ์": "10%", "สถานะ": "21%", "ไฟล์": "15%"}  # heading -> width
# Rows a table. Tables out of view are neither laid out nor painted (content-visibility): 8,300 rows
# in one table took 1.5 s to load in Chromium, in tables of 200 rows 0.5 s. Until a table is laid
# out, it is given the height of rows as measured: 2.5 em in the table, 9 em as cards on a phone.
CHUNK = 200

# Thai dictionary order (ราชบัณฑิตยสถาน): a leading vowel เ แ โ ใ ไ is read after the consonant it is
# written before, and tone marks and other marks above/below only break ties between equal letters.
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
_MARKS = dict.fromkeys(map(ord, "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4e"))  # ็ ่ ้ ๊ ๋ ์ ๎


def thai_sort_key(name: str) -> tuple[str, str, str]:
    """Sort key putting Thai names in dictionary order: letters first (a leading vowel after its
    consonant, Thai digits as Arabic), then marks (no tone before ่ before ้), then the name itself."""
    letters = to_arabic_digits(_LEADING_VOWEL.sub(r"\2\1", name)).casefold()
    return letters.translate(_MARKS), letters, name


def _number(value: object) -> float | None:
    """A finite number, else None (the manifest's JSON may hold null or NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def score_text(value: object) -> str:
    """A score with two decimals, e.g. 88.98; unknown as –."""
    number = _number(value)
    return UNKNOWN if number is None else f"{number:.2f}"


def change_text(value: object) -> str:
    """A change with two decimals and its sign, e.g. +0.50 or −1.03 (0.00 has none); unknown as –."""
    number = _number(value)
    if number is None:
        return UNKNOWN
    text = f"{abs(number):.2f}"
    return text if text == "0.00" else ("+" if number > 0 else MINUS) + text


def count_text(value: object) -> str:
    """A count, e.g. 6; unknown as –."""
    number = _number(value)
    return UNKNOWN if number is None else f"{number:,.0f}"


def _text(value: object) -> str:
    return nh3.clean_text(value) if isinstance(value, str) and value.strip() else UNKNOWN


def _counts(entries: list[dict]) -> dict[str, int]:
    statuses = [entry["status"] for entry in entries]
    return {status: statuses.count(status) for status in STATUS}


def warning_reason(code: str) -> str:
    """A warning code's reason in Thai: the index is a Thai document whatever the interface language."""
    return _(WARNINGS[code], "th") if code in WARNINGS else str(code)


def status_counts(manifest: dict) -> dict[str, int]:
    """How many reports of the manifest are ok, ok with warnings, failed."""
    return _counts(list(manifest["reports"].values()))


def _counts_text(counts: dict[str, int]) -> str:
    return " ".join(f"{STATUS[status]} {count:,} รายงาน" for status, count in counts.items())


def _links(outputs: dict[str, str], out_dir: Path) -> str:
    """Links to the files that exist, the notebook last (os.path.exists: a path too long is not there)."""
    return " · ".join(
        f"<a href='{quote(path)}'>{nh3.clean_text(fmt.upper())}</a>"
        for fmt, path in sorted(outputs.items(), key=lambda output: output[0] == "ipynb")
        if os.path.exists(out_dir / path)
    )


def _status_cell(entry: dict, last_good: dict | None) -> str:
    status = STATUS.get(entry["status"]) or nh3.clean_text(str(entry["status"]))
    notes = [f"<div class='warning'>{nh3.clean_text(warning_reason(code))}</div>"
             for code in entry.get("warnings") or []]
    if entry.get("error"):
        notes.append(f"<div class='error'>{nh3.clean_text(str(entry['error']))}</div>")
    if last_good:
        notes.append(f"<div class='last-good'>ตัวเลขและไฟล์จากครั้งล่าสุดที่สำเร็จ เมื่อ {_text(last_good.get('generated'))}"
                     "</div>")
    return status + "".join(notes)


def _files_cell(entry: dict, last_good: dict | None, out_dir: Path) -> str:
    own = _links(entry.get("outputs") or {}, out_dir)
    if entry["status"] == "failed" and own:
        own = f"<div class='error'>ครั้งที่ไม่สำเร็จ: {own}</div>"
    return (_links(last_good.get("outputs") or {}, out_dir) if last_good else "") + own


def _row(entry: dict, out_dir: Path) -> str:
    """One report: agency, total, rating, change, weak indicators, status, files. A failed rerun
    shows the figures and files of the last report that succeeded, when there is one."""
    last_good = entry.get("last_good") if entry["status"] == "failed" else None
    figures = (last_good or entry).get("figures") or {}
    cells = (
        nh3.clean_text(str(entry["org"])), score_text(figures.get("total")), _text(figures.get("rating")),
        change_text(figures.get("change")), count_text(figures.get("weak")),
        _status_cell(entry, last_good), _files_cell(entry, last_good, out_dir),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>\n"


def _by_year(manifest: dict) -> list[tuple[int, list[dict]]]:
    """The reports grouped by fiscal year, newest first, each year's agencies in Thai dictionary order."""
    years: dict[int, list[dict]] = defaultdict(list)
    for entry in manifest["reports"].values():
        years[int(entry["fiscal_year"])].append(entry)
    return [(year, sorted(years[year], key=lambda entry: thai_sort_key(str(entry["org"]))))
            for year in sorted(years, reverse=True)]


def _section(year: int, entries: list[dict], out_dir: Path) -> str:
    """A year's reports, in tables of CHUNK rows: a browser lays out only the ones in view."""
    head = "<table><thead><tr>" + "".join(f"<th>{column}</th>" for column in COLUMNS) + "</tr></thead><tbody>\n"
    rows = [_row(entry, out_dir) for entry in entries]
    tables = "".join(f"<div class='chunk'>{head}{''.join(rows[start:start + CHUNK])}</tbody></table></div>\n"
                     for start in range(0, len(rows), CHUNK))
    return (f"<section id='y{year}'><h2>ปีงบประมาณ {year}</h2>\n"
            f"<p class='counts'>{_counts_text(_counts(entries))}</p>\n{tables}</section>\n")


# Filters rows by agency name as the user types; shows the filter only when it can run.
SCRIPT = """(() => {
  const box = document.getElementById("filter"), found = document.getElementById("found");
  let rows = null, frame = 0;
  document.querySelector(".filter").hidden = false;
  box.addEventListener("input", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      rows ??= Array.from(document.querySelectorAll("tbody tr"), row => [row, row.cells[0].textContent.toLowerCase()]);
      const term = box.value.trim().toLowerCase();
      let count = 0;
      for (const [row, name] of rows) {
        const match = name.includes(term);
        row.hidden = !match;
        count += match;
      }
      for (const group of document.querySelectorAll(".chunk, section")) {
        group.hidden = !group.querySelector("tbody tr:not([hidden])");
      }
      found.textContent = term ? `พบ ${count.toLocaleString("en")} รายงาน` : "";
    });
  });
})();"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
# The page may run its own script and nothing else, and load nothing but inlined fonts.
CSP = (f"default-src 'none'; style-src 'unsafe-inline'; font-src data:; script-src 'sha256-{SCRIPT_HASH}'; "
       "base-uri 'none'; form-action 'none'")

NUMBERS = ":is(td, th):nth-child(n+2):nth-child(-n+5)"  # total, rating, change, weak indicators
CSS = "\n".join((
    "body { font-family: 'Sarabun', sans-serif; max-width: 72rem; margin: 1rem auto; padding: 0 .75rem;"
    " overflow-wrap: anywhere; }",
    "[hidden] { display: none !important; }",
    "table { border-collapse: collapse; width: 100%; table-layout: fixed; }",
    f".chunk {{ content-visibility: auto; contain-intrinsic-size: auto {CHUNK * 2.5:.0f}em; }}",
    "th, td { border-bottom: 1px solid #bbb; padding: .3em .4em; text-align: left; vertical-align: top; }",
    *(f"th:nth-child({n}) {{ width: {width}; }}" for n, width in enumerate(COLUMNS.values(), 1)),
    f"{NUMBERS} {{ text-align: right; font-variant-numeric: tabular-nums; }}",
    ".error { color: #a00; font-size: .9em; } .warning { color: #8a5a00; font-size: .9em; }",
    ".last-good { color: #245; font-size: .9em; } .counts { color: #333; }",
    "input { font: inherit; max-width: 100%; } output { white-space: nowrap; }",
    "@media (max-width: 40rem) {",
    "  thead { display: none; } table, tbody, tr, td { display: block; }",
    f"  .chunk {{ contain-intrinsic-size: auto {CHUNK * 9}em; }}",
    "  tr { border-bottom: 1px solid #999; padding: .4em 0; } td { border: 0; padding: .1em 0; }",
    "  td:first-child { font-weight: bold; }",
    f"  {NUMBERS} {{ display: inline-block; margin-right: 1em; text-align: left; }}",
    *(f"  td:nth-child({n})::before {{ content: '{label} '; color: #555; }}"
      for n, label in enumerate(list(COLUMNS)[1:5], 2)),
    "}",
))


def index_html(out_dir: Path, manifest: dict) -> str:
    groups = _by_year(manifest)
    years = " · ".join(f"<a href='#y{year}'>{year}</a>" for year, _reports in groups)
    years = f"{years}" if groups else "<p>ยังไม่มีรายงาน</p>"
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>รายงานผลการประเมิน ITA</title>
<style>{font_face_css()}
{CSS}</style></head>
<body><h1>รายงานผลการประเมิน ITA</h1>
<p class='counts'>{_counts_text(status_counts(manifest))}</p>
{years}
<p class='filter' hidden><label>ค้นหาหน่วยงาน <input type='search' id='filter' autocomplete='off'></label>
<output id='found'></output></p>
{''.join(_section(year, entries, out_dir) for year, entries in groups)}
<p>ปรับปรุงเมื่อ {generated_at()}</p>
<script>{SCRIPT}</script></body></html>
"""


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write OUT/index.html whole or not at all (a temporary file, then renamed)."""
    out_dir = Path(out_dir)
    path = out_dir / "index.html"
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # two runs on one folder never share it
    tmp.write_text(index_html(out_dir, manifest), encoding="utf-8")
    os.replace(tmp, path)
    return path
