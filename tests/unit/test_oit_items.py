"""The OIT's items per year (data/oit_items.yaml): counts as ITA_FACTS/ITA_ITEMS give them, the item each
document is, and the note a report makes of it from its own year's list. Report scores here are SYNTHETIC."""

from __future__ import annotations

import pytest
from support import WIDE, folder_with

from conftest import BMA
from ita_helpers.analysis.report import build_report
from ita_helpers.core.errors import ITADataError
from ita_helpers.document import sections
from ita_helpers.domain.oit_items import load_oit_items
from ita_helpers.inputs.dataset import DataFolder

GROUPS_2563 = {"9.1": 9, "9.2": 8, "9.3": 7, "9.4": 4, "9.5": 5, "10.1": 8, "10.2": 2}
GROUPS_2566 = {"9.1": 10, "9.2": 8, "9.3": 4, "9.4": 4, "9.5": 4, "10.1": 8, "10.2": 5}
AGENCY = "หน่วยงานทดสอบรายการ OIT"  # SYNTHETIC
ROW = "90,90,90,90,90,90,90,90,90,90"


@pytest.fixture(scope="module")
def catalogue(data_dir):
    return load_oit_items(data_dir / "oit_items.yaml")


def test_every_year_from_2563_to_2569_with_its_status(catalogue):
    assert sorted(catalogue.years) == list(range(2563, 2570))
    assert {y: catalogue.year(y).status for y in catalogue.years} == {
        2563: "2ND", 2564: "2ND", 2565: "2ND", 2566: "2ND", 2567: "GAP", 2568: "2ND", 2569: "2ND"}
    assert all(catalogue.year(y).sources for y in catalogue.years)
    assert catalogue.year(2562) is None


@pytest.mark.parametrize("year", [2563, 2564, 2565, 2566])
def test_43_items_numbered_o1_to_o43_until_2566(catalogue, year):
    oit = catalogue.year(year)
    assert oit.count == 43 and not oit.approximate
    assert [item.number for item in oit.items] == list(range(1, 44))
    assert oit.sub_indicator_counts() == (GROUPS_2566 if year == 2566 else GROUPS_2563)


def test_2567_has_a_quoted_count_and_no_list(catalogue):
    oit = catalogue.year(2567)
    assert (oit.count, oit.items, oit.documents) == (35, (), {})


@pytest.mark.parametrize("year", [2568, 2569])
def test_about_26_items_in_2568_and_2569_listed_only_as_far_as_seen(catalogue, year):
    oit = catalogue.year(year)
    assert (oit.count, oit.approximate) == (26, True)
    assert len(oit.items) == {2568: 17, 2569: 22}[year]
    assert all(item.sub_indicator is None for item in oit.items)


def test_the_item_of_each_document_per_year(catalogue):
    measures = {y: catalogue.year(y).document_item("measures") for y in catalogue.years}
    assert {y: item.code if item else None for y, item in measures.items()} == {
        2563: "O42", 2564: "O42", 2565: "O42", 2566: "O42", 2567: None, 2568: None, 2569: "O25"}
    assert measures[2569].title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert catalogue.year(2569).document_item("progress").code == "O26"
    assert catalogue.year(2566).document_item("progress").code == "O43"
    year, item = catalogue.document_item("measures", 2571)  # after the last list: the latest one's
    assert (year.fiscal_year, item.code) == (2569, "O25")


def test_a_broken_items_file_is_refused_with_every_problem(tmp_path):
    path = tmp_path / "oit_items.yaml"
    path.write_text("years:\n  2569:\n    status: maybe\n    count: 1\n    items: [{number: 1}, {number: 1}]\n"
                    "    documents: {measures: 25}\n", encoding="utf-8")
    with pytest.raises(ITADataError) as caught:
        load_oit_items(path)
    rules = [p.rule for p in caught.value.problems]
    assert rules == ["fiscal year 2569: status must be one of SRC, 2ND, GAP, not 'maybe'",
                     "fiscal year 2569: item O1 given more than once",
                     "fiscal year 2569: 2 items listed, more than its count 1",
                     "fiscal year 2569: document measures is item O25, which the year does not list"]


def synthetic(tmp_path, year: int) -> DataFolder:
    return folder_with(tmp_path, **{"scores/oit.csv": WIDE + f"{AGENCY},{year},{ROW}\n"})


def test_a_report_names_the_o_item_of_the_year_it_serves(tmp_path):
    folder = synthetic(tmp_path, 2568)
    report = build_report(AGENCY, 2568, plan_year=2569, data_dir=folder.root)
    (note,) = sections.oit_note(report, "thai")
    assert note.text.startswith("เอกสารฉบับนี้จัดทำเพื่อเผยแพร่เป็นข้อมูลตามข้อ O๒๕ “การนำผลการประเมิน ITA "
                                "ไปสู่การพัฒนาองค์กร” ของแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ในการประเมิน"
                                "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙")
    assert "แหล่งข้อมูลทุติยภูมิ" in note.text  # a [2ND] number is never shown as the NACC's own
    (older,) = sections.oit_note(build_report(AGENCY, 2568, plan_year=2566, data_dir=folder.root), "arabic")
    assert "ข้อ O42 “มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน”" in older.text and "พ.ศ. 2566" in older.text


def test_without_a_plan_year_the_document_serves_the_year_after_the_results(tmp_path):
    report = build_report(AGENCY, 2569, data_dir=synthetic(tmp_path, 2569).root)
    assert report.oit_year == 2570
    (note,) = sections.oit_note(report, "arabic")
    assert "ข้อ O25" in note.text and "ตามรายการของปีงบประมาณ พ.ศ. 2569 เนื่องจากยังไม่มีรายการของปีงบประมาณ พ.ศ. 2570" \
        in note.text


def test_no_note_where_no_list_says_which_item_the_document_is(tmp_path):
    folder = synthetic(tmp_path, 2566)
    assert sections.oit_note(build_report(AGENCY, 2566, plan_year=2568, data_dir=folder.root), "thai") == []
    assert sections.oit_note(build_report(AGENCY, 2566, plan_year=2567, data_dir=folder.root), "thai") == []


def test_the_seed_report_serves_2568_whose_measures_item_is_unknown():
    report = build_report(BMA, 2566)
    assert report.oit_year == 2568 and report.oit_item is None


def test_a_folders_own_items_file_overrides_the_bundled_one(tmp_path):
    folder = folder_with(tmp_path, **{
        "scores/oit.csv": WIDE + f"{AGENCY},2569,{ROW}\n",
        "oit_items.yaml": "years:\n  2570:\n    status: SRC\n    count: 30\n    items:\n"
                          "      - {number: 27, title: ชื่อทดสอบ, sub_indicator: null}\n"  # SYNTHETIC
                          "    documents: {measures: 27}\n"})
    (note,) = sections.oit_note(build_report(AGENCY, 2569, data_dir=folder.root), "arabic")
    assert "ข้อ O27 “ชื่อทดสอบ”" in note.text and "ทุติยภูมิ" not in note.text
