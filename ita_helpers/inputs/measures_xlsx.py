"""Measures as an Excel workbook, the way civil servants write them: read into a `measures_draft.Draft` (the
rules of `measures.plan_of` apply, as to YAML), and written, as the templates of `ita init` and `ita
template measures` and as the Excel form of any MeasurePlan.

The workbook: a sheet `มาตรการ` with a small header block (a label, then its value in the next cell to
the right: หน่วยงานที่จัดทำ, หน่วยงานที่ได้รับการประเมิน, ปีงบประมาณของผลการประเมิน,
ปีงบประมาณของมาตรการ, optionally แหล่งที่มา) above the action table, whose header row names its
columns ตัวชี้วัดที่ | ประเด็นที่ต้องพัฒนา | มาตรการ | ผู้รับผิดชอบ | ขั้นตอนการดำเนินการ (the
published document's own headings ประเด็น, วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ and
ขั้นตอนหรือวิธีปฏิบัติ are read too, as are the YAML keys); one row per issue, several measures or steps
in one cell one per line; a row with neither indicator nor issue goes on with the issue above (as under
merged cells); a row repeating the header is skipped. The published table pasted from Word into Excel, with
no label cells and no indicator column (ประเด็น | วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ | ผู้รับผิดชอบ |
ขั้นตอนหรือวิธีปฏิบัติ), is read too: what it leaves out comes from its folder (`measures.Context`) and
each issue's indicators from its own words (`measures_words`).
A sheet `ข้อจำกัด` lists constraints in its first column, one per row. Other columns
and sheets (the score shown for reference, the instructions) are not read.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.paths import special_file, special_file_problem
from ..core.thai import LOWEST_BE_YEAR
from ..domain.methodology import YearMethod
from .loaders import cell_text
from .measures_draft import (
    HEADER_LABELS,
    ISSUE_LABELS,
    LIST_LABELS,
    OPTIONAL_ISSUE_KEYS,
    Cell,
    Draft,
    Found,
    IssueDraft,
    IssueGroup,
    MeasurePlan,
    Place,
    label_key,
)

SHEET_MEASURES = "มาตรการ"
SHEET_CONSTRAINTS = "ข้อจำกัด"
SHEET_HELP = "คำแนะนำ"
MAX_BYTES = 5_000_000  # a measures workbook is tens of kilobytes
MAX_UNPACKED = 50_000_000  # its XML, unzipped: a zip bomb is refused before openpyxl reads it
FORMULA = re.compile(rb"<f[ >/]")  # a formula cell in a sheet's XML
SEARCHED_ROWS = 60  # the table's header row is looked for in the first rows of each sheet
TABLE_KEYS = tuple(ISSUE_LABELS)
# what a row without indicator and issue adds to the one above
CONTINUED = ("measures", "responsible", "steps", "questions")

FILL_IN = PatternFill("solid", start_color="FFF2CC")  # the cells a user fills in
GIVEN = PatternFill("solid", start_color="EDEDED")  # shown for reference, not read
HEADER = PatternFill("solid", start_color="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
THAI_FONT = "TH Sarabun New"


# --- reading -----------------------------------------------------------------------------------------

def open_workbook(path: Path, name: str) -> openpyxl.Workbook:
    """The workbook, its values as last saved; refused when it is too large, not a workbook, or damaged, and
    when it is a pipe or a device (opening one may wait for ever or never end)."""
    if special_file(path):
        raise ITADataError(special_file_problem(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ITADataError(Problem(name, _("the workbook is {size:,} bytes; a measures workbook may be at most "
                                           "{limit:,} bytes (is it the right file?)").format(size=size,
                                                                                             limit=MAX_BYTES)))
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            formulas = unpacked <= MAX_UNPACKED and any(
                FORMULA.search(archive.read(item)) for item in archive.namelist() if item.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, zlib.error, OSError):
        raise ITADataError(Problem(name, _("not an Excel workbook (.xlsx), or a damaged one: open it in Excel and "
                                           "save it again as 'Excel Workbook (.xlsx)'"))) from None
    if unpacked > MAX_UNPACKED:
        raise ITADataError(Problem(name, _("the workbook unpacks to {size:,} bytes; it is refused").format(
            size=unpacked)))
    workbook = _load(path, name, data_only=True)
    if formulas:
        _refuse_unsaved_formulas(workbook, _load(path, name, data_only=False), name)
    for sheet in workbook.worksheets:
        _drop_empty_cells(sheet)
    return workbook


def _load(path: Path, name: str, data_only: bool) -> openpyxl.Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on extensions it does not read
            return openpyxl.load_workbook(path, data_only=data_only)
    except Exception as err:  # noqa: BLE001 - whatever openpyxl raises on a damaged workbook
        raise ITADataError(Problem(name, _("cannot read the workbook ({error}): open it in Excel and save it "
                                           "again as 'Excel Workbook (.xlsx)'").format(error=type(err).__name__))
                           ) from None


def _refuse_unsaved_formulas(values: openpyxl.Workbook, written: openpyxl.Workbook, name: str) -> None:
    """A formula whose value was never saved reads as an empty cell (an issue's cell empty makes its row part of
    the issue above): refused with the cells named, as the file must be calculated and saved first."""
    problems = [
        Problem(sheet_file(name, sheet), _("a formula whose value was never saved (the file was written by a "
                                           "program that does not calculate): open it in Excel and save it, or "
                                           "type the value"), row, get_column_letter(column), cell.value)
        for sheet in written.worksheets
        for (row, column), cell in sorted(sheet._cells.items())  # the cells written, not the sheet's declared size
        if cell.data_type == "f" and values[sheet.title].cell(row=row, column=column).value is None]
    if problems:
        raise ITADataError(problems)


def _drop_empty_cells(sheet: Worksheet) -> None:
    """Forget cells that are only formatted: a sheet's size (max_row, max_column, what iter_rows pads to) is then
    that of its values, whatever column or row a format reaches (XFD, row 1,048,576)."""
    for key in [key for key, cell in sheet._cells.items() if cell.value is None]:
        del sheet._cells[key]


def note(text: str) -> Comment:
    """A cell comment wide enough for a Thai sentence."""
    comment = Comment(text, "ita")
    comment.width, comment.height = 320, 90
    return comment


def labelled_cell(sheet, row: int, label: str, value: object, hint: str,
                  years: DataValidation | None = None) -> object:
    """A label in column B and its yellow input cell in C, with the hint as a note; a year cell is checked
    by `years`. The cell, for further checks."""
    sheet.cell(row=row, column=2, value=label).font = Font(name=THAI_FONT, size=14, bold=True)
    cell = sheet.cell(row=row, column=3, value=value)
    cell.fill, cell.border, cell.font = FILL_IN, BOX, Font(name=THAI_FONT, size=14)
    cell.alignment = Alignment(horizontal="left")
    cell.comment = note(hint)
    if years is not None:
        cell.number_format = "0"
        years.add(cell.coordinate)
    return cell


def sheet_file(name: str, sheet: Worksheet) -> str:
    return _("{file}, sheet {sheet}").format(file=name, sheet=repr(sheet.title))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Table:
    sheet: Worksheet
    header_row: int
    columns: dict[str, tuple[int, str]]  # key -> (1-based column, header as written)
    twice: tuple[tuple[int, str], ...]  # headers that name a column already named


def find_table(workbook: openpyxl.Workbook) -> Table | None:
    """The first sheet row, in sheet order, that names the measures column and two more of the table's."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, SEARCHED_ROWS)):
            columns: dict[str, tuple[int, str]] = {}
            twice = []
            for cell in row:
                key = label_key(cell.value, ISSUE_LABELS) if isinstance(cell.value, str) else None
                if key in columns:
                    twice.append((cell.column, cell_text(cell.value)))
                elif key:
                    columns[key] = (cell.column, " ".join(cell_text(cell.value).split()))
            if "measures" in columns and len(columns) >= 3:
                return Table(sheet, row[0].row, columns, tuple(twice))
    return None


def read_workbook(path: Path, name: str) -> Draft:
    """A measures workbook as a draft; a workbook that cannot be opened raises ITADataError."""
    workbook = open_workbook(path, name)
    draft = Draft(name, "xlsx")
    table = find_table(workbook)
    sheet = table.sheet if table else (workbook[SHEET_MEASURES] if SHEET_MEASURES in workbook.sheetnames
                                       else workbook.worksheets[0])
    where, sheet_at = sheet_file(name, sheet), workbook.worksheets.index(sheet)
    _read_header_block(sheet, table.header_row - 1 if table else min(sheet.max_row, SEARCHED_ROWS), where, sheet_at,
                       draft)
    if table is None:
        expected = " | ".join(labels[0] for labels in ISSUE_LABELS.values())
        draft.problems.append(Problem(name, _("no sheet holds the action table: a row whose cells read {columns}, "
                                              "with the issues in the rows below it").format(columns=expected)))
    else:
        draft.issues = _read_issues(table, where, draft.problems, sheet_at)
    _read_constraints(workbook, name, draft)
    return draft


def _read_header_block(sheet: Worksheet, last_row: int, where: str, sheet_at: int, draft: Draft) -> None:
    """Rows above the table: the first non-empty cell of a row is a label, the next cell its value."""
    for row in sheet.iter_rows(min_row=1, max_row=max(last_row, 0)):
        filled = [cell for cell in row if not _blank(cell.value)]
        if not filled:
            continue
        label = filled[0]
        key = label_key(label.value, HEADER_LABELS) if isinstance(label.value, str) else None
        if key is None:
            continue  # a title or a note
        value = sheet.cell(row=label.row, column=label.column + 1)
        if key in draft.cells:
            first = draft.cells[key].place.row
            draft.problems.add(Place(where, row=label.row, column=get_column_letter(label.column), sheet=sheet_at),
                               _("{label} is given twice (rows {first} and {second})").format(
                                   label=repr(cell_text(label.value).strip()), first=first, second=label.row))
            continue
        draft.labels[key] = " ".join(cell_text(label.value).split("(")[0].split())
        draft.cells[key] = Cell(value.value, Place(where, row=value.row, column=get_column_letter(value.column),
                                                   sheet=sheet_at), cell_text(value.value))


def _read_issues(table: Table, where: str, problems: Found, sheet_at: int) -> list[IssueDraft]:
    for column, header in table.twice:
        problems.add(Place(where, row=table.header_row, column=get_column_letter(column), sheet=sheet_at),
                     _("the column {header} appears twice in the table's header row").format(header=repr(header)))
    for key in TABLE_KEYS:
        if key not in table.columns and key not in OPTIONAL_ISSUE_KEYS and not (
                key == "indicators" and "title" in table.columns):  # in its words
            problems.add(Place(where, row=table.header_row, sheet=sheet_at),
                         _("the table has no column {label}").format(label=repr(ISSUE_LABELS[key][0])))
    labels = {key: header for key, (_column, header) in table.columns.items()}
    issues: list[IssueDraft] = []
    for row in table.sheet.iter_rows(min_row=table.header_row + 1, max_row=table.sheet.max_row):
        number = row[0].row
        values = {key: (row[column - 1].value if column <= len(row) else None)
                  for key, (column, _header) in table.columns.items()}
        if all(_blank(v) for v in values.values()) or _repeats_header(values):
            continue
        cells = {key: Cell(v, Place(where, row=number, column=labels[key], sheet=sheet_at), cell_text(v))
                 for key, v in values.items() if not _blank(v)}
        if "indicators" not in cells and "title" not in cells:  # goes on with the issue above
            if not issues:
                problems.add(Place(where, row=number, sheet=sheet_at),
                             _("this row has no {indicators} and no {title}, and no issue above it to go on "
                               "with").format(indicators=repr(labels.get("indicators", ISSUE_LABELS["indicators"][0])),
                                              title=repr(labels.get("title", ISSUE_LABELS["title"][0]))))
                continue
            above = issues[-1].cells
            for key in CONTINUED:
                if key in cells:
                    before = above.get(key)
                    parts = [] if before is None else before.value if isinstance(before.value, list) else [before]
                    above[key] = Cell([*parts, cells[key]], (before or cells[key]).place,
                                      "\n".join(p.text for p in [*parts, cells[key]]))
            continue
        issues.append(IssueDraft(Place(where, row=number, sheet=sheet_at), cells, labels))
    return issues


def _repeats_header(values: dict[str, object]) -> bool:
    """A row that heads the table again: a table pasted from Word, split across pages, repeats its header."""
    return all(isinstance(v, str) and label_key(v, ISSUE_LABELS) == key
               for key, v in values.items() if not _blank(v))


def _read_constraints(workbook: openpyxl.Workbook, name: str, draft: Draft) -> None:
    """The first column of the sheet named ข้อจำกัด (or constraints), one constraint per row or per line."""
    sheet = next((s for s in workbook.worksheets if label_key(s.title, LIST_LABELS) == "constraints"), None)
    if sheet is None:
        return
    where, sheet_at = sheet_file(name, sheet), workbook.worksheets.index(sheet)
    cells = []
    for (cell,) in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=1):
        if _blank(cell.value) or (cell.row == 1 and label_key(cell.value, LIST_LABELS) == "constraints"):
            continue
        cells.append(Cell(cell.value, Place(where, row=cell.row, column="A", sheet=sheet_at), cell_text(cell.value)))
    draft.cells["constraints"] = Cell(cells, Place(where, sheet=sheet_at), "")
    draft.labels["constraints"] = sheet.title


TEMPLATE_KEYS = ("indicators", "title", "questions")  # what a template fills in before the agency writes anything


def is_blank(path: Path) -> bool:
    """A workbook still blank: its table has no issue and it lists no constraint (an `ita init` template
    nobody has filled in). A workbook that cannot be read is not blank: its problems are to be told."""
    try:
        draft = read_workbook(path, str(path))
    except Exception:  # noqa: BLE001 - unreadable: not blank, the loader tells why
        return False
    constraints = draft.cells.get("constraints")
    # `ita template measures` writes each issue's indicators and title: what the agency writes is the rest
    written = [key for issue in draft.issues or [] for key in issue.cells if key not in TEMPLATE_KEYS]
    return written == [] and (constraints is None or constraints.empty)


# --- writing -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    """The header block of a measures workbook; None leaves a cell to fill in."""

    unit: str | None
    scores_org: str | None
    results_year: int | None
    plan_year: int | None
    source: str | None = None


def write_workbook(path: Path, header: Header, issues: Sequence[IssueGroup], constraints: Sequence[str],
                   method: YearMethod, scores: dict[int, float] | None = None) -> None:
    """A measures workbook: the header block, the action table (one row per issue; `scores`, when
    given, shown beside each for reference), the constraints sheet and an instructions sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_MEASURES
    sheet.sheet_view.zoomScale = 110
    sheet["A1"] = "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
    sheet["A1"].font = Font(name=THAI_FONT, size=18, bold=True)
    sheet["A2"] = ("กรอกในช่องสีเหลือง ช่องเดียวใส่ได้หลายมาตรการหรือหลายขั้นตอน บรรทัดละหนึ่งข้อ "
                   "(กด Alt+Enter เพื่อขึ้นบรรทัดใหม่ในช่องเดียวกัน) ดูวิธีกรอกที่แผ่นงาน “คำแนะนำ”")
    sheet["A2"].font = Font(name=THAI_FONT, size=14, italic=True)
    rows = [
        ("unit", header.unit, "ชื่อหน่วยงานที่จัดทำมาตรการ จะเป็นชื่อในหัวเรื่องของรายงาน"),
        ("scores_org", header.scores_org, "ชื่อหน่วยงานที่ได้รับการประเมิน ต้องเขียนให้ตรงกับชื่อในไฟล์คะแนนทุกตัวอักษร"),
        ("results_year", header.results_year, "ปีงบประมาณ พ.ศ. ของผลการประเมิน เช่น 2566"),
        ("plan_year", header.plan_year, "ปีงบประมาณ พ.ศ. ที่จะดำเนินการตามมาตรการ เช่น 2567"),
        ("source", header.source, "ไม่บังคับ: ที่มาของมาตรการ เช่น เลขที่หนังสือ"),
    ]
    years = year_validation()
    sheet.add_data_validation(years)
    for number, (key, value, hint) in enumerate(rows, start=3):
        labelled_cell(sheet, number, HEADER_LABELS[key][0], value, hint, years if key.endswith("_year") else None)
    top = 3 + len(rows) + 1
    headings = [ISSUE_LABELS[key][0] for key in TABLE_KEYS]
    if scores is not None:
        headings.append(f"คะแนน พ.ศ. {header.results_year} (ไม่ต้องกรอก)")
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=top, column=column, value=heading)
        cell.font, cell.fill, cell.border = Font(name=THAI_FONT, size=14, bold=True), HEADER, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.cell(row=top, column=1).comment = note("หมายเลขตัวชี้วัดที่ประเด็นนี้แก้ไข เช่น 6 หรือ 1, 6, 8")
    sheet.cell(row=top, column=3).comment = note("หลายมาตรการในช่องเดียวได้ บรรทัดละหนึ่งข้อ (Alt+Enter)")
    sheet.cell(row=top, column=5).comment = note("หลายขั้นตอนในช่องเดียวได้ บรรทัดละหนึ่งข้อ (Alt+Enter)")
    for row, issue in enumerate(issues, start=top + 1):
        values = [", ".join(map(str, issue.indicators)), issue.title, "\n".join(issue.measures), issue.responsible,
                  "\n".join(issue.steps), ", ".join(issue.questions)]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value or None)
            cell.fill, cell.border, cell.alignment = FILL_IN, BOX, WRAP
            cell.font = Font(name=THAI_FONT, size=14)
        sheet.cell(row=row, column=1).number_format = "@"
        if scores is not None:
            score = scores.get(issue.indicators[0]) if issue.indicators else None
            cell = sheet.cell(row=row, column=len(TABLE_KEYS) + 1, value=score)
            cell.fill, cell.border, cell.number_format = GIVEN, BOX, "0.00"
            cell.font, cell.alignment = Font(name=THAI_FONT, size=14), WRAP
    for row in range(top + 1 + len(issues), top + 31 + len(issues)):
        sheet.cell(row=row, column=1).number_format = "@"  # Excel would read 6,7 as a number and 6-7 as a date
    sheet.cell(row=top, column=6).comment = note("ไม่บังคับ: รหัสข้อคำถามหรือรายการ OIT ที่มาตรการนี้มุ่งแก้ "
                                                 "เช่น i8, i9, O28")
    for column, width in zip("ABCDEFG", (13, 34, 60, 24, 60, 18, 14)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)

    constraints_sheet = workbook.create_sheet(SHEET_CONSTRAINTS)
    constraints_sheet["A1"] = "ข้อจำกัด (ข้อละหนึ่งแถว)"
    constraints_sheet["A1"].font, constraints_sheet["A1"].fill = Font(name=THAI_FONT, size=14, bold=True), HEADER
    constraints_sheet.column_dimensions["A"].width = 120
    for row in range(2, max(len(constraints), 5) + 2):
        text = constraints[row - 2] if row - 2 < len(constraints) else None
        cell = constraints_sheet.cell(row=row, column=1, value=text)
        cell.fill, cell.border, cell.alignment = FILL_IN, BOX, WRAP
        cell.font = Font(name=THAI_FONT, size=14)

    _instructions(workbook.create_sheet(SHEET_HELP), method)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_as_text(workbook, path)


def save_as_text(workbook: openpyxl.Workbook, path: Path) -> None:
    """Save a form: every text as the text it is, never a formula (a measure or a name written =... would be
    one the moment Excel opens the file)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    workbook.save(path)


def _instructions(sheet: Worksheet, method: YearMethod) -> None:
    lines = [
        ("วิธีกรอกแบบฟอร์มมาตรการ", True),
        ("1. แผ่นงาน “มาตรการ”: กรอกช่องสีเหลือง ช่องสีเทาเป็นข้อมูลประกอบ ไม่ต้องแก้ไข", False),
        ("2. หน่วยงานที่ได้รับการประเมิน ต้องเขียนให้ตรงกับชื่อหน่วยงานในไฟล์คะแนนทุกตัวอักษร "
         "มิฉะนั้นรายงานจะหามาตรการนี้ไม่พบ", False),
        ("3. ปีงบประมาณกรอกเป็นพุทธศักราช เช่น 2566 (ใช้เลขไทย ๒๕๖๖ ได้)", False),
        ("4. หนึ่งแถวคือหนึ่งประเด็นที่ต้องพัฒนา ช่อง “ตัวชี้วัดที่” ใส่หมายเลขตัวชี้วัดที่ประเด็นนั้นแก้ไข "
         "หลายตัวคั่นด้วยจุลภาค เช่น 1, 6, 8", False),
        ("5. ช่อง “มาตรการ” และ “ขั้นตอนการดำเนินการ” ใส่ได้หลายข้อในช่องเดียว บรรทัดละหนึ่งข้อ "
         "(กด Alt+Enter เพื่อขึ้นบรรทัดใหม่) จะมีเลขนำหน้า เช่น 1. หรือ ๑) หรือไม่มีก็ได้ รายงานจะใส่เลขให้เอง", False),
        ("6. ถ้าจะเขียนมาตรการของประเด็นเดียวกันหลายแถว ให้เว้นช่อง “ตัวชี้วัดที่” และ “ประเด็นที่ต้องพัฒนา” "
         "ของแถวถัดไปว่างไว้ (หรือผสานเซลล์) แถวนั้นจะนับรวมกับประเด็นข้างบน", False),
        ("7. ตัวชี้วัดที่ไม่ต้องการกำหนดมาตรการ ให้ลบทั้งแถวออก แถวที่มีประเด็นแต่ไม่มีมาตรการจะถูกแจ้งว่ายังกรอกไม่ครบ", False),
        ("8. แผ่นงาน “ข้อจำกัด”: ข้อจำกัดของหน่วยงาน ข้อละหนึ่งแถว (ไม่มีก็เว้นว่างไว้)", False),
        ("9. ห้ามเปลี่ยนชื่อหัวตารางและชื่อรายการในส่วนหัว โปรแกรมใช้ชื่อเหล่านี้อ่านข้อมูล", False),
        ("10. บันทึกไฟล์ไว้ในโฟลเดอร์ measures ของโฟลเดอร์ข้อมูล แล้วตรวจด้วยคำสั่ง ita validate "
         "ปัญหาที่พบจะบอกแผ่นงาน แถว และคอลัมน์", False),
        ("", False),
        (f"ตัวชี้วัดปีงบประมาณ พ.ศ. {method.fiscal_year}", True),
        *((f"{i.number}. {i.name_th} ({i.tool})", False) for i in method.indicators),
    ]
    write_guide(sheet, lines)


def year_validation() -> DataValidation:
    """Excel's check of a fiscal-year cell: a four-digit Buddhist Era year."""
    return DataValidation(type="whole", operator="between", formula1=str(LOWEST_BE_YEAR), formula2="2700",
                          allow_blank=True, showErrorMessage=True, errorTitle="ปีงบประมาณ",
                          error="กรอกปีงบประมาณเป็นพุทธศักราช 4 หลัก เช่น 2566")


def write_guide(sheet, lines: list[tuple[str, bool]]) -> None:
    """An instructions sheet: one line of Thai text a row, headings (True) larger and bold."""
    sheet.column_dimensions["A"].width = 140
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.font = Font(name=THAI_FONT, size=16 if bold else 14, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_plan(plan: MeasurePlan, path: Path, method: YearMethod) -> None:
    """A MeasurePlan as a measures workbook (which reads back as the same plan)."""
    header = Header(plan.unit, plan.scores_org, plan.results_year, plan.plan_year,
                    None if plan.source == plan.file else plan.source)
    write_workbook(path, header, plan.issues, plan.constraints, method)
