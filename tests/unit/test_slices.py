"""Slices: each agency's reports read a small data folder of their own, cut once from the user's folder."""

from __future__ import annotations

import hashlib

import pandas as pd
from support import WIDE, folder_with

from conftest import BMA
from ita_helpers.analysis.peers import PEERS
from ita_helpers.batch.execute import Rendered
from ita_helpers.batch.plan import plan
from ita_helpers.batch.publish import OutputFolder
from ita_helpers.batch.slices import agency_slices
from ita_helpers.core.resources import BUNDLED_DATA
from ita_helpers.domain.names import clean_name
from ita_helpers.inputs.dataset import DataFolder
from ita_helpers.inputs.sources import bundled_digests, is_bundled, source_file_name, source_name

MEASURES_B = "unit: u\nscores_org: ข\nresults_year: 2566\nplan_year: 2567\nissues: []\n"


def row(org: str, score: str = "90", total: str | None = None) -> str:
    return f"{org},2566,{','.join([score] * 10)}{'' if total is None else ',' + total}\n"


def written(inputs, root) -> DataFolder:
    for item in inputs:
        item.write(root)
    return DataFolder(root)


def test_a_slice_holds_only_the_agencys_rows_and_files(tmp_path):
    folder = folder_with(tmp_path / "data", **{
        "scores/a.csv": WIDE.rstrip() + ",reported_total\n" + row("ก", total="") + row("ข", "80", "80.5"),
        "scores/c.xlsx.txt": "not a score file",
        "measures/b.yaml": MEASURES_B,
        "reported_totals.csv": "org,fiscal_year,reported_total,source\nข,2565,77.25,ประกาศ\nก,2565,70,ประกาศ\n",
    })
    slices = agency_slices(folder, {"ข"})
    assert slices.problems == [] and slices.unusable == {} and list(slices.inputs) == ["ข"]
    files = {i.name: i.data.decode() for i in slices.inputs["ข"]}
    assert sorted(files) == ["measures/b.yaml", "methodology.yaml", "national_averages.csv", "oit_items.yaml",
                             "reported_totals.csv", "scores/a.csv"]
    assert files["oit_items.yaml"].encode() == (BUNDLED_DATA / "oit_items.yaml").read_bytes()
    assert files["measures/b.yaml"] == MEASURES_B
    assert files["methodology.yaml"].encode() == (BUNDLED_DATA / "methodology.yaml").read_bytes()
    assert "ก" not in files["scores/a.csv"] and files["scores/a.csv"].count("\nข,2566,") == 10
    assert files["reported_totals.csv"] == "org,fiscal_year,reported_total,source\nข,2565,77.25,ประกาศ\n"
    for item in slices.inputs["ข"]:
        assert item.sha256 == hashlib.sha256(item.data).hexdigest()


def test_the_slice_scores_exactly_as_the_whole_folder(data_dir, tmp_path):
    folder = DataFolder(data_dir)
    sliced = written(agency_slices(folder, {BMA}).inputs[BMA], tmp_path).dataset(BMA)
    pd.testing.assert_frame_equal(sliced.score_table(), folder.dataset(BMA).score_table())
    assert [(m.issues, m.constraints, m.unit) for m in sliced.measures] == [
        (m.issues, m.constraints, m.unit) for m in folder.dataset(BMA).measures]
    assert len(sliced.measures[0].issues) == 6


def test_a_slice_is_the_same_from_a_national_file_and_from_a_one_agency_file(tmp_path):
    others = "".join(row(f"หน่วยงานสังเคราะห์-{n}", str(60 + n)) for n in range(30))
    national = folder_with(tmp_path / "national", **{"scores/scores.csv": WIDE + others + row("ข", "81.25")})
    alone = folder_with(tmp_path / "alone", **{"scores/scores.csv": WIDE + row("ข", "81.25")})
    assert agency_slices(national, {"ข"}).inputs == agency_slices(alone, {"ข"}).inputs


def test_an_agencys_broken_files_stop_only_its_reports_and_are_reported_once_before_any_kernel(tmp_path):
    folder = folder_with(tmp_path, **{
        "scores/a.csv": WIDE + row("ก") + row("ข") + row("ค"),
        "scores/b.csv": WIDE + row("ค", "70"),  # ค, 2566 scored in two files
        "measures/b.yaml": MEASURES_B.replace("issues: []", "issues: 5"),
        "measures/unreadable.yaml": "unit: [\n",  # names no agency at all
        "reported_totals.csv": "org,fiscal_year,reported_total\nก,2566,90\n",
    })
    jobs, problems = plan(folder)
    where = str(folder.root) + "/"
    assert [(p.file.replace(where, ""), p.rule.split(":")[0]) for p in problems] == [
        ("measures/unreadable.yaml", "not valid YAML")]
    assert {job.org: [(p.file.replace(where, ""), p.rule) for p in job.problems] for job in jobs} == {
        "ก": [], "ข": [("measures/b.yaml", "issues must be a list of issue groups")],
        "ค": [("scores/a.csv, scores/b.csv", "ค, 2566 has scores in more than one file")]}
    # b.yaml is for 2566 only: ข keeps its slice (its other years' reports would render), this one fails
    assert [job.inputs == () for job in jobs] == [False, False, True]


def test_editing_one_agencys_row_re_renders_only_the_reports_whose_figures_it_changes(tmp_path):
    """A report shows its agency's standing among the folder's agencies (peers.json in its slice): an edit
    re-renders another agency's report only when it changes what that report shows."""
    rows = "".join(row(f"หน่วยงานสังเคราะห์-{n}", f"{n / 4:.2f}") for n in range(100))
    folder = folder_with(tmp_path / "data", **{"scores/national.csv": WIDE + rows})
    out = OutputFolder(tmp_path / "out")
    for job in plan(folder, formats=("html",))[0]:  # rendered once (files stand in for the reports)
        rendered = Rendered({"ipynb": b"{}", "html": b"<html></html>"})
        out.publish(job, rendered)
        out.record(job, rendered, None, 1.0)

    def stale_after(edited: str) -> list[str]:
        (tmp_path / "data" / "scores" / "national.csv").write_text(
            WIDE + rows.replace(row("หน่วยงานสังเคราะห์-42", "10.50"), row("หน่วยงานสังเคราะห์-42", edited)),
            encoding="utf-8")
        jobs = plan(DataFolder(tmp_path / "data"), formats=("html",))[0]
        assert len(jobs) == 100
        return [job.org for job in jobs if not out.up_to_date(job, "-")]

    # 10.50 -> 10.60 passes no one and stays in its 2.5-point bar: only its own report changes
    assert stale_after("10.60") == ["หน่วยงานสังเคราะห์-42"]
    # 10.50 -> 10.75 ties with agency 43 (10.75), which now has one agency fewer below it
    assert stale_after("10.75") == ["หน่วยงานสังเคราะห์-42", "หน่วยงานสังเคราะห์-43"]


def test_an_excel_files_rows_keep_its_name_in_the_charts_source_line():
    assert source_file_name("bma.xlsx.csv") == "bma.xlsx" and source_file_name("bma.csv") == "bma.csv"


def test_a_slice_file_is_named_as_the_agency_knows_it():
    """The footer and appendix name the agency's own file: its workbook, not the CSV of its rows the slice
    holds; nothing for what the suite computed itself."""
    assert source_name("scores/ผลITA.xlsx.csv") == "ผลITA.xlsx" and source_name("scores/bma.csv") == "bma.csv"
    assert source_name("measures/แผน.xlsx") == "แผน.xlsx"
    assert source_name("reported_totals.csv") == "reported_totals.csv"
    assert source_name(PEERS) is None
    bundled = bundled_digests()
    assert is_bundled("methodology.yaml", bundled["methodology.yaml"]) and not is_bundled("methodology.yaml", "0" * 64)
    assert "reported_totals.csv" not in bundled  # an agency's data, never the suite's


def test_names_csv_must_quote_survive_the_slice(tmp_path):
    names = ['หน่วยงาน "ก", สาขา 1', "สำนักงาน\nบรรทัดสอง", "ข"]
    quoted = "".join('"' + n.replace('"', '""') + '"' + row("") for n in names)  # row("") starts ",2566,"
    folder = folder_with(tmp_path / "data", **{"scores/a.csv": WIDE + quoted})
    read = [clean_name(n) for n in names]  # the line break inside a cell read as a space
    assert sorted(o for o, _ in folder.agency_years()) == sorted(read) and read[1] == "สำนักงาน บรรทัดสอง"
    slices = agency_slices(folder, set(read))
    for number, name in enumerate(read):
        assert [o for o, _ in written(slices.inputs[name], tmp_path / str(number)).agency_years()] == [name]


def test_an_agency_year_with_measures_in_two_files_fails_its_reports_before_any_kernel(tmp_path):
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + row("ข") + row("ก"),
                                      "measures/one.yaml": MEASURES_B, "measures/two.yaml": MEASURES_B})
    jobs, problems = plan(folder)
    assert problems == [] and {job.org: bool(job.problems) for job in jobs} == {"ก": False, "ข": True}
    (job,) = [job for job in jobs if job.problems]
    assert job.problems[0].rule == "ข, 2566 has measures in more than one file: keep one"
