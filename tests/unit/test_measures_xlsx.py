"""Measures files, Excel and YAML, checked as carefully as score files: one MeasurePlan from either, and
each trap users fall into with the message it now gives, in Thai and in English."""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import BMA
from ita_helpers.core import safe_yaml
from ita_helpers.core.errors import ITADataError
from ita_helpers.inputs.dataset import BUNDLED_DATA, DataFolder
from ita_helpers.inputs.folder_checks import measures_twice, unmatched_measures
from ita_helpers.inputs.measures import load_measures, measure_paths, measures_org
from ita_helpers.inputs.measures_xlsx import write_plan

SEED = BUNDLED_DATA / "measures" / "bma_council_secretariat_2566.yaml"
HEAD = f"unit: หน่วยงานทดสอบ\nscores_org: {BMA}\nresults_year: 2566\nplan_year: 2567\n"
ISSUE = "  - title: ก\n    indicators: [6]\n    measures: [ม]\n    responsible: ร\n    steps: [ส]\n"
PYYAML_WORDS = ("while scanning", "while parsing", "<unicode string>", "found character", "expected <block end>")


def write(folder: Path, text: str, name: str = "m.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, methodology) -> list[str]:
    with pytest.raises(ITADataError) as raised:
        load_measures(path, methodology)
    return [str(p) for p in raised.value.problems]


@pytest.fixture(scope="module")
def seed_plan(methodology):
    return load_measures(SEED, methodology)


# --- numbers, in Thai digits anywhere one goes ------------------------------------------------------------

def test_thai_digits_in_years_and_indicator_numbers_of_a_yaml_file(tmp_path, methodology):
    path = write(tmp_path, f"unit: ก\nscores_org: {BMA}\nresults_year: ๒๕๖๖\nplan_year: \"๒๕๖๗\"\nissues:\n"
                           "  - {title: ก, indicators: [๖, ๗], measures: [ม], responsible: ร, steps: [ส]}\n"
                           "  - {title: ข, indicators: ๑, measures: [ม], responsible: ร, steps: [ส]}\n"
                           "  - {title: ค, indicators: '๒, 4 และ ๕', measures: [ม], responsible: ร, steps: [ส]}\n"
                           "  - {title: ง, indicators: ตัวชี้วัดที่ ๘-๑๐, measures: [ม], responsible: ร, steps: [ส]}\n")
    plan = load_measures(path, methodology)
    assert (plan.results_year, plan.plan_year) == (2566, 2567)
    assert [issue.indicators for issue in plan.issues] == [(6, 7), (1,), (2, 4, 5), (8, 9, 10)]


def test_thai_digits_and_comma_separated_numbers_in_excel_cells(tmp_path, seed_plan, methodology):
    path = tmp_path / "m.xlsx"
    write_plan(seed_plan, path, methodology.year(2566))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["มาตรการ"]
    sheet["C5"], sheet["C6"] = "๒๕๖๖", "พ.ศ. ๒๕๖๘"  # years typed as text, Thai digits
    sheet["A10"], sheet["A11"], sheet["A12"] = "1, 6, 8", "๙, ๗", 4  # text, Thai digits, a number
    workbook.save(path)
    plan = load_measures(path, methodology)
    assert (plan.results_year, plan.plan_year) == (2566, 2568)
    assert [issue.indicators for issue in plan.issues][:3] == [(1, 6, 8), (9, 7), (4,)]


# --- YAML: what the user meant, and what went wrong, told plainly ---------------------------------------------

def test_a_step_yaml_read_as_a_mapping_is_the_text_the_user_wrote(tmp_path, methodology):
    path = write(tmp_path, HEAD + "issues:\n  - title: ก\n    indicators: [6]\n    measures:\n      - 1. มาตรการแรก\n"
                                  "      - ๒) มาตรการ: ที่สอง\n    responsible: ร\n    steps:\n"
                                  "      - ขั้นที่ 1: ประชุมคณะทำงาน\n      - ขั้นที่ 2: yes\n      - 2566\n")
    (issue,) = load_measures(path, methodology).issues
    assert issue.steps == ("ขั้นที่ 1: ประชุมคณะทำงาน", "ขั้นที่ 2: yes", "2566")  # as typed: not True, not a dict
    assert issue.measures == ("มาตรการแรก", "มาตรการ: ที่สอง")  # list numbers dropped: the report numbers them


TRAPS = {
    "tab": (HEAD + "issues:\n\t- title: ก\n",
            "line 6, column 1: a tab character: YAML indents with spaces only",
            "บรรทัดที่ 6 คอลัมน์ที่ 1: มีอักขระแท็บ (Tab) ไฟล์ YAML ย่อหน้าด้วยการเว้นวรรคเท่านั้น"),
    "colon": (HEAD + "issues:\n" + ISSUE.replace("steps: [ส]", "steps:\n      - ขั้นที่ 1: ประชุม: ทุกเดือน"),
              "line 11, column 26: a colon followed by a space inside a text: put the whole text in double quotes",
              "บรรทัดที่ 11 คอลัมน์ที่ 26: มีเครื่องหมาย : ตามด้วยเว้นวรรคอยู่ในข้อความ "
              "ให้ใส่ข้อความทั้งหมดไว้ในเครื่องหมายคำพูด"),
    "quote": (HEAD + "issues:\n" + ISSUE.replace("title: ก", 'title: "ก'),
              "line 6, column 12: a quotation mark opened here is never closed",
              "บรรทัดที่ 6 คอลัมน์ที่ 12: เครื่องหมายคำพูดที่เปิดตรงนี้ไม่ได้ปิด"),
    "bracket": (HEAD + "issues:\n" + ISSUE.replace("[6]", "[6, 7"),
                "line 7, column 17: a bracket opened here is not closed on its line",
                "บรรทัดที่ 7 คอลัมน์ที่ 17: วงเล็บที่เปิดตรงนี้ไม่ได้ปิดในบรรทัดเดียวกัน"),
}


@pytest.mark.parametrize("lang", ["en", "th"])
@pytest.mark.parametrize("trap", list(TRAPS))
def test_yaml_syntax_errors_are_told_once_with_line_column_and_likely_cause(tmp_path, methodology, monkeypatch,
                                                                           trap, lang):
    monkeypatch.setenv("ITA_LANG", lang)
    text, english, thai = TRAPS[trap]
    (message,) = problems(write(tmp_path, text), methodology)
    prefix = "not valid YAML: " if lang == "en" else "รูปแบบ YAML ไม่ถูกต้อง: "
    assert prefix + (english if lang == "en" else thai) in message
    assert not [word for word in PYYAML_WORDS if word in message]


def test_a_tab_on_several_lines_is_one_problem_per_line(tmp_path, methodology):
    found = problems(write(tmp_path, HEAD + "issues:\n\t- title: ก\n\t  indicators: [6]\n"), methodology)
    assert [m.split("YAML: ")[1].split(":")[0] for m in found] == ["line 6, column 1", "line 7, column 1"]


@pytest.mark.parametrize("lang, expected", [
    ("en", ["'results_year' looks like a Christian-Era year; ITA years are Buddhist Era (B.E. = C.E. + 543, e.g. "
            "2023 -> 2566) (line 3, value '2023')",
            "issue 1: empty: 'responsible' (line 6)",
            "issue 1: indicators must be indicator numbers 1-10 (line 7, value '11, x')",
            "issue 1: unknown key 'responsibel'; did you mean 'responsible'? (line 10)",
            "issue 2: expected title, indicators, measures, responsible and steps, each as 'key: value' (line 11)"]),
    ("th", ["'results_year' ดูเป็นปีคริสต์ศักราช ปีของ ITA เป็นพุทธศักราช (พ.ศ. = ค.ศ. + 543 เช่น 2023 -> 2566) "
            "(บรรทัดที่ 3 ค่าที่พบ '2023')",
            "ประเด็นที่ 1: ยังไม่ได้กรอก 'responsible' (บรรทัดที่ 6)",
            "ประเด็นที่ 1: indicators ต้องเป็นหมายเลขตัวชี้วัด 1-10 (บรรทัดที่ 7 ค่าที่พบ '11, x')",
            "ประเด็นที่ 1: ไม่รู้จักหัวข้อ 'responsibel' หมายถึง 'responsible' หรือไม่ (บรรทัดที่ 10)",
            "ประเด็นที่ 2: ต้องมี title, indicators, measures, responsible และ steps แต่ละหัวข้อในรูป 'หัวข้อ: ค่า' "
            "(บรรทัดที่ 11)"]),
])
def test_every_problem_of_a_yaml_file_at_once_in_line_order(tmp_path, methodology, monkeypatch, lang, expected):
    monkeypatch.setenv("ITA_LANG", lang)
    path = write(tmp_path, f"unit: ก\nscores_org: {BMA}\nresults_year: 2023\nplan_year: 2567\nissues:\n"
                           "  - title: ก\n    indicators: [11, x]\n    measures: [ม]\n    steps: [ส]\n"
                           "    responsibel: ร\n  - ข้อความเฉย ๆ\n")
    assert problems(path, methodology) == [f"{path}: {rule}" for rule in expected]


def test_no_python_value_is_ever_shown(tmp_path, methodology):
    path = write(tmp_path, HEAD + "issues:\n  - title: {a: 1, b: [2, 3]}\n    indicators: {x: 1}\n"
                                  "    measures: [ม]\n    responsible: ร\n    steps: [ส]\n")
    text = "\n".join(problems(path, methodology))
    assert "{" not in text and "[" not in text and "'x: 1'" in text


# --- safe YAML -------------------------------------------------------------------------------------------

def alias_bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases: a few hundred bytes that PyYAML expands to billions of values."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines) + f"\nissues: *a{levels - 1}\n"


@pytest.mark.parametrize("lang, expected", [
    ("en", "line 5, column 5: anchors (&name) and aliases (*name) are not allowed in this file"),
    ("th", "บรรทัดที่ 5 คอลัมน์ที่ 5: ไฟล์นี้ใช้ชื่ออ้างอิง (&ชื่อ และ *ชื่อ) ไม่ได้"),
])
def test_an_alias_bomb_is_refused_at_once(tmp_path, methodology, monkeypatch, lang, expected):
    monkeypatch.setenv("ITA_LANG", lang)
    path = write(tmp_path, HEAD + alias_bomb())
    assert len(path.read_bytes()) < 700
    start = time.perf_counter()
    (message,) = problems(path, methodology)
    assert time.perf_counter() - start < 1
    assert expected in message


def test_the_methodology_keeps_its_anchors_but_an_alias_bomb_in_one_is_refused(tmp_path, methodology):
    assert len(methodology.years) == 8  # the bundled methodology shares one list of indicators through aliases
    start = time.perf_counter()
    with pytest.raises(safe_yaml.RefusedYAML, match="expand to more than 100,000 values"):
        safe_yaml.load_bounded(alias_bomb())
    with pytest.raises(safe_yaml.RefusedYAML, match="refers to the value that contains it"):
        safe_yaml.load_bounded("a: &a [1, *a]\n")
    assert time.perf_counter() - start < 1


def test_a_file_nested_too_deeply_is_one_clear_problem(tmp_path, methodology):
    (message,) = problems(write(tmp_path, "unit: " + "[" * 3000 + "]" * 3000 + "\n"), methodology)
    assert "not valid YAML: brackets or indentation nested too deeply" in message


def test_a_measures_file_over_one_megabyte_is_refused_unread(tmp_path, methodology):
    path = write(tmp_path, HEAD + "source: " + "ก" * 400_000 + "\n")
    (message,) = problems(path, methodology)
    assert "may be at most 1,000,000 bytes" in message


# --- Excel: the same plan, and problems told by sheet, row and column ---------------------------------------

def test_the_seed_measures_written_to_excel_read_back_as_the_same_plan(tmp_path, seed_plan, methodology):
    path = tmp_path / "bma_council_secretariat_2566.xlsx"
    write_plan(seed_plan, path, methodology.year(2566))
    assert load_measures(path, methodology) == dataclasses.replace(seed_plan, file=str(path))


def test_a_workbook_laid_out_by_hand_reads_as_the_seed_plan(tmp_path, seed_plan, methodology):
    """Written as a civil servant might: the published document's own headings, numbered lines in cells
    (๑. ... Alt+Enter ๒. ...), an issue going on over a second row under merged cells, no instructions."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "แผนปี 2568"
    sheet.append(["มาตรการส่งเสริมคุณธรรมและความโปร่งใส"])
    sheet.append(["หน่วยงานที่จัดทำ:", seed_plan.unit])
    sheet.append(["หน่วยงานที่ได้รับการประเมิน", seed_plan.scores_org])
    sheet.append(["ปีงบประมาณของผลการประเมิน", "๒๕๖๖"])
    sheet.append(["ปีงบประมาณของมาตรการ", 2568])
    sheet.append(["แหล่งที่มา", seed_plan.source])
    sheet.append([])
    sheet.append(["ประเด็น", "ตัวชี้วัดที่", "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ", "ผู้รับผิดชอบ",
                  "ขั้นตอนหรือวิธีปฏิบัติ"])
    for number, issue in enumerate(seed_plan.issues, start=1):
        numbered = [f"{'๑๒๓๔๕๖'[n]}. {text}" for n, text in enumerate(issue.measures)]
        steps = [f"{n + 1}) {text}" for n, text in enumerate(issue.steps)]
        indicators = ", ".join(map(str, issue.indicators))
        if number == 1:  # the first issue over two rows: its last measure and steps on the second
            sheet.append([f"{number}. {issue.title}", indicators, "\n".join(numbered[:-1]), issue.responsible,
                          "\n".join(steps[:2])])
            sheet.append([None, None, numbered[-1], None, "\n".join(steps[2:])])
            sheet.merge_cells(start_row=sheet.max_row - 1, start_column=1, end_row=sheet.max_row, end_column=1)
        else:
            sheet.append([issue.title, indicators, "\n".join(numbered), issue.responsible, "\n".join(steps)])
    constraints = workbook.create_sheet("ข้อจำกัด")
    constraints.append(["ข้อจำกัด"])
    for text in seed_plan.constraints:
        constraints.append([f"• {text}"])
    path = tmp_path / "by_hand.xlsx"
    workbook.save(path)
    assert load_measures(path, methodology) == dataclasses.replace(seed_plan, file=str(path))


def filled_template(path: Path, seed_plan, methodology) -> openpyxl.Workbook:
    write_plan(seed_plan, path, methodology.year(2566))
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("lang, expected", [
    ("en", ["{f}, sheet 'มาตรการ', row 5, column 'C': 'ปีงบประมาณของผลการประเมิน' looks like a Christian-Era year; "
            "ITA years are Buddhist Era (B.E. = C.E. + 543, e.g. 2023 -> 2566) (value '2023')",
            "{f}, sheet 'มาตรการ', row 10, column 'ตัวชี้วัดที่': ตัวชี้วัดที่ must be indicator numbers 1-10 "
            "(value '11')",
            "{f}, sheet 'มาตรการ', row 11: empty: 'มาตรการ', 'ขั้นตอนการดำเนินการ'; fill them in, or delete the "
            "row if this issue needs no measure",
            "{f}, sheet 'มาตรการ', row 12, column 'ตัวชี้วัดที่': Excel turned this into a date: format the column "
            "as Text and type the numbers again (value '2024-07-06 00:00:00')"]),
    ("th", ["{f} แผ่นงาน 'มาตรการ' แถวที่ 5 คอลัมน์ 'C': 'ปีงบประมาณของผลการประเมิน' ดูเป็นปีคริสต์ศักราช "
            "ปีของ ITA เป็นพุทธศักราช (พ.ศ. = ค.ศ. + 543 เช่น 2023 -> 2566) (ค่าที่พบ '2023')",
            "{f} แผ่นงาน 'มาตรการ' แถวที่ 10 คอลัมน์ 'ตัวชี้วัดที่': ตัวชี้วัดที่ ต้องเป็นหมายเลขตัวชี้วัด 1-10 "
            "(ค่าที่พบ '11')",
            "{f} แผ่นงาน 'มาตรการ' แถวที่ 11: ยังไม่ได้กรอก 'มาตรการ', 'ขั้นตอนการดำเนินการ' ให้กรอกให้ครบ "
            "หรือลบแถวนี้ออกถ้าประเด็นนี้ไม่มีมาตรการ",
            "{f} แผ่นงาน 'มาตรการ' แถวที่ 12 คอลัมน์ 'ตัวชี้วัดที่': Excel แปลงค่านี้เป็นวันที่ "
            "ให้จัดรูปแบบคอลัมน์เป็น “ข้อความ” แล้วพิมพ์หมายเลขใหม่ (ค่าที่พบ '2024-07-06 00:00:00')"]),
])
def test_every_problem_of_a_workbook_at_once_by_sheet_row_and_column(tmp_path, seed_plan, methodology, monkeypatch,
                                                                     lang, expected):
    monkeypatch.setenv("ITA_LANG", lang)
    path = tmp_path / "m.xlsx"
    workbook = filled_template(path, seed_plan, methodology)
    sheet = workbook["มาตรการ"]
    sheet["C5"] = 2023
    sheet["A10"] = "11"
    sheet["C11"] = sheet["E11"] = None
    sheet["A12"] = __import__("datetime").datetime(2024, 7, 6)  # what Excel makes of 6-7 in a General cell
    workbook.save(path)
    assert problems(path, methodology) == [line.format(f=path) for line in expected]


def test_a_workbook_without_the_table_says_what_the_table_looks_like(tmp_path, methodology):
    path = tmp_path / "m.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["หน่วยงานที่ได้รับการประเมิน", BMA])
    workbook.save(path)
    found = problems(path, methodology)
    assert any("no sheet holds the action table: a row whose cells read ตัวชี้วัดที่ | ประเด็นที่ต้องพัฒนา | มาตรการ"
               in m for m in found)
    assert measures_org(path) == BMA  # still its agency's file: only that agency's reports stop


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken"])
def test_a_damaged_workbook_is_one_clear_problem(tmp_path, methodology, content):
    path = tmp_path / "m.xlsx"
    path.write_bytes(content)
    (message,) = problems(path, methodology)
    assert "not an Excel workbook (.xlsx), or a damaged one" in message


# --- the files of a folder, and whose they are -------------------------------------------------------------

def test_a_folder_reads_yaml_yml_and_xlsx_measures_but_not_lock_files_nor_blank_forms(tmp_path, seed_plan,
                                                                                        methodology):
    measures = tmp_path / "measures"
    measures.mkdir()
    shutil.copy(SEED, measures / "a.yaml")
    shutil.copy(SEED, measures / "b.yml")
    write_plan(seed_plan, measures / "c.xlsx", methodology.year(2566))
    (measures / "~$c.xlsx").write_bytes(b"lock")
    blank = dataclasses.replace(seed_plan, issues=(), constraints=())
    write_plan(blank, measures / "d.xlsx", methodology.year(2566))
    assert [p.name for p in measure_paths(tmp_path)] == ["a.yaml", "b.yml", "c.xlsx"]


def test_a_yaml_file_too_broken_to_read_still_belongs_to_its_agency(tmp_path):
    path = write(tmp_path, HEAD + "issues:\n\t- title: ก\n")
    assert measures_org(path) == BMA
    assert measures_org(write(tmp_path, "unit: [\n", "other.yaml")) is None


def folder_with_measures(tmp_path: Path, *texts: str) -> DataFolder:
    (tmp_path / "scores").mkdir()
    (tmp_path / "measures").mkdir()
    shutil.copy(BUNDLED_DATA / "scores" / "bma.csv", tmp_path / "scores")
    for number, text in enumerate(texts):
        write(tmp_path / "measures", text, f"m{number}.yaml")
    return DataFolder(tmp_path)


@pytest.mark.parametrize("lang, expected", [
    ("en", "the agency 'กรุงเทพฯ' matches no agency in the score files; did you mean 'กรุงเทพมหานคร'? (the name "
           "must be written exactly as in the score files)"),
    ("th", "หน่วยงาน 'กรุงเทพฯ' ไม่ตรงกับหน่วยงานใดในไฟล์คะแนน หมายถึง 'กรุงเทพมหานคร' หรือไม่ "
           "(ชื่อต้องเขียนให้ตรงกับในไฟล์คะแนนทุกตัวอักษร)"),
])
def test_measures_of_an_agency_not_in_the_scores_are_named_with_the_closest_agency(tmp_path, monkeypatch, lang,
                                                                                   expected):
    monkeypatch.setenv("ITA_LANG", lang)
    folder = folder_with_measures(tmp_path, HEAD.replace(BMA, "กรุงเทพฯ") + "issues:\n" + ISSUE,
                                  HEAD + "issues:\n" + ISSUE)
    assert [str(p) for p in unmatched_measures(folder)] == [f"{folder.root}/measures/m0.yaml: {expected}"]


def test_measures_of_a_year_without_scores_and_measures_given_twice_are_told(tmp_path):
    folder = folder_with_measures(tmp_path, HEAD.replace("2566", "2565").replace("2567", "2566") + "issues: []\n",
                                  HEAD + "issues: []\n", HEAD + "issues:\n" + ISSUE)
    assert [p.rule for p in unmatched_measures(folder)] == [
        f"{BMA} has no indicator scores for the results year 2565; years with scores: 2566"]
    assert [(p.file, p.rule) for p in measures_twice(folder)[BMA]] == [
        (f"{folder.root}/measures/m1.yaml, {folder.root}/measures/m2.yaml",
         f"{BMA}, 2566 has measures in more than one file: keep one")]


def test_an_empty_year_is_told_at_its_cell_and_a_missing_one_by_its_label(tmp_path, seed_plan, methodology):
    path = tmp_path / "m.xlsx"
    workbook = filled_template(path, seed_plan, methodology)
    workbook["มาตรการ"]["C5"] = None
    workbook["มาตรการ"].delete_rows(6)  # the plan year's row
    workbook.save(path)
    assert problems(path, methodology) == [  # no plan year: the report's default (the year after the results)
        f"{path}, sheet 'มาตรการ', row 5, column 'C': empty: 'ปีงบประมาณของผลการประเมิน'"]
