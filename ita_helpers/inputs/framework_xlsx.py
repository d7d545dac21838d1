"""A data folder's own assessment framework, as an Excel workbook (`เกณฑ์การประเมิน.xlsx`): how an agency
states its year's framework without YAML (`ita template framework` writes the form).

One sheet per fiscal year, named the year (2570). Under the instructions, sections each start with their
title in column A (the titles below), then a header row, then one row per item:

    คะแนนผ่าน                     the pass mark, in column B of the title's own row
    เครื่องมือและน้ำหนัก           tool | weight in % of the total | English name (optional)
    ตัวชี้วัด                       number | tool | Thai name | weight in % of the total (blank: the tool's
                                   weight split equally) | English name (optional)
    ระดับผลการประเมิน              rating | lowest total | lowest score of every tool (blank: none) |
                                   English name (optional)
    แหล่งที่มาของเกณฑ์             one source a row, in column A

Each sheet becomes the raw year entry `domain.methodology.read_year` reads from YAML, and is checked by
the methodology's own `shape_rules`, each problem placed at its sheet, row and column. The folder's years
override those of its methodology (`methodology.with_years`; `DataFolder.methodology`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.thai import to_arabic_digits
from ..domain.methodology import STATED_BY_AGENCY, Methodology, YearMethod, read_year, shape_rules
from .loaders import cell_text
from .measures_xlsx import BOX, FILL_IN, GIVEN, HEADER, THAI_FONT, WRAP, open_workbook, save_as_text, sheet_file
from .sources import FRAMEWORK_WORKBOOK

PASS = "คะแนนผ่าน"
TOOLS = "เครื่องมือและน้ำหนัก"
INDICATORS = "ตัวชี้วัด"
TIERS = "ระดับผลการประเมิน"
SOURCES = "แหล่งที่มาของเกณฑ์"
# each section's header row, as the form writes it (the reader goes by column, the header is skipped)
HEADERS = {
    TOOLS: ("เครื่องมือ", "น้ำหนัก (ร้อยละ)", "ชื่อภาษาอังกฤษ (ถ้ามี)"),
    INDICATORS: ("ตัวชี้วัดที่", "เครื่องมือ", "ชื่อตัวชี้วัด", "น้ำหนัก (ร้อยละของคะแนนรวม)", "ชื่อภาษาอังกฤษ (ถ้ามี)"),
    TIERS: ("ระดับ", "คะแนนรวมขั้นต่ำ", "คะแนนขั้นต่ำของทุกเครื่องมือ (ถ้ามี)", "ชื่อภาษาอังกฤษ (ถ้ามี)"),
    SOURCES: ("แหล่งที่มา",),
}
SOURCE_ROWS = 3  # blank source rows the form offers


@dataclass
class _Sheet:
    """One year's sheet as read: each section's rows (row number, cell values), problems found so far."""

    where: str
    pass_row: int | None = None
    pass_mark: object = None
    rows: dict[str, list[tuple[int, tuple]]] = field(default_factory=lambda: {s: [] for s in HEADERS})
    titles: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def bad(self, row: int, section: str, column: int, rule: str, value: object = None) -> None:
        header = HEADERS[section][column] if section in HEADERS else section
        self.problems.append(Problem(self.where, rule, row, header, value))


def _number(value: object) -> float | None | str:
    """A cell's number (Thai digits, commas and a % sign allowed); None when blank; its text when not a number."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    text = to_arabic_digits(cell_text(value)).replace(",", "").removesuffix("%").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return cell_text(value)


def _shown(cell) -> object:
    """A cell as Excel shows it: a weight typed as 20% (kept as 0.2) reads "20%", which `_number` takes as 20."""
    value = cell.value
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return cell_text(value, cell.number_format or "General") if number else value


def _read_sheet(sheet: Worksheet, where: str) -> _Sheet:
    read = _Sheet(where)
    section = None
    for number, row in enumerate(sheet.iter_rows(max_col=5), start=1):
        values = [_shown(cell) for cell in row]
        cells = tuple(values) + (None,) * (5 - len(values))
        first = " ".join(cell_text(cells[0]).split())
        if first == PASS:
            read.pass_row, read.pass_mark, section = number, cells[1], None
        elif first in HEADERS:
            read.titles[first], section = number, first
        elif section is not None and any(cell_text(c) for c in cells) and first != HEADERS[section][0]:
            read.rows[section].append((number, cells))
    return read


def _required(read: _Sheet, row: int, section: str, column: int, value: object, number: bool = False):
    """A cell that must hold text (or a number): its value, or None with the problem noted."""
    if number:
        parsed = _number(value)
        if isinstance(parsed, float):
            return parsed
        read.bad(row, section, column, _("not a number") if parsed else _("required: fill in this cell"), value)
        return None
    text = " ".join(cell_text(value).split())
    if not text:
        read.bad(row, section, column, _("required: fill in this cell"))
    return text or None


def _optional_number(read: _Sheet, row: int, section: str, column: int, value: object) -> float | None:
    parsed = _number(value)
    if isinstance(parsed, str):
        read.bad(row, section, column, _("not a number"), value)
        return None
    return parsed


def _raw_year(read: _Sheet, year: int, name: str) -> dict:
    """The sheet as a YAML year entry (weights as shares of 1); cell problems noted in `read`."""
    if read.pass_row is None:
        read.problems.append(Problem(read.where, _("the row {label} is missing").format(label=repr(PASS))))
    pass_mark = _required(read, read.pass_row, PASS, 1, read.pass_mark, True) if read.pass_row else None
    for section in (TOOLS, INDICATORS, TIERS):
        if not read.rows[section]:
            read.problems.append(Problem(read.where, _("the section {title} has no rows").format(title=repr(section)),
                                         read.titles.get(section)))
    tools = []
    for row, c in read.rows[TOOLS]:
        code, weight = _required(read, row, TOOLS, 0, c[0]), _required(read, row, TOOLS, 1, c[1], True)
        tools.append({"code": code, "weight": None if weight is None else weight / 100})
    indicators = []
    for row, c in read.rows[INDICATORS]:
        number = _required(read, row, INDICATORS, 0, c[0], True)
        if number is not None and number != int(number):
            read.bad(row, INDICATORS, 0, _("not a whole number"), c[0])
        weight = _optional_number(read, row, INDICATORS, 3, c[3])
        name_th = _required(read, row, INDICATORS, 2, c[2])
        indicators.append({"number": None if number is None else int(number),
                           "tool": _required(read, row, INDICATORS, 1, c[1]), "name_th": name_th,
                           "name_en": " ".join(cell_text(c[4]).split()) or name_th,
                           "weight": None if weight is None else weight / 100})
    bands = []
    for row, c in read.rows[TIERS]:
        bands.append({"label": _required(read, row, TIERS, 0, c[0]), "min": _required(read, row, TIERS, 1, c[1], True),
                      "tool_floor": _optional_number(read, row, TIERS, 2, c[2]),
                      "label_en": " ".join(cell_text(c[3]).split()) or None})
    letters = all(str(b["label"] or "").isascii() for b in bands)
    sources = [" ".join(cell_text(c[0]).split()) for _row, c in read.rows[SOURCES]]
    stated = _("[AGENCY] stated by the agency in {file}, sheet {sheet}").format(file=name, sheet=year)
    return {"pass_mark": pass_mark, "weights_status": STATED_BY_AGENCY, "tools": tools, "indicators": indicators,
            "rating": {"scheme": "letter_bands" if letters else "tiers", "bands": bands},
            "sources": [stated, *(s for s in sources if s)]}


def _place(read: _Sheet, raw: dict, where: tuple) -> tuple[int | None, str | None]:
    """The sheet's row and column a `shape_rules` place points at."""
    tools, indicators, bands = read.rows[TOOLS], read.rows[INDICATORS], read.rows[TIERS]

    def column(section: str, index: int) -> str:
        return HEADERS[section][index]

    kind, key = where[0], where[1] if len(where) > 1 else None
    if kind == "weights":
        for (row, _c), tool in zip(tools, raw["tools"]):
            if not 0 <= tool["weight"] <= 1:
                return row, column(TOOLS, 1)
        for (row, _c), ind in zip(indicators, raw["indicators"]):
            if ind["weight"] is not None and not 0 <= ind["weight"] <= 1:
                return row, column(INDICATORS, 3)
    if kind == "marks":
        if not 0 <= raw["pass_mark"] <= 100:
            return read.pass_row, PASS
        return next(((row, column(TIERS, 1)) for (row, _c), b in zip(bands, raw["rating"]["bands"])
                     if not 0 <= b["min"] <= 100), (read.titles.get(TIERS), None))
    if kind == "tools" and tools:
        return tools[-1][0], column(TOOLS, 1)
    if kind in ("indicator", "indicator_tool"):
        rows = [row for (row, _c), ind in zip(indicators, raw["indicators"]) if ind["number"] == key]
        return rows[-1], column(INDICATORS, 0 if kind == "indicator" else 1)
    if kind == "tool_indicators":
        rows = [row for (row, _c), ind in zip(indicators, raw["indicators"]) if ind["tool"] == key]
        return rows[0], column(INDICATORS, 3)
    if kind == "tool":
        rows = [row for (row, _c), tool in zip(tools, raw["tools"]) if tool["code"] == key]
        return (rows[0], column(TOOLS, 0)) if rows else (None, None)
    return None, None


def sheet_year(title: str) -> int | None:
    """The fiscal year a sheet's name gives (2570 or ๒๕๗๐), else None."""
    text = to_arabic_digits(title).strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def read_framework(path: Path) -> dict[int, dict]:
    """Fiscal year -> its raw methodology entry, for every sheet of the workbook; every problem of every
    sheet raised at once, each with its sheet, row and column."""
    name = str(path)
    workbook = open_workbook(Path(path), name)
    years: dict[int, dict] = {}
    problems: list[Problem] = []
    for sheet in workbook.worksheets:
        where = sheet_file(name, sheet)
        year = sheet_year(sheet.title)
        if year is None:
            problems.append(Problem(where, _("name the sheet with the fiscal year it states, e.g. 2570")))
            continue
        if year in years:
            problems.append(Problem(where, _("a second sheet of fiscal year {year}").format(year=year)))
            continue
        read = _read_sheet(sheet, where)
        raw = _raw_year(read, year, Path(path).name)
        if not read.problems:
            for rule, place in shape_rules(read_year(year, raw), whole=100):
                row, column = _place(read, raw, place)
                read.problems.append(Problem(where, rule, row, column))
        problems += read.problems
        years[year] = raw
    if problems:
        raise ITADataError(problems)
    return years


# --- writing -----------------------------------------------------------------------------------------

def _instructions(year: int, base: YearMethod) -> list[str]:
    return [
        f"เกณฑ์การประเมิน ITA ของปีงบประมาณ พ.ศ. {year}",
        f"ค่าที่กรอกไว้ให้คัดลอกจากเกณฑ์ของปีงบประมาณ พ.ศ. {base.framework_year} โปรดตรวจกับคู่มือการประเมินของ"
        "สำนักงาน ป.ป.ช. ของปีนี้ แล้วแก้ไขเฉพาะช่องสีเหลือง ช่องสีเทาและสีฟ้าเป็นชื่อหัวข้อ ห้ามแก้ไข",
        "น้ำหนักกรอกเป็นร้อยละของคะแนนรวม น้ำหนักของเครื่องมือทุกตัวต้องรวมกันได้ 100 "
        "น้ำหนักของตัวชี้วัดเว้นว่างได้ (แบ่งน้ำหนักของเครื่องมือให้ตัวชี้วัดของเครื่องมือนั้นเท่า ๆ กัน) "
        "ถ้ากรอกต้องกรอกทุกตัวของเครื่องมือนั้น และต้องรวมกันเท่ากับน้ำหนักของเครื่องมือ",
        "ระดับผลการประเมิน: หน่วยงานได้ระดับสูงสุดที่คะแนนรวมถึงคะแนนขั้นต่ำ และคะแนนทุกเครื่องมือถึงคะแนนขั้นต่ำ"
        "ของทุกเครื่องมือ (ถ้ามี) ระบุแหล่งที่มาของเกณฑ์ทุกข้อ เช่น ชื่อคู่มือและหน้า",
        "ไฟล์นี้อยู่ในโฟลเดอร์ข้อมูล เกณฑ์ของปีที่มีแผ่นงานในไฟล์นี้ใช้แทนเกณฑ์ที่มากับโปรแกรม "
        "ตรวจด้วยคำสั่ง ita validate ปัญหาที่พบจะบอกแผ่นงาน แถว และคอลัมน์",
    ]


def _put(sheet: Worksheet, row: int, column: int, value: object, fill=None, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = Font(name=THAI_FONT, size=14, bold=bold)
    cell.alignment = WRAP
    if fill is not None:
        cell.fill, cell.border = fill, BOX


def _weight(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 9)


def _section(sheet: Worksheet, row: int, title: str, items: list[tuple], numbers: DataValidation | None = None,
             numeric: tuple[int, ...] = ()) -> int:
    """A section's title, header and rows (yellow), the `numeric` columns checked by Excel as `numbers`;
    returns the next free row, one blank row after."""
    _put(sheet, row, 1, title, GIVEN, bold=True)
    for column, header in enumerate(HEADERS[title], start=1):
        _put(sheet, row + 1, column, header, HEADER, bold=True)
    for offset, item in enumerate(items, start=row + 2):
        for column, value in enumerate(item, start=1):
            _put(sheet, offset, column, value, FILL_IN)
    if numbers is not None and items:
        for column in numeric:
            letter = get_column_letter(column)
            numbers.add(f"{letter}{row + 2}:{letter}{row + 1 + len(items)}")
    return row + 2 + len(items) + 1


def write_year_sheet(workbook: openpyxl.Workbook, year: int, base: YearMethod) -> None:
    """Add the sheet of `year` to `workbook`, filled in from the framework `base`."""
    sheet = workbook.create_sheet(str(year))
    for column, width in zip("ABCDE", (34, 18, 48, 26, 36)):
        sheet.column_dimensions[column].width = width
    lines = _instructions(year, base)
    for row, text in enumerate(lines, start=1):
        _put(sheet, row, 1, text, bold=row == 1)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.row_dimensions[row].height = 22 if row == 1 else 44
    numbers = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                             showErrorMessage=True, errorTitle="ตัวเลข", error="กรอกตัวเลขตั้งแต่ 0 ถึง 100")
    sheet.add_data_validation(numbers)
    row = len(lines) + 2
    _put(sheet, row, 1, PASS, GIVEN, bold=True)
    _put(sheet, row, 2, base.pass_mark, FILL_IN)
    numbers.add(f"B{row}")
    row += 2
    row = _section(sheet, row, TOOLS, [(tool, _weight(weight), None) for tool, weight in base.tool_weights.items()],
                   numbers, (2,))
    row = _section(sheet, row, INDICATORS, [(i.number, i.tool, i.name_th, _weight(i.weight), i.name_en)
                                            for i in base.indicators], numbers, (4,))
    row = _section(sheet, row, TIERS, [(b.label, b.min, b.tool_floor, b.label_en) for b in base.bands],
                   numbers, (2, 3))
    _section(sheet, row, SOURCES, [(None,)] * SOURCE_ROWS)


def framework_template(folder: Path, year: int, methodology: Methodology, base_year: int | None = None) -> Path:
    """Add a sheet of `year` to the folder's framework workbook (made when absent), filled in from the
    framework of `base_year` (default: the latest known); a year the workbook has already is refused."""
    path = Path(folder) / FRAMEWORK_WORKBOOK
    base_year = methodology.latest_year if base_year is None else base_year
    if base_year not in methodology.years:
        known = ", ".join(str(y) for y in sorted(methodology.years))
        raise ITADataError(Problem(methodology.source, _("no framework of fiscal year {year} to start from; known "
                                                         "years: {known}").format(year=base_year, known=known)))
    if path.exists():
        workbook = open_workbook(path, str(path))
        if any(sheet_year(sheet.title) == year for sheet in workbook.worksheets):
            raise ITADataError(Problem(str(path), _("already has a sheet of fiscal year {year}: nothing was written "
                                                    "(edit that sheet)").format(year=year)))
    else:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
    write_year_sheet(workbook, year, methodology.years[base_year])
    path.parent.mkdir(parents=True, exist_ok=True)
    save_as_text(workbook, path)
    return path
