"""`ita init` and `ita template measures`: an agency starts its own data folder, writes its measures in
Excel, and what it fills in is read back as its measures and reaches its report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import BMA, BMA_2566
from ita_helpers.batch.plan import plan as plan_jobs
from ita_helpers.cli.main import main
from ita_helpers.domain.scoring import headroom, weak_indicators
from ita_helpers.inputs.dataset import BUNDLED_DATA, DataFolder
from ita_helpers.inputs.folder_checks import unmatched_measures
from ita_helpers.inputs.loaders import load_scores

SCORE_FORM = f"scores/คะแนน_{BMA}.xlsx"
BLANK_MEASURES = f"measures/มาตรการ_{BMA}.xlsx"
MEASURES_2566 = f"measures/มาตรการ_{BMA}_2566.xlsx"
WEAK_BY_HEADROOM = [8, 7, 6, 2, 4, 5]  # the seed's six weak indicators, most points of total to gain first


def init(folder: Path, org: str = BMA) -> Path:
    assert main(["init", str(folder), "--org", org]) == 0
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def with_bma_scores(folder: Path) -> Path:
    """The init'ed folder with the seed's scores copied in beside the score form nobody filled in (which is
    not read while blank)."""
    shutil.copy(BUNDLED_DATA / "scores" / "bma.csv", folder / "scores")
    return folder


def fill_in(path: Path) -> dict[int, str]:
    """Fill a measures workbook in as a user would: several measures and steps per cell, one per line,
    numbered or bulleted; a constraint. Returns the first measure written for each indicator."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["มาตรการ"]
    first = {}
    for row in range(10, sheet.max_row + 1):
        number = sheet.cell(row=row, column=1).value
        if not number:
            continue
        first[int(number)] = f"มาตรการเพื่อตัวชี้วัดที่ {number} ข้อแรก"
        sheet.cell(row=row, column=3, value=f"1. {first[int(number)]}\n2. มาตรการข้อที่สอง")
        sheet.cell(row=row, column=4, value="ฝ่ายบริหารงานทั่วไป")
        sheet.cell(row=row, column=5, value="- ประชุมคณะทำงาน\n- รายงานผลต่อผู้บริหาร")
    workbook["ข้อจำกัด"]["A2"] = "บุคลากรไม่เพียงพอ"
    workbook.save(path)
    return first


# --- ita init ---------------------------------------------------------------------------------------------

def test_init_makes_a_data_folder_with_excel_forms_and_a_thai_readme(tmp_path, methodology, capsys):
    folder = init(tmp_path / "agency")
    assert files_in(folder) == ["README.txt", "agency.txt", BLANK_MEASURES, f"questions/ข้อคำถาม_{BMA}_2569.xlsx",
                                SCORE_FORM]
    assert (folder / "agency.txt").read_text(encoding="utf-8").splitlines()[-1] == BMA
    readme = (folder / "README.txt").read_text(encoding="utf-8-sig")
    assert "แบบฟอร์มคะแนน" in readme and f'ita template measures --org "{BMA}"' in readme
    assert f'ita template questions --org "{BMA}" --year ปีงบประมาณ' in readme
    assert f'ita template progress --org "{BMA}" --year ปีงบประมาณ --data "{folder}" --round 6' in readme
    assert f"wrote {folder / SCORE_FORM}" in capsys.readouterr().out

    workbook = openpyxl.load_workbook(folder / SCORE_FORM)
    assert workbook.sheetnames == ["คะแนน", "คำแนะนำ"]
    sheet = workbook["คะแนน"]
    latest = methodology.year(max(methodology.years))
    header = [cell.value for cell in sheet[1]]
    assert header == ["หน่วยงาน", "ปีงบประมาณ", *(f"{i.number}. {i.name_th}" for i in latest.indicators), "คะแนนรวม",
                      "แหล่งที่มา"]
    assert all(cell.comment and re.search("[ก-๙]", cell.comment.text) for cell in sheet[1])  # Thai guidance
    validations = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert validations["C2:L201 M2:M201"] == ("decimal", "0", "100")
    assert validations["B2:B201"] == ("whole", "2400", "2700")


def test_the_score_form_filled_in_is_read_by_the_score_loader(tmp_path, methodology):
    path = init(tmp_path / "agency") / SCORE_FORM
    workbook = openpyxl.load_workbook(path)
    workbook["คะแนน"].append([BMA, 2566, *BMA_2566, 88.98, "ITAS"])
    workbook.save(path)
    scores = load_scores(path, methodology)
    assert scores.indicators["score"].tolist() == BMA_2566
    assert scores.reported_totals["reported_total"].tolist() == [88.98]


def test_the_blank_measures_form_is_not_read_until_it_is_filled_in(tmp_path):
    folder = with_bma_scores(init(tmp_path / "agency"))
    assert DataFolder(folder).measure_files == ()
    assert main(["validate", str(folder)]) == 0


@pytest.mark.parametrize("lang, expected", [
    ("en", "README.txt: already exists: nothing was written (move it away, or choose another folder)"),
    ("th", "README.txt: มีไฟล์นี้อยู่แล้ว จึงไม่ได้เขียนไฟล์ใดเลย (ย้ายไฟล์เดิมออก หรือเลือกโฟลเดอร์อื่น)"),
])
def test_init_never_overwrites_a_file(tmp_path, capsys, monkeypatch, lang, expected):
    folder = tmp_path / "agency"
    folder.mkdir()
    (folder / "README.txt").write_text("ของเดิม", encoding="utf-8")
    monkeypatch.setenv("ITA_LANG", lang)
    assert main(["init", str(folder), "--org", BMA]) == 2
    assert expected in capsys.readouterr().err
    assert files_in(folder) == ["README.txt"] and (folder / "README.txt").read_text(encoding="utf-8") == "ของเดิม"


# --- ita template measures ----------------------------------------------------------------------------------

def test_the_measures_template_has_one_row_per_weak_indicator_most_headroom_first(tmp_path, dataset, bma_scores,
                                                                                  capsys):
    folder = with_bma_scores(init(tmp_path / "agency"))
    assert main(["template", "measures", "--org", BMA, "--year", "2566", "--data", str(folder)]) == 0
    assert "8, 7, 6, 2, 4, 5" in capsys.readouterr().out
    method = dataset.methodology.year(2566)
    weak = set(weak_indicators(bma_scores, method)["number"])
    assert [n for n in headroom(bma_scores, method)["number"] if n in weak] == WEAK_BY_HEADROOM

    sheet = openpyxl.load_workbook(folder / MEASURES_2566)["มาตรการ"]
    assert [sheet[f"C{row}"].value for row in range(3, 7)] == [BMA, BMA, 2566, 2567]
    assert [cell.value for cell in sheet[9]][:5] == ["ตัวชี้วัดที่", "ประเด็นที่ต้องพัฒนา", "มาตรการ",
                                                     "ผู้รับผิดชอบ", "ขั้นตอนการดำเนินการ"]
    rows = [[cell.value for cell in row][:5] for row in sheet.iter_rows(min_row=10, max_row=sheet.max_row)
            if row[0].value]
    assert rows == [[str(n), method.indicator(n).name_th, None, None, None] for n in WEAK_BY_HEADROOM]


def test_the_measures_template_filled_in_is_read_as_the_agencys_measures(tmp_path):
    folder = with_bma_scores(init(tmp_path / "agency"))
    assert main(["template", "measures", "--org", BMA, "--year", "2566", "--data", str(folder),
                 "--plan-year", "2568", "--unit", "สำนักงานทดสอบ"]) == 0
    unfilled, _problems = plan_jobs(DataFolder(folder))
    assert [job.problems for job in unfilled] == [()]  # a template not yet filled in is not read, nor fails
    first = fill_in(folder / MEASURES_2566)
    data = DataFolder(folder)
    plan = data.dataset(BMA).measures_for(BMA, 2566)
    assert (plan.unit, plan.scores_org, plan.results_year, plan.plan_year) == ("สำนักงานทดสอบ", BMA, 2566, 2568)
    assert [issue.indicators for issue in plan.issues] == [(n,) for n in WEAK_BY_HEADROOM]
    assert [issue.measures for issue in plan.issues] == [(first[n], "มาตรการข้อที่สอง") for n in WEAK_BY_HEADROOM]
    assert {issue.steps for issue in plan.issues} == {("ประชุมคณะทำงาน", "รายงานผลต่อผู้บริหาร")}
    assert plan.constraints == ("บุคลากรไม่เพียงพอ",)
    assert plan.uncovered(WEAK_BY_HEADROOM) == [] and unmatched_measures(data) == []


@pytest.mark.parametrize("lang, expected", [
    ("en", "no indicator scores for the agency 'กรุงเทพ'; did you mean 'กรุงเทพมหานคร'?"),
    ("th", "ไม่มีคะแนนรายตัวชี้วัดของหน่วยงาน 'กรุงเทพ' หมายถึง 'กรุงเทพมหานคร' หรือไม่"),
])
def test_the_measures_template_of_an_unknown_agency_names_the_closest(tmp_path, capsys, monkeypatch, lang, expected):
    monkeypatch.setenv("ITA_LANG", lang)
    folder = with_bma_scores(init(tmp_path / "agency"))
    assert main(["template", "measures", "--org", "กรุงเทพ", "--year", "2566", "--data", str(folder)]) == 2
    assert expected in capsys.readouterr().err
    assert not (folder / "measures" / "มาตรการ_กรุงเทพ_2566.xlsx").exists()


def test_the_measures_template_never_overwrites_and_goes_where_it_is_told(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "measures", "--org", BMA, "--year", "2566"]) == 0  # bundled data: here
    assert (tmp_path / f"มาตรการ_{BMA}_2566.xlsx").exists()
    assert main(["template", "measures", "--org", BMA, "--year", "2566"]) == 2
    assert "already exists: nothing was written (name another file with --out" in capsys.readouterr().err
    assert main(["template", "measures", "--org", BMA, "--year", "2566", "--out", "อื่น.xlsx"]) == 0
    assert (tmp_path / "อื่น.xlsx").exists()
    assert main(["template", "measures", "--org", BMA, "--year", "2563"]) == 2
    assert "years with scores: 2566" in capsys.readouterr().err


# --- the whole way, to the report -------------------------------------------------------------------------

@pytest.mark.slow
def test_init_template_fill_in_and_the_measures_reach_the_reports_action_table(tmp_path):
    folder = with_bma_scores(init(tmp_path / "agency"))
    assert main(["template", "measures", "--org", BMA, "--year", "2566", "--data", str(folder)]) == 0
    first = fill_in(folder / MEASURES_2566)
    out = tmp_path / "out"
    assert main(["report", "--org", BMA, "--year", "2566", "--data", str(folder), "--out", str(out),
                 "--formats", "html"]) == 0
    html = (out / "2566" / BMA / "report.html").read_text(encoding="utf-8")
    actions = re.search(r"<table class=.ita actions.>.*?</table>", html, re.DOTALL).group(0)
    assert all(first[n] in actions for n in WEAK_BY_HEADROOM)
    assert "ฝ่ายบริหารงานทั่วไป" in actions and "ประชุมคณะทำงาน" in actions
    assert "บุคลากรไม่เพียงพอ" in html


@pytest.mark.parametrize("link", ["form", "folder"])
def test_init_never_writes_through_a_link(tmp_path, capsys, monkeypatch, link):
    """A dangling link at a form's path, or a scores/ folder linked elsewhere, would have the form written
    outside the agency's folder: refused, nothing written anywhere."""
    from ita_helpers.agency.starter import score_form_name

    monkeypatch.setenv("ITA_LANG", "en")
    folder, outside = tmp_path / "agency", tmp_path / "outside"
    outside.mkdir()
    (folder / "scores").mkdir(parents=True)
    if link == "form":
        linked = folder / "scores" / score_form_name(BMA)
        linked.symlink_to(outside / "planted.xlsx")
    else:
        (folder / "scores").rmdir()
        linked = folder / "scores"
        linked.symlink_to(outside, target_is_directory=True)
    assert main(["init", str(folder), "--org", BMA]) == 2
    err = capsys.readouterr().err
    assert f"{linked}: a symbolic link: ita init writes nothing through a link" in err
    assert list(outside.iterdir()) == [] and files_in(folder) == []
