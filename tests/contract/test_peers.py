"""Peer comparison: competition ranks, percentiles, the distribution, the group's weakest indicators, the
standing a report is handed in its slice, and the comparison notebook. All data is SYNTHETIC."""

from __future__ import annotations

import io
import sys

import nbformat
import pytest
from support import WIDE, folder_with, visible_text

from conftest import BMA, REPO_ROOT
from ita_helpers.analysis.comparison import build_comparison
from ita_helpers.analysis.peers import (
    PEERS,
    Standing,
    folder_table,
    histogram,
    ranking,
    standing_in,
    standings,
    summary,
    weakest_indicators,
)
from ita_helpers.analysis.report import build_report
from ita_helpers.batch.plan import plan
from ita_helpers.core.errors import ITADataError
from ita_helpers.document import narrative
from ita_helpers.domain.scoring import score_table
from ita_helpers.inputs.dataset import DataFolder

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
from make_synthetic import make_frame  # noqa: E402

# Tools average to the total's value, so the totals are 95, 90, 90, 80 and 70; indicator 2 is the group's
# weakest (mean 77), indicator 1 its strongest (mean 93), the others have a mean of 85.
GROUP = {
    "ก": [95] * 10,
    "ข": [100, 80, 90, 90, 90] + [90] * 5,
    "ค": [100, 80, 90, 90, 90] + [90] * 5,
    "ง": [90, 70, 80, 80, 80] + [80] * 5,
    "จ": [80, 60, 70, 70, 70] + [70] * 5,
}


def rows(group: dict[str, list[float]], year: int = 2566) -> str:
    return "".join(f"{org},{year},{','.join(map(str, scores))}\n" for org, scores in group.items())


@pytest.fixture
def group_folder(tmp_path) -> DataFolder:
    """The five agencies in FY2566, and only ก in FY2565."""
    return folder_with(tmp_path / "data", **{"scores/group.csv": WIDE + rows(GROUP) + rows({"ก": [88] * 10}, 2565)})


def test_ranks_are_competition_ranks_and_the_percentile_counts_the_others_below(group_folder):
    ranked = ranking(folder_table(group_folder, {2566}), 2566)
    assert list(ranked["org"]) == ["ก", "ข", "ค", "ง", "จ"]
    assert list(ranked["official_total"]) == [95.0, 90.0, 90.0, 80.0, 70.0]
    assert list(ranked["rank"]) == [1, 2, 2, 4, 5]
    assert list(ranked["below"]) == [4, 2, 2, 1, 0]
    assert list(ranked["percentile"]) == [100.0, 50.0, 50.0, 25.0, 0.0]


def test_a_chosen_group_is_ranked_alone_and_an_agency_without_scores_that_year_is_refused(group_folder):
    table = folder_table(group_folder, {2565, 2566})
    ranked = ranking(table, 2566, ["จ", "ค"])
    assert list(ranked["org"]) == ["ค", "จ"] and list(ranked["rank"]) == [1, 2]
    assert list(ranked["percentile"]) == [100.0, 0.0]
    alone = ranking(table, 2565)
    assert list(alone["rank"]) == [1] and alone["percentile"].isna().all()  # no others: undefined, not 0
    with pytest.raises(ITADataError, match="no indicator scores for ข in 2565; agencies with scores that year: ก"):
        ranking(table, 2565, ["ข"])


def test_ranks_agree_with_pandas_on_synthetic_national_style_data(methodology):
    frame = make_frame(agencies=400)
    frame = frame[frame["fiscal_year"] == 2566]
    long = frame.melt(id_vars=["org", "fiscal_year"], var_name="indicator", value_name="score")
    long = long.astype({"indicator": "int64"}).assign(source="synthetic", file="synthetic")
    table = score_table(long, methodology)
    ranked = ranking(table, 2566).set_index("org")
    totals = table.set_index("org")["official_total"]
    expected = totals.rank(method="min", ascending=False).astype(int)
    assert (ranked["rank"] == expected.reindex(ranked.index)).all()
    below = totals.rank(method="min").astype(int) - 1
    assert (ranked["percentile"] == (below / 399 * 100).reindex(ranked.index)).all()
    assert ranked["rank"].min() == 1 and len(ranked) == 400


def test_the_distribution_has_bands_of_two_and_a_half_points_the_last_including_100():
    bins = histogram([0, 84.99, 85, 97.5, 100, 100])
    assert len(bins) == 40 and sum(bins) == 6
    assert (bins[0], bins[33], bins[34], bins[39]) == (1, 1, 1, 3)


def test_summary_of_the_group(group_folder):
    figures = summary(ranking(folder_table(group_folder, {2566}), 2566))
    assert figures == {"agencies": 5, "mean": 85.0, "median": 90.0, "lowest": 70.0, "highest": 95.0,
                       "passing": 3, "passing_share": 60.0}


def test_the_groups_weakest_indicators_come_first_with_how_many_agencies_are_below(group_folder, methodology):
    dataset = group_folder.dataset()
    weakest = weakest_indicators(dataset.indicators, methodology, 2566, list(GROUP), threshold=85)
    assert list(weakest["number"]) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 1]
    assert list(weakest["mean"].round(2)) == [77.0] + [85.0] * 8 + [93.0]
    assert list(weakest["weak_agencies"]) == [4] + [2] * 8 + [1]
    assert list(weakest["weak_share"]) == [80.0] + [40.0] * 8 + [20.0]
    assert weakest.loc[0, "name_th"] == "การใช้งบประมาณ"
    only_two = weakest_indicators(dataset.indicators, methodology, 2566, ["ก", "ข"], threshold=85)
    assert only_two.iloc[0][["number", "mean", "weak_agencies"]].tolist() == [2, 87.5, 1]


def test_standings_round_trip_as_the_slice_carries_them_and_count_ties(group_folder):
    found = standings(folder_table(group_folder, {2565, 2566}), [("ค", 2566), ("ก", 2565), ("จ", 2566)])
    assert set(found) == {("ค", 2566), ("จ", 2566)}  # ก is alone in 2565
    tied = found[("ค", 2566)]
    assert (tied.agencies, tied.rank, tied.below, tied.tied, tied.percentile) == (5, 2, 2, 1, 50.0)
    assert Standing.from_json(tied.to_json()) == tied
    assert found[("จ", 2566)].tied == 0


def test_peer_sentences_in_thai_and_arabic_digits():
    tied = Standing("ค", 2566, 8300, 2, 2, (0,) * 40)
    assert narrative.peer_sentence("ค", 90.0, tied) == (
        "ค ได้คะแนนรวม ๙๐.๐๐ คะแนน อยู่ในลำดับที่ ๒ จาก ๘,๓๐๐ หน่วยงานในข้อมูลชุดนี้ "
        "(คะแนนเท่ากับอีก ๘,๒๙๖ หน่วยงาน) และมีคะแนนรวมสูงกว่าร้อยละ ๐.๐๒ ของหน่วยงานอื่นในข้อมูลชุดนี้")
    single = Standing("ง", 2566, 5, 4, 1, (0,) * 40)
    assert narrative.peer_sentence("ง", 80.0, single, "arabic").endswith(
        "อยู่ในลำดับที่ 4 จาก 5 หน่วยงานในข้อมูลชุดนี้ และมีคะแนนรวมสูงกว่าร้อยละ 25.00 ของหน่วยงานอื่นในข้อมูลชุดนี้")
    bottom = Standing("จ", 2566, 5, 5, 0, (0,) * 40)
    assert narrative.peer_sentence("จ", 70.0, bottom).endswith("และไม่มีหน่วยงานใดได้คะแนนรวมต่ำกว่า")
    top = Standing("ก", 2566, 5, 1, 4, (0,) * 40)
    assert narrative.peer_sentence("ก", 95.0, top) == (
        "ก ได้คะแนนรวม ๙๕.๐๐ คะแนน อยู่ในลำดับที่ ๑ จาก ๕ หน่วยงานในข้อมูลชุดนี้ ซึ่งเป็นคะแนนรวมสูงที่สุดในข้อมูลชุดนี้")
    assert narrative.peer_sentence("ก", 88.0, None).endswith("จึงไม่มีหน่วยงานอื่นให้เปรียบเทียบ")


def test_group_and_weakest_sentences(group_folder):
    comparison = build_comparison(2566, [], "ค", group_folder.root)
    assert narrative.group_sentence(2566, comparison.summary, 85, comparison.national_average) == (
        "ข้อมูลชุดนี้มีผลการประเมินของ ๕ หน่วยงาน ในปีงบประมาณ พ.ศ. ๒๕๖๖ คะแนนรวมเฉลี่ย ๘๕.๐๐ คะแนน "
        "(มัธยฐาน ๙๐.๐๐ ต่ำสุด ๗๐.๐๐ สูงสุด ๙๕.๐๐) มีหน่วยงานที่ผ่านเกณฑ์ ๘๕ คะแนน จำนวน ๓ หน่วยงาน (ร้อยละ ๖๐.๐๐) "
        "ส่วนค่าเฉลี่ยระดับประเทศที่สำนักงาน ป.ป.ช. ประกาศคือ ๙๐.๑๙ คะแนน")
    assert narrative.weakest_sentence(comparison.weakest, 85, 2, "arabic") == (
        "ตัวชี้วัดที่กลุ่มนี้ได้คะแนนเฉลี่ยต่ำที่สุด ได้แก่ การใช้งบประมาณ (เฉลี่ย 77.00 คะแนน มีหน่วยงานที่ได้ต่ำกว่า 85 คะแนน 4 หน่วยงาน) "
        "และการใช้อำนาจ (เฉลี่ย 85.00 คะแนน มีหน่วยงานที่ได้ต่ำกว่า 85 คะแนน 2 หน่วยงาน)")


def test_a_comparison_refuses_an_agency_outside_its_group_and_shows_the_top_and_the_chosen(group_folder):
    with pytest.raises(ITADataError, match="ก is not in the group; the group is: ง, จ"):
        build_comparison(2566, ["ง", "จ"], "ก", group_folder.root)
    with pytest.raises(ITADataError) as unknown:  # the message names the data folder it looked in
        build_comparison(2566, ["ฮ"], None, group_folder.root)
    assert [p.file for p in unknown.value.problems] == [str(group_folder.root)]
    with pytest.raises(ITADataError, match="no indicator scores for year.s. 2564; years in the data: 2565, 2566"):
        build_comparison(2564, [], None, group_folder.root)
    comparison = build_comparison(2566, [], "จ", group_folder.root)
    assert list(comparison.excerpt(top=1, around=1)["org"]) == ["ก", "ง", "จ"]
    assert comparison.total == 70.0 and comparison.standing.rank == 5


def test_plan_hands_a_report_its_standing_only_when_the_year_has_other_agencies(group_folder):
    jobs = {(job.org, job.fiscal_year): job for job in plan(group_folder, formats=("html",))[0]}
    assert PEERS not in {i.name for i in jobs[("ก", 2565)].inputs}
    (peers,) = [i for i in jobs[("ค", 2566)].inputs if i.name == PEERS]
    assert Standing.from_json(peers.data) == Standing("ค", 2566, 5, 2, 2, histogram([95, 90, 90, 80, 70]))


def test_a_report_stands_the_same_from_its_slice_as_from_the_whole_folder(group_folder, tmp_path):
    (job,) = [job for job in plan(group_folder, formats=("html",))[0] if (job.org, job.fiscal_year) == ("ง", 2566)]
    for item in job.inputs:
        item.write(tmp_path / "slice")
    sliced = build_report("ง", 2566, data_dir=tmp_path / "slice")
    whole = build_report("ง", 2566, data_dir=group_folder.root)
    assert sliced.peers == whole.peers == standing_in(group_folder, "ง", 2566)
    assert (whole.peers.rank, whole.peers.agencies) == (4, 5)
    assert build_report("ก", 2565, data_dir=group_folder.root).peers is None  # alone that year


def test_a_report_without_other_agencies_has_no_standing():
    assert build_report(BMA, 2566).peers is None


@pytest.mark.slow
def test_the_compare_notebook_ranks_a_synthetic_group(group_folder, tmp_path):
    from ita_helpers.batch.execute import execute

    out = tmp_path / "compare.ipynb"
    execute(REPO_ROOT / "notebooks" / "compare.ipynb", out,
            {"fiscal_year": 2566, "agencies": [], "org": "ค", "data_dir": str(group_folder.root)}, tmp_path)
    notebook = nbformat.read(out, as_version=4)
    html = " ".join(o.get("data", {}).get("text/html", "") for c in notebook.cells for o in c.get("outputs", []))
    text = visible_text(html)
    assert "ข้อมูลชุดนี้มีผลการประเมินของ ๕ หน่วยงาน ในปีงบประมาณ พ.ศ. ๒๕๖๖ คะแนนรวมเฉลี่ย ๘๕.๐๐ คะแนน" in text
    assert ("ค ได้คะแนนรวม ๙๐.๐๐ คะแนน อยู่ในลำดับที่ ๒ จาก ๕ หน่วยงานในข้อมูลชุดนี้ "
            "(คะแนนเท่ากับอีก ๑ หน่วยงาน) และมีคะแนนรวมสูงกว่าร้อยละ ๕๐.๐๐ ของหน่วยงานอื่นในข้อมูลชุดนี้") in text
    assert "ได้แก่ การใช้งบประมาณ (เฉลี่ย ๗๗.๐๐ คะแนน มีหน่วยงานที่ได้ต่ำกว่า ๘๕ คะแนน ๔ หน่วยงาน)" in text
    ranking_table = next(h for h in html.split("<table")[1:] if "ลำดับ" in h).split("</table>")[0]
    rows_text = [visible_text("<tr" + r) for r in ranking_table.split("<tr")[2:]]
    assert rows_text == ["ก ๙๕.๐๐ ผ่านดีเยี่ยม ใช่ ๑ ๑๐๐.๐๐", "ข ๙๐.๐๐ ผ่านดี ใช่ ๒ ๕๐.๐๐",
                         "ค ๙๐.๐๐ ผ่านดี ใช่ ๒ ๕๐.๐๐", "ง ๘๐.๐๐ ต้องปรับปรุง ไม่ใช่ ๔ ๒๕.๐๐",
                         "จ ๗๐.๐๐ ต้องปรับปรุง ไม่ใช่ ๕ ๐.๐๐"]
    assert "NaN" not in text and "<NA>" not in text
    assert sum("image/svg+xml" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", [])) == 1


def test_the_word_document_has_the_peer_sentence_only_with_peers(group_folder, executed_report):
    from docx import Document

    from ita_helpers.render.exporters import ITADocxExporter

    def paragraphs(org: str, year: int) -> list[str]:
        docx = ITADocxExporter().from_notebook_node(executed_report(org, year, group_folder.root))[0]
        return [p.text for p in Document(io.BytesIO(docx)).paragraphs]

    with_peers = paragraphs("ง", 2566)
    assert ("ง ได้คะแนนรวม ๘๐.๐๐ คะแนน อยู่ในลำดับที่ ๔ จาก ๕ หน่วยงานในข้อมูลชุดนี้ "
            "และมีคะแนนรวมสูงกว่าร้อยละ ๒๕.๐๐ ของหน่วยงานอื่นในข้อมูลชุดนี้") in with_peers
    assert not any("หน่วยงานในข้อมูลชุดนี้" in p for p in paragraphs("ก", 2565))
