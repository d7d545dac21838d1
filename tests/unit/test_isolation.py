"""Failure isolation (issue 19, items 1 and 2): a bad cell fails only the agency-year of its row, a broken
measures file only the report of its results year, and the index and summary say what is up to date, failed
and stale. The batch runs with a backend that hands back every job rendered, without kernels."""

from __future__ import annotations

import html
import json
import random
import re
from urllib.parse import quote

import pytest
from openpyxl import Workbook
from support import WIDE, RenderingBackend, folder_with

from ita_helpers.batch import backends
from ita_helpers.batch.plan import plan
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ITADataError
from ita_helpers.inputs.loaders import PartlyRead, load_scores

AGENCIES = [f"หน่วยงานสังเคราะห์ที่ {n:02d}" for n in range(1, 31)]  # SYNTHETIC: invented names
YEARS = (2564, 2565, 2566)
SHEET = "คะแนนสังเคราะห์"



def synthetic_workbook(path, typo: tuple[str, int, int] | None = None) -> None:
    """A SYNTHETIC score workbook of 30 agencies x 3 years (fixed seed), a title row above the header;
    `typo` (agency, year, indicator) is typed 100.2."""
    scores = random.Random(19)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["ผลคะแนนสังเคราะห์สำหรับการทดสอบ (ไม่ใช่ผลของหน่วยงานใด)"])
    sheet.append(["หน่วยงาน", "ปีงบประมาณ", *range(1, 11)])
    for org in AGENCIES:
        for year in YEARS:
            cells = [round(scores.uniform(60, 100), 2) for _indicator in range(10)]
            if typo and typo[:2] == (org, year):
                cells[typo[2] - 1] = 100.2
            sheet.append([org, year, *cells])
    book.save(path)


def run_all(data, out) -> int:
    return main(["run", "--all", "--data", str(data), "--out", str(out), "--formats", "html", "--jobs", "1"])


@pytest.fixture
def thai(monkeypatch):
    """Messages in Thai, as a user reads them."""
    monkeypatch.setenv("ITA_LANG", "th")


def test_one_score_typed_100_2_fails_only_its_agency_year_and_the_index_marks_it_stale(
        tmp_path, capsys, monkeypatch, thai):
    monkeypatch.setattr(backends, "make_backend", RenderingBackend)
    data = tmp_path / "data"
    (data / "scores").mkdir(parents=True)
    workbook = data / "scores" / "คะแนนสังเคราะห์.xlsx"
    bad = AGENCIES[16]
    synthetic_workbook(workbook, typo=(bad, 2565, 4))  # row 2 + 16 x 3 + 2 = 52, indicator 4
    failed = (f"  ไม่สำเร็จ 2565 {bad}: {workbook.resolve()} แผ่นงาน '{SHEET}' แถวที่ 52 คอลัมน์ '4': "
              "คะแนนอยู่นอกช่วง 0-100 (ค่าที่พบ '100.2')")

    assert run_all(data, tmp_path / "fresh") == 2  # a first run: the 89 others rendered; 2: bad input, as validate says
    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == ["จัดทำแล้ว 89 รายงาน (มีข้อสังเกต 0) ไม่สำเร็จ 1 เป็นปัจจุบันแล้ว 0", failed]

    assert main(["validate", str(data)]) == 2  # validate still refuses the folder, naming the cell
    assert "แถวที่ 52 คอลัมน์ '4': คะแนนอยู่นอกช่วง 0-100 (ค่าที่พบ '100.2')" in capsys.readouterr().err

    out = tmp_path / "out"  # 90 good reports first, then the typo
    synthetic_workbook(workbook)
    assert run_all(data, out) == 0
    capsys.readouterr()
    synthetic_workbook(workbook, typo=(bad, 2565, 4))
    assert run_all(data, out) == 2
    printed = capsys.readouterr().out.splitlines()
    # re-rendered: the 29 others of 2565 (their standing no longer counts the failed one) and bad's other years
    # (its slice lost a year's rows); the rest up to date
    assert printed[:2] == ["จัดทำแล้ว 31 รายงาน (มีข้อสังเกต 0) ไม่สำเร็จ 1 เป็นปัจจุบันแล้ว 58 "
                           "(รายงานที่ไม่สำเร็จ 1 รายงานยังคงแสดงฉบับเดิมซึ่งไม่เป็นปัจจุบัน)", failed]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"ok": 89, "warnings": 0, "failed": 1, "stale": 1}
    entry = next(e for e in manifest["reports"].values() if e["status"] == "failed")
    assert (entry["org"], entry["fiscal_year"], entry["input_problems"]) == (bad, 2565, True)
    kept = entry["last_good"]["outputs"]["html"]
    assert (out / kept).read_text(encoding="utf-8") == f"<html>2565 {bad}</html>"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert ("<p class='counts'>สำเร็จ 89 รายงาน สำเร็จ มีข้อสังเกต 0 รายงาน ไม่สำเร็จ 1 รายงาน "
            "(ในจำนวนนี้แสดงฉบับเดิมซึ่งไม่เป็นปัจจุบัน 1 รายงาน)</p>") in page
    (row,) = [r for r in map(html.unescape, re.findall(r"<tr>.*?</tr>", page)) if bad in r and "ไม่สำเร็จ" in r]
    assert (f"ข้อมูลปัจจุบันมีปัญหา: คะแนนสังเคราะห์.xlsx แผ่นงาน '{SHEET}' แถวที่ 52 "
            "คอลัมน์ '4': คะแนนอยู่นอกช่วง 0-100 (ค่าที่พบ '100.2')") in row
    assert "ฉบับที่แสดงไม่เป็นปัจจุบัน" in row and str(tmp_path) not in row
    assert f"href='{quote(kept)}'" in row  # the last good report stays linked


def test_load_scores_keeps_the_good_rows_and_tells_whose_each_problem_is(tmp_path, methodology):
    rows = (f"ก,2565,{','.join(['90'] * 10)}\n"
            f"ก,2566,{','.join(['90'] * 9)},abc\n"   # row 3: ก 2566 fails
            f"ข,2566,{','.join(['80'] * 10)}\n"
            f",2566,{','.join(['70'] * 10)}\n"       # row 5: whose, cannot be told
            f"ค,25x6,{','.join(['70'] * 10)}\n"      # row 6: ค's year cannot be told: ค's every year fails
            f"ค,2566,{','.join(['70'] * 10)}\n")
    path = folder_with(tmp_path, **{"s.csv": WIDE + rows}).root / "s.csv"
    with pytest.raises(PartlyRead) as caught:
        load_scores(path, methodology)
    err = caught.value
    assert isinstance(err, ITADataError) and [p.row for p in err.problems] == [3, 5, 6]  # validate: all at once
    assert {pair: [(p.row, p.rule) for p in found] for pair, found in err.failing.items()} == {
        ("ก", 2566): [(3, "score is not a number")], ("ค", 2566): [(6, "fiscal year is not a whole number")]}
    assert [(p.row, p.rule) for p in err.unattributed] == [(5, "agency name is empty")]
    kept = err.scores.indicators
    assert sorted(set(zip(kept["org"], kept["fiscal_year"]))) == [("ก", 2565), ("ข", 2566)]
    assert kept["score"].tolist() == [90.0] * 10 + [80.0] * 10


def test_a_header_problem_fails_every_agency_year_the_file_names_said_plainly(tmp_path, methodology):
    path = folder_with(tmp_path, **{"s.csv": "org,fiscal_year,1,2,3,4,5,6,7,8,9,10,99\n"
                                    f"ก,2566,{','.join(['90'] * 11)}\nข,2565,{','.join(['90'] * 11)}\n"}).root / "s.csv"
    with pytest.raises(PartlyRead) as caught:
        load_scores(path, methodology)
    assert sorted(caught.value.failing) == [("ก", 2566), ("ข", 2565)]
    lead = caught.value.failing[("ก", 2566)][0]
    assert lead.rule == ("the file cannot be read as a whole: every report of the 2 agency-year(s) it names fails "
                         "until it is mended")
    assert caught.value.scores.indicators.empty


MEASURES_2564 = """unit: กองสังเคราะห์
scores_org: ก
results_year: 2564
plan_year: 2565
issues:
  - {title: ประเด็นสังเคราะห์, indicators: [42], measures: [ทำสิ่งหนึ่ง], responsible: กองสังเคราะห์, steps: [ขั้นที่หนึ่ง]}
"""


def test_a_broken_measures_file_fails_only_the_report_of_its_results_year(tmp_path):
    rows = "".join(f"ก,{year},{','.join(['90'] * 10)}\n" for year in (2563, 2564, 2566))
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + rows, "measures/ก_2564.yaml": MEASURES_2564})
    jobs, problems = plan(folder)
    assert problems == []
    assert {job.fiscal_year: bool(job.problems) for job in jobs} == {2563: False, 2564: True, 2566: False}
    (failing,) = [job for job in jobs if job.problems]
    assert all(p.file.endswith("ก_2564.yaml") for p in failing.problems)
    assert all(not any(i.name.startswith("measures/") for i in job.inputs) for job in jobs)


@pytest.mark.parametrize("indicator", ["1", "42"])  # valid but for a year without scores; broken too
def test_a_measures_file_validate_refuses_is_not_dropped_by_run(tmp_path, capsys, monkeypatch, thai, indicator):
    monkeypatch.setattr(backends, "make_backend", RenderingBackend)
    measures = MEASURES_2564.replace("[42]", f"[{indicator}]")  # ก has no scores for 2564
    folder = folder_with(tmp_path / "data", **{"scores/a.csv": WIDE + f"ก,2566,{','.join(['90'] * 10)}\n",
                                               "measures/ก_2564.yaml": measures})
    assert main(["validate", str(folder.root)]) == 2
    capsys.readouterr()
    assert run_all(folder.root, tmp_path / "out") == 2
    printed = capsys.readouterr().out
    assert "ปัญหาในไฟล์ข้อมูล" in printed and "ก_2564.yaml" in printed and "2564" in printed


def test_a_score_file_whose_agencies_cannot_be_told_fails_every_report_saying_so(tmp_path):
    rows = "".join(f"{org},2566,{','.join(['90'] * 10)}\n" for org in ("ก", "ข"))
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + rows})
    (tmp_path / "scores" / "b.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    jobs, problems = plan(folder)
    assert [(p.file.rsplit("/", 1)[-1], p.rule.split(" (")[0]) for p in problems] == [
        ("b.xlsx", "cannot read the file")]
    assert {job.org: [p.rule.split(",")[0] for p in job.problems] for job in jobs} == {
        org: ["this score file cannot be read and whose scores it holds cannot be told"] for org in ("ก", "ข")}


def test_the_published_totals_of_a_failing_agency_year_are_left_out_with_its_scores(tmp_path, methodology):
    rows = (f"ก,2566,{','.join(['90'] * 10)},90\n"
            f"ข,2566,{','.join(['80'] * 9)},800,81\n"  # row 3: ข fails, its total too
            f",2566,{','.join(['70'] * 10)},70\n")     # row 4: whose, cannot be told
    path = folder_with(tmp_path, **{"s.csv": WIDE.rstrip() + ",reported_total\n" + rows}).root / "s.csv"
    with pytest.raises(PartlyRead) as caught:
        load_scores(path, methodology)
    totals = caught.value.scores.reported_totals
    assert list(zip(totals["org"], totals["fiscal_year"], totals["reported_total"])) == [("ก", 2566, 90.0)]
    assert list(caught.value.failing) == [("ข", 2566)]
