"""An agency's own data folder, started for it: what `ita init` and `ita template measures` write
(cli.agency_commands).

`ita init FOLDER --org NAME` makes

    FOLDER/README.txt                      what goes where, in Thai
    FOLDER/agency.txt                      whose folder it is (inputs.own_agency): a score sheet without an
                                           agency column, a measures table without labels, are this agency's
    FOLDER/scores/คะแนน_<org>.xlsx          the score form: one row per fiscal year
    FOLDER/measures/มาตรการ_<org>.xlsx      a blank measures form (not read while blank)
    FOLDER/questions/ข้อคำถาม_<org>_<year>.xlsx  the question form of the latest year (not read while blank)

and never overwrites a file. The score form's header row is Thai, as agencies type it:
`หน่วยงาน | ปีงบประมาณ | <number. official Thai name of each indicator of the latest methodology year> |
คะแนนรวม | แหล่งที่มา`, each header explained in Thai in a cell comment and in the instructions sheet,
scores checked 0-100 by Excel's data validation as they are typed. Until it is filled in it is not read.

`ita template measures --org NAME --year 2566` writes a measures workbook filled in from that year's
scores: one issue row per weak indicator, most headroom first, with its number and official name, its
weakest questions or OIT items not published (when the folder's questions/ has the year's), and
the cells to fill in (measures, ผู้รับผิดชอบ, ขั้นตอนการดำเนินการ) left empty; filled in and saved
in the folder's measures/, it is read as that agency-year's measures.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.paths import folder_name
from ..domain.names import clean_name
from ..inputs.own_agency import AGENCY_FILE, agency_text

if TYPE_CHECKING:  # the rest is imported where used: `ita` builds its parser on every call
    from ..analysis.questions import QuestionAnalysis
    from ..domain.methodology import Methodology, YearMethod
    from ..domain.questions import QuestionCatalogue
    from ..inputs.measures_draft import IssueGroup

DEFAULT_THRESHOLD = 85.0  # scoring.DEFAULT_THRESHOLD, without importing pandas to build the parser
SCORE_SHEET = "คะแนน"
SCORE_ROWS = 200  # rows of the score form that carry data validation
README = "README.txt"
WEAKEST = 3  # the weakest questions or missing OIT items a measures template names under each issue


def score_form_name(org: str) -> str:
    return f"คะแนน_{folder_name(org)}.xlsx"


def measures_form_name(org: str, year: int | None = None) -> str:
    return f"มาตรการ_{folder_name(org)}{'' if year is None else f'_{year}'}.xlsx"


def refuse_existing(paths: list[Path], folder: Path | None = None) -> None:
    """Nothing is written where a file, or a link even a dangling one, stands, nor through a link between
    `folder` and a file (a form written through one would land wherever it points, outside the folder)."""
    links = sorted({place for p in paths for place in (p, *p.parents)
                    if (place.is_relative_to(folder) and place != folder if folder else place == p)
                    and place.is_symlink()})
    existing = [p for p in paths if p.exists() and p not in links]
    problems = [Problem(str(p), _("a symbolic link: ita init writes nothing through a link (remove it, or "
                                  "choose another folder)")) for p in links]
    problems += [Problem(str(p), _("already exists: nothing was written (move it away, or choose "
                                   "another folder)")) for p in existing]
    if problems:
        raise ITADataError(problems)


# --- the score form ------------------------------------------------------------------------------------

def write_score_form(path: Path, org: str, method: YearMethod) -> None:
    """The score form: the loader's header row, Thai in comments and an instructions sheet, 0-100 checked."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..inputs.measures_xlsx import BOX, HEADER, THAI_FONT, note, save_as_text, write_guide, year_validation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SCORE_SHEET
    indicators = list(method.indicators)
    headers = [("หน่วยงาน", f"ชื่อหน่วยงาน เขียนเหมือนกันทุกแถว: {org}"),
               ("ปีงบประมาณ", "ปีงบประมาณ พ.ศ. ของผลการประเมิน เช่น 2566")]
    headers += [(f"{i.number}. {i.name_th}", f"ตัวชี้วัดที่ {i.number} {i.name_th} ({i.tool}): คะแนน 0-100")
                for i in indicators]
    headers += [("คะแนนรวม", "ไม่บังคับ: คะแนนรวมที่ประกาศ (0-100) ถ้ามี รายงานจะใช้คะแนนนี้เป็นคะแนนทางการ"),
                ("แหล่งที่มา", "ไม่บังคับ: แหล่งที่มาของคะแนน เช่น ระบบ ITAS ของสำนักงาน ป.ป.ช.")]
    for column, (text, text_of_note) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font, cell.fill, cell.border = Font(name=THAI_FONT, size=14, bold=True), HEADER, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.comment = note(text_of_note)
    last = SCORE_ROWS + 1
    first_score, last_score = "C", openpyxl.utils.get_column_letter(2 + len(indicators))
    total = openpyxl.utils.get_column_letter(3 + len(indicators))
    year = year_validation()
    year.add(f"B2:B{last}")
    score = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                           showErrorMessage=True, errorTitle="คะแนน", error="คะแนนต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100",
                           showInputMessage=True, promptTitle="คะแนน", prompt="ตัวเลข 0-100 เช่น 85.50")
    score.add(f"{first_score}2:{last_score}{last}")
    score.add(f"{total}2:{total}{last}")
    for validation in (year, score):
        sheet.add_data_validation(validation)
    if '"' not in org and "," not in org and len(org) < 250:  # a drop-down of the one name; another is warned of
        name = DataValidation(type="list", formula1=f'"{org}"', allow_blank=True, showErrorMessage=True,
                              errorStyle="warning", errorTitle="ชื่อหน่วยงาน",
                              error=f"ชื่อนี้ไม่ตรงกับ “{org}” ชื่อหน่วยงานต้องเหมือนกันทุกแถวและทุกไฟล์")
        name.add(f"A2:A{last}")
        sheet.add_data_validation(name)
    sheet.column_dimensions["A"].width = max(24, min(60, len(org) + 4))
    sheet.column_dimensions["B"].width = 12
    for column in range(3, 3 + len(indicators)):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = 16
    sheet.column_dimensions[total].width = 16
    sheet.column_dimensions[openpyxl.utils.get_column_letter(4 + len(indicators))].width = 40
    sheet.row_dimensions[1].height = 60
    sheet.freeze_panes = "C2"

    guide = workbook.create_sheet("คำแนะนำ")
    lines = [
        ("วิธีกรอกแบบฟอร์มคะแนน ITA", True),
        ("1. กรอกในแผ่นงาน “คะแนน” หนึ่งแถวต่อหนึ่งปีงบประมาณ เริ่มที่แถวที่ 2", False),
        ("2. ห้ามแก้ไขแถวแรก (หัวตาราง) โปรแกรมใช้ชื่อในแถวนี้อ่านข้อมูล ความหมายของแต่ละคอลัมน์อยู่ด้านล่าง "
         "และในกล่องข้อความของหัวตาราง", False),
        (f"3. หน่วยงาน = ชื่อหน่วยงาน เขียนให้เหมือนกันทุกแถว เช่น {org} และใช้ชื่อเดียวกันนี้ในไฟล์มาตรการ", False),
        ("4. ปีงบประมาณ = ปีงบประมาณ พ.ศ. ของผลการประเมิน เช่น 2566 (ใช้เลขไทยได้)", False),
        ("5. คอลัมน์ตัวชี้วัด: คะแนนของแต่ละตัวชี้วัด 0-100 ตามที่ประกาศ ทศนิยม 2 ตำแหน่ง ต้องกรอกครบทุกตัวชี้วัด", False),
        ("6. คะแนนรวม = คะแนนรวมที่ประกาศ (ไม่บังคับ) และ แหล่งที่มา = แหล่งที่มาของคะแนน (ไม่บังคับ)", False),
        ("7. ถ้ามีไฟล์คะแนนอยู่แล้ว ให้วางไว้ในโฟลเดอร์ scores ได้เลย แบบฟอร์มที่ยังไม่ได้กรอกจะไม่ถูกนำมาใช้", False),
        ("", False),
        (f"ตัวชี้วัดปีงบประมาณ พ.ศ. {method.fiscal_year}", True),
        *((f"{i.number}. {i.name_th} ({i.tool}, {i.name_en})", False) for i in indicators),
    ]
    write_guide(guide, lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_as_text(workbook, path)


# --- ita init ---------------------------------------------------------------------------------------

def readme(org: str, folder: Path) -> str:
    return f"""โฟลเดอร์ข้อมูล ITA ของ{org}

scores/     คะแนน ITA รายตัวชี้วัด
            {score_form_name(org)} เป็นแบบฟอร์มคะแนน กรอกหนึ่งแถวต่อหนึ่งปีงบประมาณ
            (วิธีกรอกอยู่ในแผ่นงาน "คำแนะนำ") ถ้ามีไฟล์คะแนนอยู่แล้ว (CSV หรือ Excel)
            ให้วางไว้ที่นี่ได้เลย แบบฟอร์มที่ยังไม่ได้กรอกจะไม่ถูกนำมาใช้

questions/  ผลรายข้อคำถาม (IIT, EIT) และรายการ OIT (ไม่บังคับ) คัดลอกจากหน้าจอระบบของสำนักงาน ป.ป.ช.
            ลงในแบบฟอร์มข้อคำถาม หรือสร้างแบบฟอร์มของปีอื่นด้วยคำสั่ง
              ita template questions --org "{org}" --year ปีงบประมาณ --data "{folder}"

measures/   มาตรการและข้อจำกัดของหน่วยงาน หนึ่งไฟล์ต่อหนึ่งปีของผลการประเมิน
            เมื่อกรอกคะแนนแล้ว สร้างแบบฟอร์มมาตรการที่ใส่ตัวชี้วัดที่ต้องพัฒนาไว้ให้แล้วด้วยคำสั่ง
              ita template measures --org "{org}" --year ปีงบประมาณ --data "{folder}"
            (แทนคำว่า ปีงบประมาณ ด้วยปีของผลการประเมิน เช่น 2566)
            หรือกรอกแบบฟอร์มเปล่า {measures_form_name(org)} เอง (ไฟล์ที่ยังว่างอยู่จะไม่ถูกนำไปใช้)

progress/   รายงานผลการดำเนินการตามมาตรการ (รอบ ๖ เดือน และรอบ ๑๒ เดือน) เมื่อมีไฟล์มาตรการแล้ว
            สร้างแบบรายงานที่ใส่มาตรการและขั้นตอนไว้ให้แล้วด้วยคำสั่ง
              ita template progress --org "{org}" --year ปีงบประมาณ --data "{folder}" --round 6

{AGENCY_FILE}  ชื่อหน่วยงานเจ้าของโฟลเดอร์นี้ ตารางคะแนนที่ไม่มีคอลัมน์หน่วยงาน (หนึ่งแถวต่อหนึ่งปีงบประมาณ)
            และตารางมาตรการที่วางมาจาก Word โดยไม่มีช่องชื่อหน่วยงาน ถือเป็นของ{org}

เกณฑ์การประเมิน.xlsx  (ไม่บังคับ) เกณฑ์ของปีที่โปรแกรมยังไม่มี เช่น 2570 ใช้แทนเกณฑ์ที่มากับโปรแกรม สร้างด้วยคำสั่ง
              ita template framework --year ปีงบประมาณ --data "{folder}"

ตรวจข้อมูล    ita validate "{folder}"
ทำรายงาน     ita report --org "{org}" --year ปีงบประมาณ --data "{folder}"
รายงานผลการดำเนินการ
            ita report --document progress --org "{org}" --year ปีงบประมาณ --data "{folder}"
"""


def init_folder(folder: Path, org: str, methodology: Methodology, catalogue: QuestionCatalogue) -> list[Path]:
    """Start an agency's data folder; refuses (writing nothing) if any of its files exists."""
    from ..inputs.measures_xlsx import Header, write_workbook
    from .questions_form import questions_form_name, write_questions_form

    org = clean_name(org)  # as the command line's --org and the score files' names are read
    if not org:
        raise ITADataError(_("--org: the agency's name is empty"))
    if folder.exists() and not folder.is_dir():
        raise ITADataError(Problem(str(folder), _("exists and is not a folder")))
    method = methodology.year(max(methodology.years))
    scores = folder / "scores" / score_form_name(org)
    measures = folder / "measures" / measures_form_name(org)
    questions = folder / "questions" / questions_form_name(org, method.fiscal_year)
    guide, marker = folder / README, folder / AGENCY_FILE
    refuse_existing([scores, measures, questions, guide, marker], folder)
    write_score_form(scores, org, method)
    write_workbook(measures, Header(org, org, None, None), [], [], method)
    write_questions_form(questions, org, method.fiscal_year, catalogue)
    guide.write_text(readme(org, folder), encoding="utf-8-sig", newline="\r\n")
    marker.write_text(agency_text(org), encoding="utf-8", newline="\r\n")
    return [guide, marker, scores, measures, questions]


# --- ita template measures ------------------------------------------------------------------------------

def measures_template(data: Path, org: str, year: int, out: Path, plan_year: int | None = None,
                      unit: str | None = None, threshold: float = DEFAULT_THRESHOLD) -> list[IssueGroup]:
    """Write the measures workbook of `org`'s results of `year`: one row per weak indicator, most headroom
    first. Returns the issue rows written."""
    from ..analysis.questions import analysis_for
    from ..domain.scoring import headroom, weak_indicators
    from ..inputs.dataset import DataFolder
    from ..inputs.folder_checks import closest_agency
    from ..inputs.measures_draft import IssueGroup
    from ..inputs.measures_xlsx import Header, write_workbook

    if out.exists() or out.is_symlink():  # a dangling link too: a file written through it lands where it points
        raise ITADataError(Problem(str(out), _("already exists: nothing was written (name another file with "
                                               "--out, or move this one away)")))
    folder = DataFolder(data)
    if org not in folder.files_of:
        agencies = sorted(folder.files_of)
        closest = closest_agency(org, agencies)
        hint = (_("did you mean {closest}?").format(closest=repr(closest)) if closest else
                _("the folder's score files name: {agencies}").format(agencies=", ".join(agencies[:10]) or "-"))
        raise ITADataError(folder.score_problems() + [Problem(str(folder.root), _(
            "no indicator scores for the agency {org}; {hint}").format(org=repr(org), hint=hint))])
    dataset = folder.dataset(org)
    years = sorted({y for o, y in folder.agency_years() if o == org})
    if year not in years:
        raise ITADataError(Problem(str(folder.root), _("no indicator scores for {org} in {year}; years with scores: "
                                                       "{years}").format(org=org, year=year,
                                                                         years=", ".join(map(str, years)))))
    scores = dataset.scores_of(org, year)
    method = dataset.methodology.year(year)
    weak = set(weak_indicators(scores, method, threshold)["number"])
    order = [int(n) for n in headroom(scores, method, threshold)["number"] if n in weak]
    analysis = analysis_for(dataset, org, year, threshold)
    issues = [IssueGroup(method.indicator(n).name_th, (n,), (), "", (),
                         tuple(d.code for d in analysis.weakest(n)[:WEAKEST]) if analysis else ()) for n in order]
    header = Header(unit or org, org, year, plan_year if plan_year is not None else year + 1)
    write_workbook(out, header, issues, [], method, {int(n): float(s) for n, s in scores.items()})
    if analysis is not None:
        _note_weakest(out, issues, analysis)
    return issues


def _note_weakest(path: Path, issues: list[IssueGroup], analysis: QuestionAnalysis) -> None:
    """Beside each issue's question codes, a note of what each scored and the points it would add."""
    import openpyxl

    from ..inputs.measures_draft import ISSUE_LABELS
    from ..inputs.measures_xlsx import note, save_as_text

    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header = next(row for row in range(1, sheet.max_row + 1)
                  if sheet.cell(row, 6).value == ISSUE_LABELS["questions"][0])
    for row, issue in enumerate(issues, start=header + 1):  # written one row an issue, in order
        lines = []
        for detail in analysis.weakest(issue.indicators[0])[:WEAKEST]:
            state = "ยังไม่เผยแพร่" if detail.tool == "OIT" else f"{detail.score:.2f} คะแนน"
            lines.append(f"{detail.code} {state}: ตัวชี้วัด +{detail.indicator_gain:.2f} "
                         f"คะแนนรวม +{detail.total_gain:.2f}")
        if lines:
            sheet.cell(row, 6).comment = note("ถ้าถึงเกณฑ์ (OIT: ถ้าเผยแพร่)\n" + "\n".join(lines))
    save_as_text(workbook, path)

