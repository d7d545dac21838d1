"""An agency's own framework of a year, in เกณฑ์การประเมิน.xlsx (`ita template framework`): written from the
latest known year, filled in by hand (openpyxl here), read as the YAML's year entry, checked by the
methodology's own rules with each problem at its sheet, row and column, and put over the bundled years in the
folder, its slices and their resume keys. Every agency and score here is SYNTHETIC."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import openpyxl
import pytest
from support import WIDE, fill_framework_sheet, folder_with

from ita_helpers.batch.plan import plan
from ita_helpers.batch.slices import agency_slices
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ITADataError, Problem
from ita_helpers.core.resources import BUNDLED_DATA
from ita_helpers.inputs.dataset import DataFolder
from ita_helpers.inputs.framework_xlsx import FRAMEWORK_WORKBOOK, HEADERS, INDICATORS, TOOLS, read_framework

AGENCY = "หน่วยงานทดสอบเกณฑ์"  # SYNTHETIC
# SYNTHETIC 2570 row: IIT mean 84, EIT mean 91, OIT 9 and 10 weighted 30:20 -> (30*70 + 20*100) / 50 = 82
ROW_2570 = f"{AGENCY},2570,80,82,84,86,88,90,91,92,70,100\n"
# with the workbook's 20/30/50: 0.2*84 + 0.3*91 + 0.5*82 = 16.8 + 27.3 + 41 = 85.10
# (the 2569 framework presumed, 30/30/40 and OIT a plain mean of 85: 25.2 + 27.3 + 34 = 86.50)
FILLED = {"IIT": {2: 20}, "EIT": {2: 30}, "OIT": {2: 50}, "9": {4: 30}, "10": {4: "๒๐"}}  # Thai digits, as typed


def cells(sheet) -> dict[str, int]:
    """First-column text -> its row."""
    found = {}
    for row in range(1, sheet.max_row + 1):
        found.setdefault(str(sheet.cell(row=row, column=1).value), row)
    return found


def fill_2570(path, oit: float = 50) -> None:
    """Tools 20/30/50 (OIT `oit`), OIT's indicators weighted 30 and 20, one source: as an agency would."""
    rows = fill_framework_sheet(path, 2570, FILLED | {"OIT": {2: oit}})
    workbook = openpyxl.load_workbook(path)
    workbook["2570"].cell(row=rows["แหล่งที่มา"] + 1, column=1, value="คู่มือการประเมิน ITA ปี 2570 (สมมุติ)")
    workbook.save(path)


@pytest.fixture
def folder(tmp_path):
    folder_with(tmp_path, **{"scores/new.csv": WIDE + ROW_2570})
    assert main(["template", "framework", "--year", "2570", "--data", str(tmp_path)]) == 0
    return tmp_path


def test_the_template_is_the_latest_year_with_yellow_cells_and_thai_sections(folder):
    sheet = openpyxl.load_workbook(folder / FRAMEWORK_WORKBOOK)["2570"]
    rows = cells(sheet)
    assert sheet["A1"].value == "เกณฑ์การประเมิน ITA ของปีงบประมาณ พ.ศ. 2570"
    assert "คัดลอกจากเกณฑ์ของปีงบประมาณ พ.ศ. 2569" in sheet["A2"].value
    assert [sheet.cell(row=rows[code], column=2).value for code in ("IIT", "EIT", "OIT")] == [30, 30, 40]
    assert sheet.cell(row=rows["คะแนนผ่าน"], column=2).value == 85
    assert sheet.cell(row=rows["IIT"], column=2).fill.start_color.rgb.endswith("FFF2CC")
    tiers = rows["ผ่านดี"]
    assert [sheet.cell(row=tiers, column=c).value for c in (1, 2, 3)] == ["ผ่านดี", 85, 85]
    assert read_framework(folder / FRAMEWORK_WORKBOOK)[2570]["tools"] == [
        {"code": "IIT", "weight": 0.3}, {"code": "EIT", "weight": 0.3}, {"code": "OIT", "weight": 0.4}]


def test_a_filled_2570_sheet_scores_the_2570_row_with_its_weights(folder):
    fill_2570(folder / FRAMEWORK_WORKBOOK)
    method = DataFolder(folder).methodology.year(2570)
    assert method.tool_weights == {"IIT": 0.2, "EIT": 0.3, "OIT": 0.5}
    assert not method.framework_presumed and not method.weights_presumed and method.stated_by_agency
    assert method.sources[1] == "คู่มือการประเมิน ITA ปี 2570 (สมมุติ)"
    row = DataFolder(folder).dataset().score_table().iloc[0]
    assert (round(row["iit"], 2), round(row["eit"], 2), round(row["oit"], 2)) == (84.0, 91.0, 82.0)
    assert round(row["total"], 2) == 85.10 and row["rating"] == "ผ่าน" and not row["framework_presumed"]


def test_weights_typed_as_percent_in_excel_are_read_as_the_percent_shown(folder):
    fill_2570(folder / FRAMEWORK_WORKBOOK)
    workbook = openpyxl.load_workbook(folder / FRAMEWORK_WORKBOOK)
    sheet, rows = workbook["2570"], cells(workbook["2570"])
    for code, share in (("IIT", 0.2), ("EIT", 0.3), ("OIT", 0.5), ("9", 0.3)):  # "20%" typed: Excel keeps 0.2
        cell = sheet.cell(row=rows[code], column=2 if code in ("IIT", "EIT", "OIT") else 4, value=share)
        cell.number_format = "0%"
    workbook.save(folder / FRAMEWORK_WORKBOOK)
    method = DataFolder(folder).methodology.year(2570)
    assert method.tool_weights == {"IIT": 0.2, "EIT": 0.3, "OIT": 0.5}
    assert round(DataFolder(folder).dataset().score_table().iloc[0]["total"], 2) == 85.10


def test_without_the_workbook_the_same_row_is_presumed_2569(tmp_path):
    folder_with(tmp_path, **{"scores/new.csv": WIDE + ROW_2570})
    row = DataFolder(tmp_path).dataset().score_table().iloc[0]
    assert round(row["total"], 2) == 86.50 and row["framework_presumed"]


def test_weights_not_summing_to_100_are_told_in_thai_at_their_cell(folder, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    fill_2570(folder / FRAMEWORK_WORKBOOK, oit=45)
    with pytest.raises(ITADataError) as raised:
        DataFolder(folder).methodology  # noqa: B018
    rows = cells(openpyxl.load_workbook(folder / FRAMEWORK_WORKBOOK)["2570"])
    where = f"{folder / FRAMEWORK_WORKBOOK} แผ่นงาน '2570'"
    assert raised.value.problems == [
        Problem(where, "น้ำหนักของเครื่องมือรวมกันได้ 95 ไม่ใช่ 100", rows["OIT"], HEADERS[TOOLS][1]),
        Problem(where, "น้ำหนักตัวชี้วัดของเครื่องมือ OIT รวมได้ 50 ไม่เท่ากับน้ำหนักของเครื่องมือ 45", rows["9"],
                HEADERS[INDICATORS][3])]
    assert str(raised.value.problems[0]) == f"{where} แถวที่ {rows['OIT']} คอลัมน์ 'น้ำหนัก (ร้อยละ)': " \
                                            "น้ำหนักของเครื่องมือรวมกันได้ 95 ไม่ใช่ 100"


def test_ita_validate_tells_a_broken_cell_and_a_sheet_not_named_a_year(folder, capsys):
    path = folder / FRAMEWORK_WORKBOOK
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["2570"]
    rows = cells(sheet)
    sheet.cell(row=rows["9"], column=4, value="สามสิบ")
    workbook.create_sheet("หมายเหตุ")
    workbook.save(path)
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"sheet '2570', row {rows['9']}, column 'น้ำหนัก (ร้อยละของคะแนนรวม)': not a number (value 'สามสิบ')" in err
    assert "sheet 'หมายเหตุ': name the sheet with the fiscal year it states, e.g. 2570" in err


def test_the_workbook_overrides_the_bundled_2569_in_the_folder_and_its_slices(tmp_path):
    folder_with(tmp_path, **{"scores/new.csv": WIDE + ROW_2570.replace("2570", "2569")})
    keys = {}
    for oit in (None, 40, 50):
        if oit is not None:
            if not (tmp_path / FRAMEWORK_WORKBOOK).exists():
                assert main(["template", "framework", "--year", "2569", "--data", str(tmp_path)]) == 0
            workbook = openpyxl.load_workbook(tmp_path / FRAMEWORK_WORKBOOK)
            rows = cells(workbook["2569"])
            for code, weight in (("IIT", 20), ("EIT", 30 if oit == 50 else 40), ("OIT", oit)):
                workbook["2569"].cell(row=rows[code], column=2, value=weight)
            workbook.save(tmp_path / FRAMEWORK_WORKBOOK)
        folder = DataFolder(tmp_path)
        (job,), _ = plan(folder, formats=("html",))
        keys[oit] = job.key
        methodology = next(i for i in agency_slices(folder, {AGENCY}).inputs[AGENCY] if "methodology" in i.name
                           or i.name.startswith(FRAMEWORK_WORKBOOK))
        if oit is None:
            assert methodology.name == "methodology.yaml"
            assert methodology.data == (BUNDLED_DATA / "methodology.yaml").read_bytes()
        else:
            assert methodology.name == f"{FRAMEWORK_WORKBOOK}.yaml"  # named after the agency's workbook
            assert folder.methodology.years[2569].tool_weights["OIT"] == oit / 100
            assert folder.methodology.years[2568].weights_status == "presumed"  # the others as bundled
            sliced = DataFolder(_written(tmp_path / f"slice{oit}", agency_slices(folder, {AGENCY}).inputs[AGENCY]))
            assert sliced.methodology.years[2569] == folder.methodology.years[2569]
    assert len(set(keys.values())) == 3  # each edit of the workbook makes the report stale


def _written(root, inputs):
    for item in inputs:
        item.write(root)
    return root


def test_a_year_the_workbook_has_is_refused_and_another_is_added(folder, capsys):
    assert main(["template", "framework", "--year", "2570", "--data", str(folder)]) == 2
    assert "already has a sheet of fiscal year 2570" in capsys.readouterr().err
    assert main(["template", "framework", "--year", "2571", "--from", "2566", "--data", str(folder)]) == 0
    assert openpyxl.load_workbook(folder / FRAMEWORK_WORKBOOK).sheetnames == ["2570", "2571"]
    assert read_framework(folder / FRAMEWORK_WORKBOOK)[2571]["rating"]["bands"][0]["label"] == "ผ่านดีเยี่ยม"


def test_ita_score_uses_the_workbook_without_the_presumed_note(folder):
    fill_2570(folder / FRAMEWORK_WORKBOOK)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["score", str(folder), "--format", "csv"]) == 0
    assert err.getvalue() == "note: fiscal year 2570 is scored with the framework the agency states in " \
                             "เกณฑ์การประเมิน.xlsx\n"
    line = next(line for line in out.getvalue().splitlines() if line.startswith(AGENCY))
    assert line.startswith(f"{AGENCY},2570,84.00,91.00,82.00,85.10")


def test_strict_framework_refuses_2570_with_the_command_to_state_it_and_makes_it_once_stated(tmp_path):
    from ita_helpers.analysis.report import build_report

    folder_with(tmp_path, **{"scores/new.csv": WIDE + ROW_2570})
    with pytest.raises(ITADataError, match="state it with ita template framework --year 2570"):
        build_report(AGENCY, 2570, data_dir=tmp_path, strict_framework=True)
    assert main(["template", "framework", "--year", "2570", "--data", str(tmp_path)]) == 0
    fill_2570(tmp_path / FRAMEWORK_WORKBOOK)
    report = build_report(AGENCY, 2570, data_dir=tmp_path, strict_framework=True)
    assert report.method.stated_by_agency and round(report.total, 2) == 85.10


def test_excel_checks_the_numbers_typed_in_the_form(folder):
    sheet = openpyxl.load_workbook(folder / FRAMEWORK_WORKBOOK)["2570"]
    rows = cells(sheet)
    (numbers,) = sheet.data_validations.dataValidation
    assert (numbers.type, numbers.formula1, numbers.formula2) == ("decimal", "0", "100")
    checked = {str(r) for r in numbers.sqref.ranges}
    assert f"B{rows['IIT']}:B{rows['OIT']}" in checked and f"D{rows['1']}:D{rows['10']}" in checked
    assert f"B{rows['คะแนนผ่าน']}" in checked


def test_each_rule_of_the_methodology_is_placed_at_its_row_and_column(folder):
    path = folder / FRAMEWORK_WORKBOOK
    rows = fill_framework_sheet(path, 2570, {"คะแนนผ่าน": {2: 150}, "9": {4: 40}, "4": {2: "ITT"}})
    with pytest.raises(ITADataError) as raised:
        read_framework(path)
    assert [(p.rule, p.row, p.column) for p in raised.value.problems] == [
        ("the pass mark and the rating bands' minimums must be scores from 0 to 100", rows["คะแนนผ่าน"], "คะแนนผ่าน"),
        ("indicator 4 is in tool 'ITT', which is not among the year's tools (IIT, EIT, OIT)", rows["4"], "เครื่องมือ"),
        ("only some indicators of tool OIT carry a weight: give all of them one, or none to split 40 equally",
         rows["9"], "น้ำหนัก (ร้อยละของคะแนนรวม)"),
    ]


def test_a_group_reports_inputs_carry_the_workbooks_framework(folder):
    """The group report reads the whole folder (folder_inputs): its methodology.yaml is the merged one, so a
    year the agency stated is scored as stated there too."""
    from ita_helpers.batch.slices import folder_inputs

    fill_2570(folder / FRAMEWORK_WORKBOOK)
    inputs = folder_inputs(DataFolder(folder))
    sliced = DataFolder(_written(folder.parent / "group_slice", inputs))
    assert sliced.methodology.year(2570).tool_weights == {"IIT": 0.2, "EIT": 0.3, "OIT": 0.5}
