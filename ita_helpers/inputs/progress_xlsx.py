"""The progress file as an Excel workbook: written by `ita template progress` from a measures file, and read
back (or one an agency made itself with the same Thai headings) as a `progress.ProgressReport`.

The workbook: a sheet `ผลการดำเนินการ` whose table has one row per step, its columns named
ประเด็นที่ต้องพัฒนา | ตัวชี้วัดที่ | มาตรการ | ขั้นตอนการดำเนินการ | ผู้รับผิดชอบ | ระยะเวลาที่กำหนด |
สถานะ | ผลการดำเนินการ | หลักฐาน | ลิงก์หลักฐาน | ปัญหาและอุปสรรค | ข้อเสนอแนะ (a row whose issue is
empty goes on with the issue above, as under merged cells); and a sheet `รอบการรายงาน` of labels, each with
its value in the cell to its right: the agency, the years, the round (รอบ ๖ เดือน or รอบ ๑๒ เดือน), the date
of the data, and the executive's acknowledgement (name, position, date). Labels may sit on any sheet."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.thai import digits, thai_date, to_arabic_digits
from ..domain.names import clean_name
from .loaders import cell_text
from .measures import strip_marker
from .measures_draft import HEADER_LABELS, MeasurePlan, label_key
from .measures_xlsx import (
    BOX,
    FILL_IN,
    GIVEN,
    HEADER,
    SEARCHED_ROWS,
    THAI_FONT,
    WRAP,
    labelled_cell,
    note,
    open_workbook,
    save_as_text,
    sheet_file,
    write_guide,
    year_validation,
)
from .progress import (
    NOT_REPORTED,
    ROUNDS,
    STATUSES,
    Acknowledgement,
    IssueProgress,
    ProgressReport,
    StepProgress,
)

SHEET_TABLE = "ผลการดำเนินการ"
SHEET_ROUND = "รอบการรายงาน"
SHEET_HELP = "คำแนะนำ"
# Each column's key and the headings it may have (the first is the one the template writes).
TABLE_LABELS: dict[str, tuple[str, ...]] = {
    "title": ("ประเด็นที่ต้องพัฒนา", "ประเด็น"),
    "indicators": ("ตัวชี้วัดที่", "ตัวชี้วัด"),
    "measures": ("มาตรการ", "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ"),
    "step": ("ขั้นตอนการดำเนินการ", "ขั้นตอนหรือวิธีปฏิบัติ", "ขั้นตอน"),
    "responsible": ("ผู้รับผิดชอบ",),
    "period": ("ระยะเวลาที่กำหนด", "ระยะเวลาดำเนินการ", "ระยะเวลา"),
    "status": ("สถานะ", "สถานะการดำเนินการ"),
    "result": ("ผลการดำเนินการ",),
    "evidence_title": ("หลักฐาน (ชื่อเอกสาร)", "ชื่อหลักฐาน", "หลักฐานการดำเนินการ"),
    "evidence_link": ("ลิงก์หลักฐาน (URL)", "ลิงก์", "URL"),
    "problems": ("ปัญหาและอุปสรรค", "ปัญหาอุปสรรค"),
    "suggestions": ("ข้อเสนอแนะ",),
}
REQUIRED_COLUMNS = ("title", "step", "status")
GIVEN_COLUMNS = ("title", "indicators", "measures", "step")  # from the measures file, not to be edited
ROUND_LABELS: dict[str, tuple[str, ...]] = {
    "unit": HEADER_LABELS["unit"],
    "scores_org": HEADER_LABELS["scores_org"],
    "results_year": HEADER_LABELS["results_year"],
    "plan_year": HEADER_LABELS["plan_year"],
    "round": ("รอบการรายงาน", "รอบ"),
    "as_of": ("ข้อมูล ณ วันที่", "ณ วันที่"),
    "executive": ("ชื่อผู้บริหาร", "ผู้บริหาร", "ผู้บริหารที่รับทราบ"),
    "position": ("ตำแหน่ง", "ตำแหน่งผู้บริหาร"),
    "acknowledged": ("วันที่รับทราบ",),
}
LINK = re.compile(r"https?://\S+", re.IGNORECASE)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as one text: a date as Thai documents write it, lines and spaces as written but trimmed."""
    if isinstance(value, datetime | date):
        return thai_date(value, "arabic")
    return "\n".join(line.strip() for line in cell_text(value).strip().splitlines() if line.strip())


Table = tuple[Worksheet, int, dict[str, tuple[int, str]]]  # the table's sheet, header row and columns


# --- reading -----------------------------------------------------------------------------------------

def _find_table(workbook: openpyxl.Workbook) -> Table | None:
    """The first row, sheet by sheet, that names the step and status columns: its sheet, row and columns."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, SEARCHED_ROWS)):
            columns: dict[str, tuple[int, str]] = {}
            for cell in row:
                key = label_key(cell.value, TABLE_LABELS) if isinstance(cell.value, str) else None
                if key and key not in columns:
                    columns[key] = (cell.column, " ".join(cell_text(cell.value).split()))
            if "step" in columns and "status" in columns:
                return sheet, row[0].row, columns
    return None


def _labels(workbook: openpyxl.Workbook, table: Table | None) -> dict[str, tuple[object, str, int, str]]:
    """The labelled values of every sheet (on the table's sheet, above the table): key -> (value, where,
    row, column letter)."""
    found: dict[str, tuple[object, str, int, str]] = {}
    for sheet in workbook.worksheets:
        last = table[1] - 1 if table and table[0] is sheet else min(sheet.max_row, SEARCHED_ROWS)
        for row in sheet.iter_rows(min_row=1, max_row=max(last, 0)):
            filled = [cell for cell in row if not _blank(cell.value)]
            if not filled or not isinstance(filled[0].value, str):
                continue
            key = label_key(filled[0].value, ROUND_LABELS)
            if key and key not in found:
                value = sheet.cell(row=filled[0].row, column=filled[0].column + 1)
                found[key] = (value.value, sheet_file("", sheet), value.row, get_column_letter(value.column))
    return found


def _months(value: object) -> int | None:
    number = re.search(r"\d+", to_arabic_digits(cell_text(value)))
    return int(number.group()) if number and int(number.group()) in ROUNDS else None


def _year(value: object) -> int | None:
    number = re.fullmatch(r"(?:พ\.\s?ศ\.\s*)?(\d{4})(?:\.0+)?", to_arabic_digits(cell_text(value)).strip())
    return int(number.group(1)) if number else None


def header_of(path: Path) -> tuple[str | None, int | None, int | None]:
    """A progress file's agency, results year and round, as far as they can be read (None where not)."""
    try:
        workbook = open_workbook(path, str(path))
        labels = _labels(workbook, _find_table(workbook))
    except Exception:  # noqa: BLE001 - a file too damaged to read names nothing; its report tells why
        return None, None, None
    org = clean_name(_text(labels["scores_org"][0])) if "scores_org" in labels else ""
    return (org or None, _year(labels["results_year"][0]) if "results_year" in labels else None,
            _months(labels["round"][0]) if "round" in labels else None)


def read_progress(path: Path | str) -> ProgressReport:
    """A progress workbook as a ProgressReport; every problem (file, sheet, row, column) raised at once."""
    path = Path(path)
    name = str(path)
    workbook = open_workbook(path, name)
    problems: list[Problem] = []
    table = _find_table(workbook)
    labels = _labels(workbook, table)

    def where(key: str) -> str:
        return f"{name}{labels[key][1]}"

    def labelled(key: str, required: bool = False) -> str:
        if key not in labels or _blank(labels[key][0]):
            if required:
                problems.append(Problem(name, _("no {label}: write it in the sheet {sheet}, in the cell right of "
                                                "its label").format(label=repr(ROUND_LABELS[key][0]),
                                                                    sheet=repr(SHEET_ROUND))))
            return ""
        return _text(labels[key][0])

    org = clean_name(labelled("scores_org", required=True))
    years = {}
    for key in ("results_year", "plan_year"):
        text = labelled(key, required=key == "results_year")
        years[key] = _year(text) if text else None
        if text and years[key] is None:
            problems.append(Problem(where(key), _("{label} must be a fiscal year in Buddhist Era, e.g. 2566").format(
                label=repr(ROUND_LABELS[key][0])), labels[key][2], labels[key][3], text))
    months_text = labelled("round", required=True)
    months = _months(months_text) if months_text else None
    if months_text and months is None:
        problems.append(Problem(where("round"), _("the round must be รอบ ๖ เดือน or รอบ ๑๒ เดือน"),
                                labels["round"][2], labels["round"][3], months_text))
    issues: list[IssueProgress] = []
    table_where = name
    if table is None:
        expected = " | ".join(TABLE_LABELS[key][0] for key in REQUIRED_COLUMNS)
        problems.append(Problem(name, _("no sheet holds the progress table: a row whose cells read {columns} "
                                        "(and the other columns), with one step per row below it").format(
            columns=expected)))
    else:
        sheet, header_row, columns = table
        table_where = f"{name}{sheet_file('', sheet)}"
        missing = [TABLE_LABELS[key][0] for key in REQUIRED_COLUMNS if key not in columns]
        if missing:
            problems.append(Problem(table_where, _("the table has no column {label}").format(
                label=", ".join(map(repr, missing))), header_row))
        else:
            issues = _read_steps(sheet, header_row, columns, table_where, problems)
    if problems:
        raise ITADataError(problems)
    executive = Acknowledgement(labelled("executive"), labelled("position"), labelled("acknowledged"))
    return ProgressReport(labelled("unit") or org, org, years["results_year"], years["plan_year"], months,
                          labelled("as_of"), executive, tuple(issues), name, table_where)


def _status(value: object) -> str | None:
    """The key of a status as written (spaces and Thai digits aside); NOT_REPORTED when blank; None when
    it is none of them."""
    text = "".join(_text(value).split())
    if not text:
        return NOT_REPORTED
    return next((key for key, shown in STATUSES.items() if "".join(shown.split()) == text), None)


def _link(cell) -> str:
    """The evidence link: the cell's hyperlink when it has one (its text may be a title), else its text."""
    target = cell.hyperlink.target if cell is not None and cell.hyperlink is not None else None
    return (target or _text(cell.value if cell is not None else None)).strip()


def _read_steps(sheet: Worksheet, header_row: int, columns: dict[str, tuple[int, str]], where: str,
                problems: list[Problem]) -> list[IssueProgress]:
    issues: list[tuple[str, str, int, list[StepProgress]]] = []
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
        cells = {key: row[column - 1] if column <= len(row) else None for key, (column, _h) in columns.items()}
        values = {key: cell.value if cell is not None else None for key, cell in cells.items()}
        if all(_blank(v) for v in values.values()):
            continue
        number = row[0].row

        def bad(key: str, rule: str, value: object = None, number: int = number) -> None:
            problems.append(Problem(where, rule, number, columns[key][1], value))

        title = strip_marker(_text(values.get("title")))
        if title and (not issues or title != issues[-1][0]):
            issues.append((title, _text(values.get("indicators")), number, []))
        elif not issues:
            bad("title", _("no issue in this row, and no issue above it to go on with"))
            continue
        step = strip_marker(_text(values.get("step")))
        if not step:
            bad("step", _("no step in this row: every row of the table is one step"))
            continue
        status = _status(values.get("status"))
        if status is None:
            bad("status", _("the status must be one of {choices}, or left empty when not reported").format(
                choices=", ".join(STATUSES.values())), _text(values.get("status")))
            status = NOT_REPORTED
        link = _link(cells.get("evidence_link")) if "evidence_link" in cells else ""
        if link and not LINK.fullmatch(link):
            bad("evidence_link", _("an evidence link must be a web address starting with https:// or http://"),
                link)
            link = ""
        issues[-1][3].append(StepProgress(
            step, _text(values.get("responsible")), _text(values.get("period")), status,
            _text(values.get("result")), _text(values.get("evidence_title")), link,
            _text(values.get("problems")), _text(values.get("suggestions")), number))
    return [IssueProgress(title, indicators, tuple(steps), row) for title, indicators, row, steps in issues]


# --- writing -----------------------------------------------------------------------------------------

def write_progress_workbook(path: Path, plan: MeasurePlan, months: int) -> None:
    """The progress workbook of a measures plan: one row per step of each issue, the measures' texts in
    grey, the cells to report in yellow, the status a drop-down; the round's sheet and the instructions."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TABLE
    sheet["A1"] = f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ของ{plan.unit}"
    sheet["A1"].font = Font(name=THAI_FONT, size=18, bold=True)
    sheet["A2"] = ("กรอกช่องสีเหลือง หนึ่งแถวคือหนึ่งขั้นตอน ช่องสีเทามาจากไฟล์มาตรการ ห้ามแก้ไข "
                   "เลือกสถานะจากรายการ (ขั้นตอนที่ยังไม่เลือกสถานะจะแสดงว่า “ยังไม่รายงาน”) "
                   "ดูวิธีกรอกที่แผ่นงาน “คำแนะนำ”")
    sheet["A2"].font = Font(name=THAI_FONT, size=14, italic=True)
    top = 4
    keys = list(TABLE_LABELS)
    for column, key in enumerate(keys, start=1):
        cell = sheet.cell(row=top, column=column, value=TABLE_LABELS[key][0])
        cell.font, cell.fill, cell.border = Font(name=THAI_FONT, size=14, bold=True), HEADER, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    status_column = get_column_letter(keys.index("status") + 1)
    sheet[f"{status_column}{top}"].comment = note("เลือกจากรายการ: " + " / ".join(STATUSES.values()))
    sheet[f"{get_column_letter(keys.index('evidence_link') + 1)}{top}"].comment = note(
        "ที่อยู่เว็บของหลักฐาน ขึ้นต้นด้วย https:// เช่น ลิงก์ของหนังสือหรือภาพกิจกรรมบนเว็บไซต์ของหน่วยงาน")
    row = top
    for issue in plan.issues:
        for position, step in enumerate(issue.steps):
            row += 1
            given = {"title": issue.title, "indicators": ", ".join(map(str, issue.indicators)),
                     "measures": "\n".join(issue.measures) if position == 0 else None, "step": step,
                     "responsible": issue.responsible or None}
            for column, key in enumerate(keys, start=1):
                cell = sheet.cell(row=row, column=column, value=given.get(key))
                cell.fill = GIVEN if key in GIVEN_COLUMNS else FILL_IN
                cell.border, cell.alignment, cell.font = BOX, WRAP, Font(name=THAI_FONT, size=14)
            sheet.cell(row=row, column=keys.index("indicators") + 1).number_format = "@"
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES.values()) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="สถานะ",
                            error="เลือกสถานะจากรายการ: " + " / ".join(STATUSES.values()))
    status.add(f"{status_column}{top + 1}:{status_column}{max(row, top + 1)}")
    sheet.add_data_validation(status)
    for column, width in zip(keys, (30, 10, 45, 45, 20, 18, 20, 45, 28, 30, 30, 30)):
        sheet.column_dimensions[get_column_letter(keys.index(column) + 1)].width = width
    sheet.freeze_panes = sheet.cell(row=top + 1, column=keys.index("step") + 2)

    _round_sheet(workbook.create_sheet(SHEET_ROUND), plan, months)
    _instructions(workbook.create_sheet(SHEET_HELP))
    path.parent.mkdir(parents=True, exist_ok=True)
    save_as_text(workbook, path)


def _round_sheet(sheet: Worksheet, plan: MeasurePlan, months: int) -> None:
    sheet["A1"] = "รอบการรายงานและการรับทราบของผู้บริหาร"
    sheet["A1"].font = Font(name=THAI_FONT, size=18, bold=True)
    rounds = [digits(f"รอบ {n} เดือน") for n in ROUNDS]
    rows = [
        ("unit", plan.unit, "ชื่อหน่วยงานที่จัดทำรายงาน"),
        ("scores_org", plan.scores_org, "ชื่อหน่วยงานที่ได้รับการประเมิน ต้องตรงกับไฟล์คะแนนและไฟล์มาตรการ"),
        ("results_year", plan.results_year, "ปีงบประมาณ พ.ศ. ของผลการประเมินที่นำมากำหนดมาตรการ"),
        ("plan_year", plan.plan_year, "ปีงบประมาณ พ.ศ. ที่ดำเนินการตามมาตรการ"),
        ("round", digits(f"รอบ {months} เดือน"), "เลือกจากรายการ: " + " หรือ ".join(rounds)),
        ("as_of", None, "ไม่บังคับ: ผลการดำเนินการ ณ วันที่ เช่น 31 มีนาคม 2568"),
        (None, "การรับทราบของผู้บริหาร", ""),
        ("executive", None, "ชื่อและนามสกุลของผู้บริหารที่รับทราบรายงาน (เว้นว่างไว้เพื่อลงนามด้วยมือ)"),
        ("position", None, "ตำแหน่งของผู้บริหาร"),
        ("acknowledged", None, "วันที่ผู้บริหารรับทราบ"),
    ]
    years = year_validation()
    choice = DataValidation(type="list", formula1='"' + ",".join(rounds) + '"', allow_blank=False,
                            showErrorMessage=True, errorTitle="รอบการรายงาน", error="เลือก " + " หรือ ".join(rounds))
    for validation in (years, choice):
        sheet.add_data_validation(validation)
    for number, (key, value, hint) in enumerate(rows, start=3):
        if key is None:
            sheet.cell(row=number, column=2, value=value).font = Font(name=THAI_FONT, size=16, bold=True)
            continue
        cell = labelled_cell(sheet, number, ROUND_LABELS[key][0], value, hint, years if key.endswith("_year") else None)
        if key == "round":
            choice.add(cell.coordinate)
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["C"].width = 60


def _instructions(sheet: Worksheet) -> None:
    write_guide(sheet, [
        ("วิธีกรอกแบบรายงานผลการดำเนินการ", True),
        ("1. แผ่นงาน “ผลการดำเนินการ”: หนึ่งแถวคือหนึ่งขั้นตอนของมาตรการ ช่องสีเทามาจากไฟล์มาตรการ ห้ามแก้ไข "
         "ถ้าไฟล์มาตรการเปลี่ยน ให้สร้างแบบรายงานใหม่ด้วยคำสั่ง ita template progress", False),
        ("2. สถานะ: เลือกจากรายการ " + " / ".join(STATUSES.values()) + " ขั้นตอนที่ยังไม่เลือกสถานะ "
         "รายงานจะแสดงว่า “ยังไม่รายงาน” ไม่ตัดทิ้ง", False),
        ("3. ผลการดำเนินการ: สรุปสิ่งที่ทำแล้ว เช่น จำนวนครั้ง วันที่ หรือผลที่ได้", False),
        ("4. หลักฐาน: ชื่อเอกสารหรือกิจกรรม และลิงก์หลักฐาน (ที่อยู่เว็บ ขึ้นต้นด้วย https://) "
         "ลิงก์จะกดได้ในรายงานทั้ง HTML PDF และ Word", False),
        ("5. ปัญหาและอุปสรรค และข้อเสนอแนะ: ไม่บังคับ จะรวบรวมไว้ในหัวข้อปัญหาอุปสรรคและแนวทางต่อไปของรายงาน", False),
        ("6. แผ่นงาน “รอบการรายงาน”: เลือกรอบ ๖ เดือน หรือ ๑๒ เดือน และกรอกชื่อ ตำแหน่ง และวันที่ของผู้บริหาร"
         "ที่รับทราบ (ถ้าเว้นว่าง รายงานจะเว้นบรรทัดไว้ให้ลงนามด้วยมือ)", False),
        ("7. บันทึกไฟล์ไว้ในโฟลเดอร์ progress ของโฟลเดอร์ข้อมูล แล้วจัดทำรายงานด้วยคำสั่ง "
         "ita report --document progress --org ชื่อหน่วยงาน --year ปีของผลการประเมิน --data โฟลเดอร์ข้อมูล", False),
    ])
