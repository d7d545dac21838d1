"""An agency's own files as they come: a years-as-rows score sheet without an agency column in a folder
made by `ita init --org`, and the seed's action table pasted from Word into Excel with no label cells."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from conftest import BMA_2566, REPO_ROOT
from ita_helpers.agency.starter import init_folder
from ita_helpers.core.errors import ITADataError
from ita_helpers.inputs.dataset import DataFolder
from ita_helpers.inputs.loaders import load_scores
from ita_helpers.inputs.measures import Context, load_measures

ORG = "สำนักงานเลขาธิการสภากรุงเทพมหานคร"
SEED_TABLE = REPO_ROOT / "tests" / "fixtures" / "seed_table" / "measures_table.tsv"


def own_sheet(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ผลคะแนน ITA"])
    sheet.append(["ปีงบประมาณ", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]])
    sheet.append(["๒๕๖๖", *BMA_2566])
    workbook.save(path)
    return path


def pasted_seed(path: Path, responsible: str | None = None) -> Path:
    """The seed's table as Excel receives it from Word: a paragraph a line of its cell."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in SEED_TABLE.read_text(encoding="utf-8").splitlines():
        cells = ["\n".join(re.findall(r"<p>(.*?)</p>", c)) or c for c in line.split("\t")] if line.strip() else []
        if responsible and len(cells) == 4 and cells[2] == "ฝ่ายบริหารงานทั่วไป":
            cells[2] = responsible
        sheet.append(cells)
    workbook.save(path)
    return path


def test_a_sheet_without_an_agency_column_is_the_folders_agencys(tmp_path, methodology):
    init_folder(tmp_path / "own", ORG, methodology, DataFolder(REPO_ROOT / "data").question_catalogue)
    own_sheet(tmp_path / "own" / "scores" / "ประวัติ.xlsx")
    folder = DataFolder(tmp_path / "own")
    assert folder.agency == ORG
    indicators = folder.dataset().indicators
    assert set(indicators["org"]) == {ORG} and set(indicators["fiscal_year"]) == {2566}
    assert indicators.set_index("indicator")["score"].tolist() == BMA_2566


def test_without_a_known_agency_the_message_says_so_first(tmp_path, methodology):
    with pytest.raises(ITADataError) as caught:
        load_scores(own_sheet(tmp_path / "s.xlsx"), methodology)
    (problem,) = caught.value.problems
    assert problem.rule.startswith("no agency column, and the folder does not say whose scores these are:")
    assert load_scores(tmp_path / "s.xlsx", methodology, agency=ORG).indicators["org"].unique().tolist() == [ORG]


def test_a_header_refusal_starts_with_what_is_missing(tmp_path, methodology):
    path = tmp_path / "f.csv"
    path.write_text("หน่วยงาน,1,2,3,4,5,6,7,8,9,10\nก," + ",".join(["90"] * 10) + "\n", encoding="utf-8")
    with pytest.raises(ITADataError) as caught:
        load_scores(path, methodology)
    (problem,) = caught.value.problems
    assert problem.rule.startswith("no header row names the fiscal year")
    assert problem.rule.endswith("accepted: fiscal year: ปีงบประมาณ, ปี พ.ศ., fiscal_year") and len(problem.rule) < 250


def test_the_seeds_table_pasted_into_excel_reads_with_its_indicators(tmp_path, methodology):
    plan = load_measures(pasted_seed(tmp_path / "มาตรการ_2566.xlsx"), methodology, Context(ORG, (2565, 2566)))
    assert (plan.unit, plan.scores_org, plan.results_year, plan.plan_year) == (ORG, ORG, 2566, None)
    assert [i.indicators for i in plan.issues] == [(1, 6, 8), (9, 7), (4,), (3,), (2,), (5,)]
    assert plan.issues[0].title == "การปฏิบัติหน้าที่ คุณภาพการดำเนินงาน และการปรับปรุงระบบการทำงาน"
    assert [len(i.steps) for i in plan.issues] == [5, 3, 2, 3, 1, 4]


def test_two_lines_of_responsible_units_stay_two(tmp_path, methodology):
    path = pasted_seed(tmp_path / "m.xlsx", "ฝ่ายบริหารงานทั่วไป\nฝ่ายการประชุม")
    plan = load_measures(path, methodology, Context(ORG, (2566,)))
    assert plan.issues[0].responsible.split("\n") == ["ฝ่ายบริหารงานทั่วไป", "ฝ่ายการประชุม"]
