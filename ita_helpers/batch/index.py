"""outputs/index.html: every report of the manifest, by fiscal year (newest first), agencies in Thai
dictionary order, with its figures, status and files.

One offline page: Sarabun inlined, no external file. Readable on a phone (the table reflows into one
card per report). A small inline script filters rows by agency name; without JavaScript the page is
complete, only the filter is missing. Every text from the manifest is escaped with `nh3.clean_text`
and every link `quote()`d: agency names are hostile input."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

import nh3

from ..analysis.group import GROUP_WARNINGS
from ..analysis.progress import PROGRESS_WARNINGS
from ..analysis.report import WARNINGS
from ..core.fonts import font_face_css
from ..core.i18n import _
from ..core.paths import write_named
from ..core.thai import generated_at, to_arabic_digits
from ..domain.scoring import DEFAULT_THRESHOLD

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


# ---- search: what the filter box folds, here and in the page's script alike ----------------------------
# The common abbreviations of agency kinds, found either way: อบต finds องค์การบริหารส่วนตำบล and back.
ABBREVIATIONS = {
    "รพสต": "โรงพยาบาลส่งเสริมสุขภาพตำบล",  # รพ.สต., its dots folded away
    "สพป": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา",
    "สพม": "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา",
    "อบต": "องค์การบริหารส่วนตำบล",
    "อบจ": "องค์การบริหารส่วนจังหวัด",
    "ทต": "เทศบาลตำบล",
    "ทม": "เทศบาลเมือง",
}
# An abbreviation begins a word: at the start or after anything but a Thai letter or mark.
_ABBREVIATION = re.compile("(^|[^\u0e01-\u0e4e])(" + "|".join(ABBREVIATIONS) + ")")


def search_fold(text: str) -> tuple[str, str]:
    """`text` as the filter compares it: Thai digits as Arabic, lower case, ํา as ำ, without dots and
    spaces (เขต ๑ and เขต 1 alike); then once as written and once with abbreviations written out. A query
    matches a name when its first form is in the name's first or its second in the name's second.
    FOLD_SCRIPT is the same function in the page's JavaScript (tests compare the two in Chromium)."""
    text = to_arabic_digits(text).lower().replace("\u0e4d\u0e32", "\u0e33").replace(".", "")
    expanded = _ABBREVIATION.sub(lambda m: m[1] + ABBREVIATIONS[m[2]], text)
    return re.sub(r"\s+", "", text), re.sub(r"\s+", "", expanded)


def search_matches(query: str, name: str) -> bool:
    """Whether the filter shows `name` for `query` (as FOLD_SCRIPT's caller does)."""
    (query_plain, query_expanded), (name_plain, name_expanded) = search_fold(query.strip()), search_fold(name)
    return query_plain in name_plain or query_expanded in name_expanded


FOLD_SCRIPT = r"""const ABBREVIATIONS = @ABBREVIATIONS@;
const ABBREVIATION = new RegExp("(^|[^\u0e01-\u0e4e])(" + Object.keys(ABBREVIATIONS).join("|") + ")", "g");
const fold = text => {
  text = text.replace(/[\u0e50-\u0e59]/g, d => String(d.charCodeAt(0) - 0x0e50)).toLowerCase()
    .replaceAll("\u0e4d\u0e32", "\u0e33").replaceAll(".", "");
  const expanded = text.replace(ABBREVIATION, (m, before, short) => before + ABBREVIATIONS[short]);
  return [text.replace(/\s+/g, ""), expanded.replace(/\s+/g, "")];
};""".replace("@ABBREVIATIONS@", json.dumps(ABBREVIATIONS, ensure_ascii=False))


# ---- passing, notes, paths ---------------------------------------------------------------------------

def passing(figures: dict | None) -> bool | None:
    """Whether a report's figures pass: a rating of the tiers (from FY2566) that begins ผ่าน passes and
    ต้องปรับปรุง… does not; a letter grade (to FY2565) passes with a total at the pass mark (85, as
    methodology.yaml sets every year). None without figures."""
    if not figures:
        return None
    rating = str(figures.get("rating") or "")
    if rating.startswith("ผ่าน"):
        return True
    if rating.startswith(("ต้องปรับปรุง", "ไม่ผ่าน")):
        return False
    total = _number(figures.get("total"))
    return None if total is None else round(total, 2) >= DEFAULT_THRESHOLD


# An absolute path, POSIX or Windows, in a message: a reader of the index sees only its file name.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~-])(?:/|[A-Za-z]:[\\/])(?:[^\s/\\'\"<>:]+[/\\])+([^\s/\\'\"<>:]*)")


def without_local_paths(text: str, out_dir: Path) -> str:
    """`text` with no absolute local path: those under the output folder relative to it, others as their
    file name (an error may name /home/…/data/scores/x.csv; the index is published elsewhere)."""
    root = os.path.abspath(out_dir).rstrip(os.sep) + os.sep
    text = text.replace(root, "")
    return _ABSOLUTE_PATH.sub(lambda m: m[1] or UNKNOWN, text)


def _counts(entries: list[dict]) -> dict[str, int]:
    """How many are ok, ok with warnings, failed; and `stale`: of the failed, those whose last good report
    is kept, out of date."""
    statuses = [entry["status"] for entry in entries]
    stale = sum(entry["status"] == "failed" and bool(entry.get("last_good")) for entry in entries)
    return {status: statuses.count(status) for status in STATUS} | {"stale": stale}


def warning_reason(code: str) -> str:
    """A warning code's reason in Thai: the index is a Thai document whatever the interface language."""
    known = WARNINGS | PROGRESS_WARNINGS | GROUP_WARNINGS
    return _(known[code], "th") if code in known else str(code)


def status_counts(manifest: dict) -> dict[str, int]:
    """How many reports of the manifest are ok, ok with warnings, failed, and failed with an out-of-date
    report kept (stale)."""
    return _counts(list(manifest["reports"].values()))


def _counts_text(counts: dict[str, int]) -> str:
    text = " ".join(f"{STATUS[status]} {count:,} รายงาน" for status, count in counts.items() if status in STATUS)
    if counts.get("stale"):
        text += f" (ในจำนวนนี้แสดงฉบับเดิมซึ่งไม่เป็นปัจจุบัน {counts['stale']:,} รายงาน)"
    return text


def _relative(path: object, out_dir: Path) -> str | None:
    """A link's path relative to the output folder; a path leading outside it (`../..`, `/etc/passwd`,
    `//host/share`) or one that is not text (a hand-edited manifest) is no link. Lexical: no disk access
    for the 58,000 links of a national index."""
    if not isinstance(path, str) or not path or "\0" in path:
        return None
    root = os.path.abspath(out_dir)
    relative = os.path.relpath(os.path.normpath(os.path.join(root, path)), root)
    return None if relative == os.curdir or relative.split(os.sep, 1)[0] == os.pardir else relative.replace(os.sep, "/")


def _links(outputs: dict[str, str], out_dir: Path) -> str:
    """Links to the files that exist, the notebook last (os.path.exists: a path too long is not there),
    always relative: the index is published away from the machine that wrote it."""
    return " · ".join(
        f"<a href='{quote(path)}'>{nh3.clean_text(fmt.upper())}</a>"
        for fmt, path in sorted(((fmt, _relative(path, out_dir)) for fmt, path in outputs.items()),
                                key=lambda output: output[0] == "ipynb")
        if path is not None and os.path.exists(out_dir / path)
    )


def _status_cell(entry: dict, last_good: dict | None, out_dir: Path, folded: dict[str, int]) -> str:
    """The status, the report's notes (those many reports of its year share as their numbers in the
    year's list of notes, on one line) and its error."""
    status = STATUS.get(entry["status"]) or nh3.clean_text(str(entry["status"]))
    codes = entry.get("warnings") or []
    shared = sorted(folded[code] for code in codes if code in folded)
    notes = [f"<div class='warning'>ข้อสังเกต {' '.join(f'({number})' for number in shared)}</div>"] if shared else []
    notes += [f"<div class='warning'>{nh3.clean_text(warning_reason(code))}</div>"
              for code in codes if code not in folded]
    if entry.get("error"):
        error = nh3.clean_text(without_local_paths(str(entry["error"]), out_dir))
        lead = "ข้อมูลปัจจุบันมีปัญหา: " if entry.get("input_problems") else ""
        notes.append(f"<div class='error'>{lead}{error}</div>")
    if last_good:
        notes.append("<div class='stale'>ฉบับที่แสดงไม่เป็นปัจจุบัน</div>")
        notes.append(f"<div class='last-good'>ตัวเลขและไฟล์จากครั้งล่าสุดที่สำเร็จ เมื่อ {_text(last_good.get('generated'))}"
                     "</div>")
    return status + "".join(notes)


def _files_cell(entry: dict, last_good: dict | None, out_dir: Path) -> str:
    own = _links(entry.get("outputs") or {}, out_dir)
    if entry["status"] == "failed" and own:
        own = f"<div class='error'>ครั้งที่ไม่สำเร็จ: {own}</div>"
    return (_links(last_good.get("outputs") or {}, out_dir) if last_good else "") + own


def _figures(entry: dict) -> dict:
    """The figures a row shows: a failed rerun's are those of its last good report."""
    last_good = entry.get("last_good") if entry["status"] == "failed" else None
    return (last_good or entry).get("figures") or {}


def compared_year(entry: dict, totals: dict[str, dict[int, float]]) -> int | None:
    """The year a report's change is from: `previous_year` of its figures when the report records it,
    else the latest earlier year of the same agency in the manifest whose total differs from this one
    by exactly the change (to the hundredth). None when unknown."""
    figures = _figures(entry)
    change, total = _number(figures.get("change")), _number(figures.get("total"))
    if change is None:
        return None
    if isinstance(figures.get("previous_year"), int):
        return figures["previous_year"]
    year, history = int(entry["fiscal_year"]), totals.get(str(entry["org"]), {})
    before = max((y for y in history if y < year), default=None)
    if total is not None and before is not None and round(total - history[before], 2) == round(change, 2):
        return before
    return None


def _change_cell(entry: dict, totals: dict[str, dict[int, float]]) -> str:
    """The change; from a year that is not the one before, which year (e.g. +1.20 จากปี 2564)."""
    text = change_text(_figures(entry).get("change"))
    since = compared_year(entry, totals)
    if since is not None and since != int(entry["fiscal_year"]) - 1:
        text += f" <span class='since'>จากปี {since}</span>"
    return text


# The documents of an agency-year, as a row of the index names them when it has more than one.
DOCUMENT_NAMES = {"measures": "การวิเคราะห์และมาตรการ", "progress": "รายงานผลการดำเนินการ",
                  "group": "รายงานผลของกลุ่มหน่วยงาน"}


def document_of(entry: dict) -> str:
    return entry.get("document") or "measures"


def progress_text(figures: dict | None) -> str:
    """An implementation report's figures, e.g. รอบ 6 เดือน: ดำเนินการแล้ว 1 จาก 18 ขั้นตอน, ยังไม่รายงาน 16."""
    if not figures or _number(figures.get("steps")) is None:
        return ""
    text = f"รอบ {count_text(figures.get('round'))} เดือน: ดำเนินการแล้ว {count_text(figures.get('done'))} จาก " \
           f"{count_text(figures.get('steps'))} ขั้นตอน"
    return text + (f", ยังไม่รายงาน {count_text(figures['not_reported'])}" if figures.get("not_reported") else "")


def group_text(figures: dict | None) -> str:
    """A group report's figures, e.g. ผ่านเกณฑ์ 16 จาก 30 หน่วยงาน, ใกล้เกณฑ์ 3, ระดับลดลง 3, ถูกปรับลดระดับ 1."""
    if not figures or _number(figures.get("agencies")) is None:
        return ""
    return (f"ผ่านเกณฑ์ {count_text(figures.get('passing'))} จาก {count_text(figures.get('agencies'))} หน่วยงาน, "
            f"ใกล้เกณฑ์ {count_text(figures.get('near_misses'))}, ระดับลดลง {count_text(figures.get('tier_drops'))}, "
            f"ถูกปรับลดระดับ {count_text(figures.get('floor_downgrades'))}")


def _row(group: list[dict], out_dir: Path, folded: dict[str, int], totals: dict[str, dict[int, float]]) -> str:
    """One agency-year: agency, total, rating, change, weak indicators (of its measures report), then the
    status and files of each of its documents, named when there is more than the measures report. A failed
    rerun shows the figures and files of the last report that succeeded, when there is one."""
    main = next((entry for entry in group if document_of(entry) == "measures"), None)
    figures = _figures(main) if main else {}
    named = len(group) > 1 or main is None
    statuses, files = [], []
    for entry in group:
        last_good = entry.get("last_good") if entry["status"] == "failed" else None
        name = f"<div class='document'>{DOCUMENT_NAMES.get(document_of(entry), UNKNOWN)}</div>" if named else ""
        about = {"progress": progress_text, "group": group_text}.get(document_of(entry), lambda _f: "")(
            _figures(entry))
        statuses.append(name + _status_cell(entry, last_good, out_dir, folded)
                        + (f"<div class='steps'>{nh3.clean_text(about)}</div>" if about else ""))
        files.append(name + _files_cell(entry, last_good, out_dir))
    cells = (
        nh3.clean_text(str(group[0]["org"])), score_text(figures.get("total")), _text(figures.get("rating")),
        _change_cell(main, totals) if main else UNKNOWN, count_text(figures.get("weak")),
        "".join(statuses), "".join(files),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>\n"


def agency_years(entries: list[dict]) -> list[list[dict]]:
    """A year's reports (in agency order) grouped by agency: the documents of an agency-year together,
    the measures report first."""
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(str(entry["org"]), []).append(entry)
    return [sorted(group, key=lambda entry: document_of(entry) != "measures") for group in groups.values()]


def _by_year(manifest: dict) -> list[tuple[int, list[dict]]]:
    """The reports grouped by fiscal year, newest first, each year's agencies in Thai dictionary order."""
    years: dict[int, list[dict]] = defaultdict(list)
    for entry in manifest["reports"].values():
        years[int(entry["fiscal_year"])].append(entry)
    return [(year, sorted(years[year], key=lambda entry: thai_sort_key(str(entry["org"]))))
            for year in sorted(years, reverse=True)]


def shared_notes(entries: list[dict]) -> dict[str, int]:
    """The warning codes that at least two reports and at least half of a year's reports share, numbered
    from 1, most frequent first: listed once for the year, a row shows only their numbers."""
    counts = Counter(code for entry in entries for code in dict.fromkeys(entry.get("warnings") or []))
    common = [code for code, count in counts.most_common() if count >= 2 and 2 * count >= len(entries)]
    return {code: number for number, code in enumerate(common, 1)}


def passing_counts(entries: list[dict]) -> tuple[int, int]:
    """How many of a year's reports pass (`passing`) and how many have figures to tell."""
    known = [verdict for verdict in (passing(_figures(entry)) for entry in entries) if verdict is not None]
    return sum(known), len(known)


def passing_text(entries: list[dict]) -> str:
    """E.g. ผ่านเกณฑ์ 2 จาก 3 หน่วยงานที่มีผลคะแนน (66.7%)."""
    passed, known = passing_counts(entries)
    if not known:
        return "ยังไม่มีผลคะแนน"
    return f"ผ่านเกณฑ์ {passed:,} จาก {known:,} หน่วยงานที่มีผลคะแนน ({100 * passed / known:.1f}%)"


def _notes_list(year: int, entries: list[dict], folded: dict[str, int]) -> str:
    if not folded:
        return ""
    counts = Counter(code for entry in entries for code in dict.fromkeys(entry.get("warnings") or []))
    items = "".join(f"<li>({number}) {nh3.clean_text(warning_reason(code))}: {counts[code]:,} รายงาน</li>"
                    for code, number in folded.items())
    return f"<ul class='notes'>{items}</ul>\n"


def _section(year: int, entries: list[dict], out_dir: Path, totals: dict[str, dict[int, float]]) -> str:
    """A year's reports, in tables of CHUNK rows: a browser lays out only the ones in view."""
    head = "<table><thead><tr>" + "".join(f"<th>{column}</th>" for column in COLUMNS) + "</tr></thead><tbody>\n"
    folded = shared_notes(entries)
    rows = [_row(group, out_dir, folded, totals) for group in agency_years(entries)]
    tables = "".join(f"<div class='chunk'>{head}{''.join(rows[start:start + CHUNK])}</tbody></table></div>\n"
                     for start in range(0, len(rows), CHUNK))
    return (f"<section id='y{year}'><h2>ปีงบประมาณ {year}</h2>\n"
            f"<p class='counts'>{_counts_text(_counts(entries))}</p>\n"
            f"<p class='passing'>{passing_text(entries)}</p>\n{_notes_list(year, entries, folded)}{tables}</section>\n")


# Filters rows by agency name as the user types; shows the filter only when it can run.
SCRIPT = """(() => {
""" + FOLD_SCRIPT + """
  const box = document.getElementById("filter"), found = document.getElementById("found");
  let rows = null, frame = 0;
  document.querySelector(".filter").hidden = false;
  box.addEventListener("input", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      rows ??= Array.from(document.querySelectorAll("tbody tr"), row => [row, ...fold(row.cells[0].textContent)]);
      const term = box.value.trim(), [plain, expanded] = fold(term);
      let count = 0;
      for (const [row, namePlain, nameExpanded] of rows) {
        const match = namePlain.includes(plain) || nameExpanded.includes(expanded);
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
    ".document { font-weight: bold; margin-top: .2em; } .steps { color: #245; font-size: .9em; }",
    ".last-good { color: #245; font-size: .9em; } .stale { color: #a00; font-weight: bold; font-size: .9em; }"
    " .counts, .passing { color: #333; margin: .2em 0; }",
    ".notes { color: #8a5a00; margin: .2em 0; padding-left: 1.2em; } .since { font-size: .85em; color: #555; }",
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


def _gone_section(entries: list[dict], out_dir: Path) -> str:
    """Reports of agency-years the data no longer has (an agency renamed or removed): listed apart with
    their files, never counted or shown with the current results."""
    if not entries:
        return ""
    ordered = sorted(entries, key=lambda entry: (-int(entry["fiscal_year"]), thai_sort_key(str(entry["org"]))))
    items = "".join(f"<li>{int(entry['fiscal_year'])} {_text(entry['org'])} "
                    f"{_links(entry.get('outputs') or {}, out_dir)}</li>" for entry in ordered)
    return ("<section id='gone'><h2>รายงานของหน่วยงานที่ไม่มีในข้อมูลชุดปัจจุบันแล้ว</h2>\n<p>หน่วยงานเปลี่ยนชื่อหรือไม่อยู่ในข้อมูล"
            f"แล้ว ไฟล์เดิมยังเก็บไว้ แต่ไม่นับรวมในผลข้างต้น</p>\n<ul class='gone'>{items}</ul></section>\n")


def index_html(out_dir: Path, manifest: dict) -> str:
    gone = [entry for entry in manifest["reports"].values() if entry.get("gone")]
    manifest = manifest | {"reports": {key: entry for key, entry in manifest["reports"].items()
                                       if not entry.get("gone")}}
    groups = _by_year(manifest)
    totals: dict[str, dict[int, float]] = defaultdict(dict)  # agency -> year -> total, for compared_year
    for entry in manifest["reports"].values():
        if (total := _number(_figures(entry).get("total"))) is not None:
            totals[str(entry["org"])][int(entry["fiscal_year"])] = total
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
{''.join(_section(year, entries, out_dir, totals) for year, entries in groups)}
{_gone_section(gone, out_dir)}<p>ปรับปรุงเมื่อ {generated_at()}</p>
<script>{SCRIPT}</script></body></html>
"""


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write OUT/index.html whole or not at all (a temporary file, then renamed)."""
    out_dir = Path(out_dir)
    path = out_dir / "index.html"
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # two runs on one folder never share it
    write_named(tmp, index_html(out_dir, manifest).encode("utf-8"))
    os.replace(tmp, path)
    return path
