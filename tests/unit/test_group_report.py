"""The group report on the SYNTHETIC 40-agency group (tests/fixtures/make_synthetic_group.py): the column
กลุ่ม read with the scores, a group chosen by name, the figures a central analyst looks for (worked by hand
from the fixture's CASES: 30 agencies in กลุ่มสังเคราะห์ ก, 16 with a total of 85 or more, counted in its
CSV), the document's Thai sentences and tables, the group's weakest questions and missed OIT items (on the
two synthetic agencies of tests/fixtures/synthetic_questions), and the batch job that renders it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ita_helpers.analysis.group import build_group, group_members
from ita_helpers.batch.plan import EVERY_AGENCY, plan
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ITADataError
from ita_helpers.document import group_sections as document
from ita_helpers.document.parts import Paragraph, Table
from ita_helpers.inputs.dataset import DataFolder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GROUP_FOLDER = FIXTURES / "synthetic_group"
QUESTIONS_FOLDER = FIXTURES / "synthetic_questions"
GROUP = "กลุ่มสังเคราะห์ ก"


def agency(number: str) -> str:
    return f"หน่วยงานสังเคราะห์ {number}"


@pytest.fixture(scope="module")
def group_a():
    return build_group(GROUP, 2567, GROUP_FOLDER)


@pytest.fixture(scope="module")
def everyone():
    return build_group(None, 2567, GROUP_FOLDER)


def test_the_group_column_is_read_with_the_scores():
    groups = DataFolder(GROUP_FOLDER).dataset().scores.groups
    assert len(groups) == 79  # 40 agencies in 2567, 39 in 2566 (๓๐ is new)
    by_org = groups[groups["fiscal_year"] == 2567].set_index("org")["group"]
    assert by_org[agency("๐๑")] == GROUP and by_org[agency("๓๕")] == "กลุ่มสังเคราะห์ ข"


def test_a_group_is_chosen_by_name_or_is_the_whole_folder():
    groups = DataFolder(GROUP_FOLDER).dataset().scores.groups
    present = set(groups.loc[groups["fiscal_year"] == 2567, "org"])
    assert len(group_members(groups, present, 2567, "กลุ่มสังเคราะห์ ข")) == 10
    assert group_members(groups, present, 2567, "all") is None and group_members(groups, present, 2567, None) is None
    with pytest.raises(ITADataError) as told:
        group_members(groups, present, 2567, "กลุ่มที่ไม่มี")
    assert "กลุ่มที่ไม่มี" in str(told.value) and "กลุ่มสังเคราะห์ ก, กลุ่มสังเคราะห์ ข" in str(told.value)


def test_the_group_figures(group_a, everyone):
    a = group_a.analysis
    assert (a.summary["agencies"], a.summary["passing"]) == (30, 16)
    assert a.near_misses.to_dict("records") == [
        {"org": agency("๐๓"), "official_total": 84.0, "short_by": 1.0},
        {"org": agency("๐๗"), "official_total": 83.5, "short_by": 1.5},
        {"org": agency("๑๑"), "official_total": 83.0, "short_by": 2.0}]
    drops = {r["org"]: (r["previous_rating"], r["rating"]) for r in a.tier_drops.to_dict("records")}
    assert drops == {agency("๐๕"): ("ผ่านดี", "ผ่าน"), agency("๐๙"): ("ผ่านดีเยี่ยม", "ผ่านดี"),
                     agency("๑๓"): ("ผ่านดี", "ต้องปรับปรุง")}
    assert a.floor_downgrades.to_dict("records") == [
        {"org": agency("๐๕"), "official_total": 94.0, "by_total": "ผ่านดี", "rating": "ผ่าน", "tools": "IIT"}]
    assert group_a.figures == {"agencies": 30, "passing": 16, "near_misses": 3, "tier_drops": 3,
                               "floor_downgrades": 1}
    assert everyone.figures == {"agencies": 40, "passing": 20, "near_misses": 4, "tier_drops": 3,
                                "floor_downgrades": 1}
    assert group_a.warnings == [] and group_a.question_agencies == 0


def test_the_summary_and_title_in_thai(group_a, everyone):
    assert document.title(group_a).text == ("รายงานผลการประเมินคุณธรรมและความโปร่งใสของหน่วยงานในกลุ่มสังเคราะห์ ก "
                                            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗")
    assert document.title(everyone).text == ("รายงานผลการประเมินคุณธรรมและความโปร่งใสของหน่วยงานในชุดข้อมูล "
                                             "synthetic_group ประจำปีงบประมาณ พ.ศ. ๒๕๖๗")
    paragraph, table = document.summary(group_a)
    assert paragraph.text.startswith(
        "ในปีงบประมาณ พ.ศ. ๒๕๖๗ หน่วยงานในกลุ่มสังเคราะห์ ก ได้รับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน "
        "(ITA) จำนวน ๓๐ หน่วยงาน ผ่านเกณฑ์ (คะแนนรวม ๘๕ คะแนนขึ้นไป) จำนวน ๑๖ หน่วยงาน คิดเป็นร้อยละ ๕๓.๓๓ "
        "ไม่ผ่านเกณฑ์ ๑๔ หน่วยงาน")
    assert paragraph.text.endswith(
        "มีหน่วยงานที่คะแนนรวมต่ำกว่าเกณฑ์ไม่เกิน ๒ คะแนน ๓ หน่วยงาน ระดับผลลดลงจากปีก่อน ๓ หน่วยงาน "
        "และถูกปรับลดระดับผลเนื่องจากคะแนนเครื่องมือต่ำกว่าเกณฑ์ขั้นต่ำของระดับ ๑ หน่วยงาน")
    counted = {row.cells[0].text: row.cells[1].value for row in table.rows}
    assert counted["ผ่าน"] == 1 and counted["รวม"] == 30
    assert sum(v for k, v in counted.items() if k in ("ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน")) == 16
    arabic = document.summary(group_a, "arabic")[0].text
    assert "จำนวน 30 หน่วยงาน" in arabic and "ร้อยละ 53.33" in arabic


def test_the_ranking_table_shows_each_change(group_a):
    _lead, table = document.ranking_table(group_a)
    assert not table.cards and len(table.rows) == 30  # a long ranking scrolls on a phone
    rows = {row.cells[1].text: row for row in table.rows}
    assert [c.text for c in rows[agency("๐๕")].cells[2:]] == ["๙๔.๐๐", "ผ่าน", "+๐.๐๐", "ลง ๒"]
    assert [c.text for c in rows[agency("๑๓")].cells[2:5]] == ["๘๐.๐๐", "ต้องปรับปรุง", "-๑๐.๐๐"]
    assert rows[agency("๑๓")].kind == "weak" and rows[agency("๐๕")].kind == ""
    assert [c.text for c in rows[agency("๓๐")].cells[4:]] == ["ไม่มีผลปีก่อน", "-"]


def test_who_to_follow_up(group_a):
    near = document.near_misses(group_a)
    assert near[1].text == ("หน่วยงานที่คะแนนรวมต่ำกว่าเกณฑ์ผ่าน (๘๕ คะแนน) ไม่เกิน ๒ คะแนน จำนวน ๓ หน่วยงาน "
                            "ได้แก่ หน่วยงานสังเคราะห์ ๐๓ หน่วยงานสังเคราะห์ ๐๗ และหน่วยงานสังเคราะห์ ๑๑ "
                            "หากได้รับการสนับสนุนให้ปรับปรุงตัวชี้วัดที่ต่ำ มีโอกาสผ่านเกณฑ์ในปีถัดไป")
    assert [[c.text for c in r.cells] for r in near[2].rows][0] == [agency("๐๓"), "๘๔.๐๐", "๑.๐๐"]
    drops = document.tier_drops(group_a)[2]
    assert [c.text for c in drops.rows[1].cells] == [agency("๐๙"), "ผ่านดีเยี่ยม (พ.ศ. ๒๕๖๖)", "ผ่านดี", "-๘.๐๐"]
    lowered = document.floor_downgrades(group_a)[2]
    assert [c.text for c in lowered.rows[0].cells] == [agency("๐๕"), "๙๔.๐๐", "ผ่านดี", "ผ่าน", "IIT"]
    group_b = build_group("กลุ่มสังเคราะห์ ข", 2567, GROUP_FOLDER)
    assert [p.text for p in document.floor_downgrades(group_b)[1:]] == [
        "ไม่มีหน่วยงานที่ถูกปรับลดระดับผลเนื่องจากคะแนนเครื่องมือต่ำกว่าเกณฑ์ขั้นต่ำของระดับ"]


def test_the_weakest_indicators(group_a):
    _heading, paragraph, table = document.weakest_indicators(group_a)
    assert paragraph.text.startswith("ตัวชี้วัดที่คะแนนเฉลี่ยของกลุ่มต่ำที่สุด คือ ตัวชี้วัดที่ ๒ การใช้งบประมาณ")
    assert len(table.rows) == 10 and table.rows[0].cells[0].text == "๒"
    assert document.weakest_questions(group_a) == [] and document.missed_items(group_a) == []


def test_the_weakest_questions_and_missed_items_over_the_agencies_with_question_data():
    report = build_group(None, 2566, QUESTIONS_FOLDER)
    assert report.question_agencies == 2
    missed = report.missed_items.to_dict("records")
    assert [(r["code"], r["missing"], r["agencies"], r["missing_share"]) for r in missed] == [
        ("O28", 1, 2, 50.0), ("O35", 1, 2, 50.0)]
    asked = report.weakest_questions
    assert len(asked) == 10 and list(asked["mean"]) == sorted(asked["mean"])
    assert asked.iloc[0][["code", "mean", "weak_agencies", "agencies"]].tolist() == ["i30", 35.56, 2, 2]
    parts = document.weakest_questions(report) + document.missed_items(report)
    tables = [p for p in parts if isinstance(p, Table)]
    assert all(t.cards for t in tables)
    assert [c.text for c in tables[1].rows[0].cells] == ["O28", "๙.๕", "ช่องทางแจ้งเรื่องร้องเรียน", "๑ จาก ๒", "๕๐.๐"]
    sentences = [p.text for p in parts if isinstance(p, Paragraph)]
    assert sentences[1] == ("รายการของแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ที่หน่วยงานในชุดข้อมูล synthetic_questions "
                            "ยังไม่ได้เผยแพร่มากที่สุด ได้แก่ ข้อ O28, O35")


def test_a_group_named_without_the_column_is_the_whole_folder_and_says_so():
    report = build_group("สำนักงานเขต", 2566, QUESTIONS_FOLDER)
    assert report.analysis.summary["agencies"] == 2 and report.warnings == ["no_previous_year", "no_group_column"]
    assert document.notices(report)[0].text.startswith("ไฟล์คะแนนในชุดข้อมูล synthetic_questions ไม่มีคอลัมน์ “กลุ่ม”")


def test_the_batch_plans_one_group_report_reading_the_whole_folder():
    jobs, problems = plan(DataFolder(GROUP_FOLDER), {2567}, None, ("html",), {"group": GROUP}, document="group")
    (job,) = jobs
    assert problems == [] and job.org == GROUP and job.stem == "group" and job.notebook.name == "ita_group.ipynb"
    assert job.entry == f"2567/{GROUP}#group" and job.parameters["group"] == GROUP
    assert "scores/synthetic_group.csv" in job.digests and "methodology.yaml" in job.digests
    (every,), _ = plan(DataFolder(GROUP_FOLDER), {2567}, None, ("html",), {}, document="group")
    assert every.org == EVERY_AGENCY and every.parameters["group"] is None


def test_the_command_asks_for_a_group_not_an_agency(capsys, tmp_path):
    common = ["report", "--year", "2567", "--data", str(GROUP_FOLDER), "--out", str(tmp_path / "out")]
    assert main([*common, "--document", "group", "--org", agency("๐๑")]) == 2
    assert "--group" in capsys.readouterr().err
    assert main(common) == 2
    assert "--org" in capsys.readouterr().err
