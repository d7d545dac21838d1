"""The question form (`ita template questions`, and `ita init`): one sheet per tool, the year's codes filled
in from the catalogue, the cells an agency copies from the NACC system's screens left to fill: IIT and EIT
a score 0-100 per question (checked by Excel as it is typed), OIT มี/ไม่มี per item from a drop-down,
with its link and the consultant's remark. Wording is filled in only where a source gives it; otherwise
the cell is left for the agency's own label. inputs.questions reads it back."""

from __future__ import annotations

from pathlib import Path

from ..core.paths import folder_name
from ..domain.questions import QuestionCatalogue

ROWS_WITHOUT_LIST = 30  # empty rows of a tool whose list the catalogue lacks


def questions_form_name(org: str, year: int) -> str:
    return f"ข้อคำถาม_{folder_name(org)}_{year}.xlsx"


def write_questions_form(path: Path, org: str, year: int, catalogue: QuestionCatalogue) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..inputs.measures_xlsx import BOX, FILL_IN, GIVEN, HEADER, THAI_FONT, WRAP, note, save_as_text, write_guide

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    layouts = {
        "IIT": [("ข้อ", 8), ("ข้อคำถาม", 70), ("ตัวชี้วัดที่", 12), ("คะแนน (0-100)", 14)],
        "EIT": [("ข้อ", 8), ("ข้อคำถาม", 70), ("ตัวชี้วัดที่", 12), ("คะแนน (0-100)", 14)],
        "OIT": [("ข้อ", 8), ("ชื่อรายการ", 60), ("ตัวชี้วัดย่อย", 12), ("มี/ไม่มี", 12), ("ลิงก์", 40),
                ("ข้อสังเกตของที่ปรึกษา", 40)],
    }
    top = 4
    for tool, columns in layouts.items():
        sheet = workbook.create_sheet(tool)
        for row, (label, value) in enumerate((("หน่วยงาน", org), ("ปีงบประมาณ", year)), start=1):
            sheet.cell(row=row, column=1, value=label).font = Font(name=THAI_FONT, size=14, bold=True)
            cell = sheet.cell(row=row, column=2, value=value)
            cell.font, cell.fill, cell.border = Font(name=THAI_FONT, size=14), GIVEN, BOX
        for column, (label, width) in enumerate(columns, start=1):
            cell = sheet.cell(row=top, column=column, value=label)
            cell.font, cell.fill, cell.border = Font(name=THAI_FONT, size=14, bold=True), HEADER, BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
        qlist = catalogue.list(year, tool)
        questions = list(qlist.questions) if qlist else [None] * ROWS_WITHOUT_LIST
        if qlist is not None:
            tag = {"SRC": "จากแหล่งข้อมูล", "2ND": "จากแหล่งข้อมูลทุติยภูมิ ยังมิได้ตรวจสอบกับคู่มือของสำนักงาน ป.ป.ช.",
                   "agency": "จากชุดข้อคำถามของโฟลเดอร์ข้อมูล"}.get(qlist.status, "")
            sheet.cell(row=top, column=1).comment = note(f"รายการข้อของปี {year} {tag}")
        else:
            sheet.cell(row=top, column=1).comment = note(
                f"ยังไม่มีรายการข้อของ {tool} ปี {year}: พิมพ์รหัสข้อตามหน้าจอระบบ เช่น i1 e1 O1 "
                "และเพิ่มชุดข้อคำถามในไฟล์ questions/ชุดข้อคำถาม.xlsx")
        value_column = 4
        last = top + len(questions)
        for row, question in enumerate(questions, start=top + 1):
            values = ([question.code, question.wording,
                       question.sub_indicator if tool == "OIT" else question.indicator] if question else [])
            for column in range(1, len(columns) + 1):
                cell = sheet.cell(row=row, column=column, value=values[column - 1] if column <= len(values) else None)
                cell.border, cell.alignment, cell.font = BOX, WRAP, Font(name=THAI_FONT, size=14)
                cell.fill = FILL_IN if column >= value_column or question is None or (
                    column == 2 and not question.wording) else GIVEN
        if tool == "OIT":
            check = DataValidation(type="list", formula1='"มี,ไม่มี"', allow_blank=True, showErrorMessage=True,
                                   errorTitle="มี/ไม่มี", error="เลือก มี หรือ ไม่มี")
        else:
            check = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                   allow_blank=True, showErrorMessage=True, errorTitle="คะแนน",
                                   error="คะแนนต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100", showInputMessage=True,
                                   promptTitle="คะแนน", prompt="ตัวเลข 0-100 เช่น 85.50")
        check.add(f"D{top + 1}:D{max(last, top + 1)}")
        sheet.add_data_validation(check)
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)

    guide = workbook.create_sheet("คำแนะนำ")
    write_guide(guide, [
        ("วิธีกรอกผลรายข้อคำถามและรายการ OIT", True),
        ("1. เปิดผลการประเมินรายข้อในระบบของสำนักงาน ป.ป.ช. แล้วคัดลอกทีละเครื่องมือ", False),
        ("2. แผ่นงาน IIT และ EIT: กรอกคะแนนของแต่ละข้อ (0-100) ในคอลัมน์ “คะแนน (0-100)” "
         "ข้อคำถามที่ว่างไว้ให้พิมพ์ตามหน้าจอได้ (ไม่บังคับ)", False),
        ("3. แผ่นงาน OIT: เลือก มี หรือ ไม่มี ของแต่ละข้อ ใส่ลิงก์ที่เผยแพร่ และข้อสังเกตของที่ปรึกษา (ถ้ามี)", False),
        ("4. จะวางตารางที่คัดลอกจากหน้าจอทับทั้งตารางก็ได้ ขอให้หัวตารางมีคำว่า ข้อ หรือ ข้อคำถาม และ คะแนน "
         "(OIT: มี/ไม่มี) รหัสข้อเขียนได้ทั้ง i1 I1 ข้อ 1 ข้อ ๑ O12", False),
        ("5. เครื่องมือที่ยังไม่มีผล ให้เว้นว่างทั้งแผ่นงาน ส่วนเครื่องมือที่กรอกแล้วต้องกรอกให้ครบทุกข้อ", False),
        ("6. บันทึกไฟล์ในโฟลเดอร์ questions ของโฟลเดอร์ข้อมูล แล้วตรวจด้วยคำสั่ง ita validate "
         "ปัญหาที่พบจะบอกแผ่นงาน แถว และคอลัมน์", False),
    ])
    path.parent.mkdir(parents=True, exist_ok=True)
    save_as_text(workbook, path)
