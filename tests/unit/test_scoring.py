"""Scoring: the seed's published figures, both rating schemes at every boundary, headroom,
weak indicators, what-if, change from the previous year and the reported-total check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import BMA, BMA_2566, build_long_frame, indicator_scores
from ita_helpers.domain import scoring

LETTER_YEARS = [2562, 2563, 2564, 2565]
TIER_YEARS = [2566, 2567, 2568]


# --- the seed: BMA, FY2566 -------------------------------------------------------------------

def test_seed_tool_scores_and_total(bma_row):
    assert round(bma_row["iit"], 2) == 82.44
    assert round(bma_row["eit"], 2) == 80.82
    assert round(bma_row["oit"], 2) == 100.00
    assert round(bma_row["total"], 2) == 88.98


def test_seed_total_is_weighted_not_a_plain_mean(bma_row):
    assert round(np.mean(BMA_2566), 2) == 85.47
    assert round(bma_row["total"], 2) != 85.47


def test_seed_rating_pass_and_weak_indicators(bma_row):
    assert bma_row["rating"] == "ผ่าน"
    assert bool(bma_row["passed"]) is True
    assert bma_row["weak_indicators"] == "6;7;8;5;4;2"
    assert bool(bma_row["weights_presumed"]) is False


def test_seed_change_reported_total_and_national_average(bma_row):
    assert bma_row["previous_year"] == 2565
    assert bma_row["change"] == pytest.approx(-1.03, abs=1e-9)
    assert bma_row["reported_total"] == 88.98
    assert abs(bma_row["difference"]) <= 0.01
    assert bool(bma_row["mismatch"]) is False
    assert bma_row["national_average"] == 90.19


# --- rating boundaries: letter bands FY2562-2565, tiers from FY2566 ---------------------------

LETTER_BOUNDARIES = [
    (100, "AA"), (95, "AA"), (94.99, "A"), (85, "A"), (84.99, "B"), (75, "B"), (74.99, "C"),
    (65, "C"), (64.99, "D"), (55, "D"), (54.99, "E"), (50, "E"), (49.99, "F"), (0, "F"),
]
TIER_BOUNDARIES = [
    (100, "ผ่านดีเยี่ยม"), (95, "ผ่านดีเยี่ยม"), (94.99, "ผ่านดี"), (85, "ผ่านดี"),
    (84.99, "ต้องปรับปรุง"), (70, "ต้องปรับปรุง"), (69.99, "ต้องปรับปรุงโดยด่วน"), (0, "ต้องปรับปรุงโดยด่วน"),
]


@pytest.mark.parametrize(("year", "total", "label"),
                         [(y, t, lab) for y in LETTER_YEARS for t, lab in LETTER_BOUNDARIES]
                         + [(y, t, lab) for y in TIER_YEARS for t, lab in TIER_BOUNDARIES])
def test_rating_boundaries_with_equal_tools(score_one, year, total, label):
    """Every boundary of both schemes; equal tools, so the tier floors never bind here."""
    row = score_one(indicator_scores(total, total, total), year)
    assert round(row["total"], 2) == total
    assert row["rating"] == label
    assert bool(row["passed"]) is (total >= 85)


@pytest.mark.parametrize("year", LETTER_YEARS)
def test_letter_bands_have_no_tool_floor(score_one, year):
    row = score_one(indicator_scores(50, 100, 100), year)  # 0.3*50 + 0.3*100 + 0.4*100 = 85
    assert round(row["total"], 2) == 85.00
    assert row["rating"] == "A"


# --- tiers, FY2566 onward ------------------------------------------------------------------

@pytest.mark.parametrize(("iit", "eit", "oit", "total", "label"), [
    # published case: 95.81 with one tool below 95 is ผ่านดี, not ผ่านดีเยี่ยม
    (94, 95, [97.77, 97.78], 95.81, "ผ่านดี"),
    # published case: 94.64 with EIT below 85 is ผ่าน
    (100, 84, [98.6, 98.6], 94.64, "ผ่าน"),
    # the seed: IIT 82.44 keeps 88.98 at ผ่าน
    (BMA_2566[:5], BMA_2566[5:8], 100, 88.98, "ผ่าน"),
    # floors are inclusive
    (95, 95, 100, 97.00, "ผ่านดีเยี่ยม"),
    (94.99, 100, 100, 98.50, "ผ่านดี"),
    (85, 90, 90, 88.50, "ผ่านดี"),
    (84.99, 90, 90, 88.50, "ผ่าน"),
    # below 85 the floors do not matter
    (100, 100, 62, 84.80, "ต้องปรับปรุง"),
    (100, 100, 25, 70.00, "ต้องปรับปรุง"),
    (100, 100, 24.97, 69.99, "ต้องปรับปรุงโดยด่วน"),
])
def test_tier_tool_floors(score_one, iit, eit, oit, total, label):
    row = score_one(indicator_scores(iit, eit, oit), 2566)
    assert round(row["total"], 2) == total
    assert row["rating"] == label
    assert bool(row["passed"]) is (total >= 85)


def test_score_table_rates_each_year_by_its_own_scheme(long_frame, methodology):
    scores = indicator_scores(96, 96, 96)
    table = scoring.score_table(long_frame(("X", 2565, scores), ("X", 2566, scores)), methodology)
    assert table["rating"].tolist() == ["AA", "ผ่านดีเยี่ยม"]
    assert table["weights_presumed"].tolist() == [True, False]


# --- headroom --------------------------------------------------------------------------------

def test_indicator_weights(methodology):
    weights = methodology.year(2566).indicator_weights
    assert weights.to_dict() == pytest.approx(
        {1: 0.06, 2: 0.06, 3: 0.06, 4: 0.06, 5: 0.06, 6: 0.10, 7: 0.10, 8: 0.10, 9: 0.20, 10: 0.20})


def test_headroom_of_the_seed(bma_scores, bma_row, methodology):
    room = scoring.headroom(bma_scores, methodology.year(2566)).set_index("number")
    assert list(room.index) == [8, 7, 6, 2, 4, 5, 3, 1, 9, 10]  # most headroom first
    assert room.loc[8, "headroom"] == pytest.approx(0.10 * (100 - 78.37))  # 2.163
    assert room.loc[2, "headroom"] == pytest.approx(0.06 * (100 - 77.83))  # 1.3302
    assert room.loc[9, "headroom"] == 0
    assert room["headroom"].sum() == pytest.approx(100 - bma_row["total"])
    assert room.loc[8, "gap"] == pytest.approx(85 - 78.37)
    assert room.loc[8, "gain_at_threshold"] == pytest.approx(0.10 * (85 - 78.37))
    assert room.loc[1, "gap"] == 0 and room.loc[1, "gain_at_threshold"] == 0
    assert room.loc[4, "name_th"] == "การใช้ทรัพย์สินของราชการ"


def test_headroom_ties_by_indicator_number(methodology):
    scores = pd.Series(indicator_scores(90, 90, 100), index=range(1, 11))
    room = scoring.headroom(scores, methodology.year(2566))
    assert room["number"].tolist() == [6, 7, 8, 1, 2, 3, 4, 5, 9, 10]


# --- weak indicators -----------------------------------------------------------------------

def test_weak_indicators_of_the_seed_highest_first(bma_scores, methodology):
    weak = scoring.weak_indicators(bma_scores, methodology.year(2566))
    assert weak["number"].tolist() == [6, 7, 8, 5, 4, 2]
    assert weak["score"].tolist() == [82.88, 81.22, 78.37, 78.31, 77.95, 77.83]
    # the seed's prose left out indicator 5; it must be listed, under its official name
    assert weak.loc[weak["number"] == 5, "name_th"].item() == "การแก้ไขปัญหาการทุจริต"
    assert weak.loc[weak["number"] == 8, "name_th"].item() == "การปรับปรุงระบบการทำงาน"


def test_weak_indicators_threshold_is_strict_and_configurable(bma_scores, methodology):
    method = methodology.year(2566)
    assert scoring.weak_indicators(bma_scores, method, threshold=80)["number"].tolist() == [8, 5, 4, 2]
    at_85 = pd.Series(indicator_scores(85, 85, 85), index=range(1, 11))
    assert scoring.weak_indicators(at_85, method).empty


def test_weak_indicator_list_ties_by_number_and_empty_when_none(score_one):
    tied = score_one(indicator_scores([80, 90, 80, 90, 70], [84.99, 85, 85], 100))
    assert tied["weak_indicators"] == "6;1;3;5"
    assert score_one(indicator_scores(90, 90, 90))["weak_indicators"] == ""


def test_weak_indicators_threshold_in_score_table(long_frame, methodology):
    table = scoring.score_table(long_frame(("X", 2566, BMA_2566)), methodology, threshold=80)
    assert table.loc[0, "weak_indicators"] == "8;5;4;2"


# --- what-if ---------------------------------------------------------------------------------

def test_what_if_raises_total_by_weight_times_gain(bma_scores, methodology):
    result = scoring.what_if(bma_scores, {2: 90}, methodology.year(2566))
    assert result["total"] == pytest.approx(88.9796 + 0.06 * (90 - 77.83))  # 89.7098
    assert result["rating"] == "ผ่าน"
    assert result["weak_indicators"] == "6;7;8;5;4"


def test_what_if_all_weak_at_85_is_good(bma_scores, methodology):
    before = bma_scores.copy()
    result = scoring.what_if(bma_scores, {n: 85 for n in (2, 4, 5, 6, 7, 8)}, methodology.year(2566))
    assert round(result["total"], 2) == 91.49
    assert round(result["iit"], 2) == 86.62 and round(result["eit"], 2) == 85.00
    assert result["rating"] == "ผ่านดี"
    assert result["weak_indicators"] == ""
    pd.testing.assert_series_equal(bma_scores, before)  # the input is not changed


def test_what_if_without_changes_matches_score_table(bma_scores, bma_row, methodology):
    result = scoring.what_if(bma_scores, {}, methodology.year(2566))
    assert result["total"] == pytest.approx(bma_row["total"])
    assert result["rating"] == bma_row["rating"]


# --- change from the previous year ------------------------------------------------------------

def reported(*rows):
    return pd.DataFrame(rows, columns=["org", "fiscal_year", "reported_total"])


def test_change_uses_reported_totals_where_indicators_are_missing(long_frame, methodology):
    scores = long_frame(("X", 2566, indicator_scores(90, 90, 90)), ("X", 2568, indicator_scores(92, 92, 92)))
    table = scoring.score_table(scores, methodology, reported(("X", 2565, 88.0), ("X", 2567, 91.0)))
    assert table["fiscal_year"].tolist() == [2566, 2568]
    assert table["previous_year"].tolist() == [2565, 2567]
    assert table["change"].tolist() == pytest.approx([2.00, 1.00])


def test_change_skips_missing_years_and_other_agencies(long_frame, methodology):
    scores = long_frame(("X", 2563, indicator_scores(80, 80, 80)), ("X", 2566, indicator_scores(90, 90, 90)),
                        ("Y", 2566, indicator_scores(70, 70, 70)))
    table = scoring.score_table(scores, methodology).set_index(["org", "fiscal_year"])
    assert table.loc[("X", 2566), "previous_year"] == 2563
    assert table.loc[("X", 2566), "change"] == pytest.approx(10.00)
    assert pd.isna(table.loc[("X", 2563), "previous_year"]) and pd.isna(table.loc[("X", 2563), "change"])
    assert pd.isna(table.loc[("Y", 2566), "change"])


def test_change_skips_years_whose_reported_total_is_unknown(long_frame, methodology):
    """A reported-totals row with an empty total (allowed by reported_totals.csv) is not a known total."""
    scores = long_frame(("X", 2566, indicator_scores(90, 90, 90)))
    table = scoring.score_table(scores, methodology, reported(("X", 2563, 91.48), ("X", 2565, np.nan)))
    assert table.loc[0, "previous_year"] == 2563
    assert table.loc[0, "change"] == pytest.approx(-1.48)


# --- reported totals --------------------------------------------------------------------------

@pytest.mark.parametrize(("published", "difference", "mismatch"), [
    (88.98, -0.0004, False),
    (88.97, 0.0096, False),   # published totals come from unrounded data: within 0.01 is agreement
    (88.96, 0.0196, True),
    (88.99, -0.0104, True),
])
def test_mismatch_flag_beyond_one_hundredth(long_frame, methodology, published, difference, mismatch):
    table = scoring.score_table(long_frame((BMA, 2566, BMA_2566)), methodology, reported((BMA, 2566, published)))
    assert table.loc[0, "reported_total"] == published
    assert table.loc[0, "difference"] == pytest.approx(difference, abs=1e-9)
    assert bool(table.loc[0, "mismatch"]) is mismatch


def test_no_reported_total_means_no_mismatch(score_one):
    row = score_one(BMA_2566)
    assert pd.isna(row["reported_total"]) and pd.isna(row["difference"])
    assert bool(row["mismatch"]) is False


def test_national_average_by_year(long_frame, methodology, dataset):
    scores = long_frame(("X", 2562, BMA_2566), ("X", 2566, BMA_2566), ("X", 2568, BMA_2566))
    table = scoring.score_table(scores, methodology, national_averages=dataset.national_averages)
    assert pd.isna(table.loc[0, "national_average"])  # no national average known for 2562
    assert table["national_average"].tolist()[1:] == [90.19, 93.82]


def test_total_history_of_the_seed(dataset, bma_row):
    table = dataset.score_table()
    history = scoring.total_history(table, dataset.all_reported_totals, dataset.national_averages, BMA)
    assert history["fiscal_year"].tolist() == [2562, 2563, 2564, 2565, 2566]  # 2564: no BMA total known
    assert history["total"].fillna(0).tolist() == [88.50, 91.48, 0, 90.01, 88.98]
    assert history["total"].isna().tolist() == [False, False, True, False, False]  # a gap, never 0
    assert history["has_indicators"].tolist() == [False, False, False, False, True]
    assert history["iit"].isna().tolist() == [True, True, True, True, False]  # unknown tools stay missing, never 0
    assert scoring.tools_of(history) == ["IIT", "EIT", "OIT"]
    assert history["national_average"].tolist()[1:] == [67.90, 81.25, 87.57, 90.19]


def test_total_history_has_every_year_of_its_range(methodology, dataset):
    """A year between two known ones is a row with its national average and no total: a trend shows the gap
    there, not a line drawn across it. The range is the agency's own: no year before its first or after its
    last, whatever years the national averages hold."""
    frame = build_long_frame(("ก", 2563, [80.0] * 10), ("ก", 2566, [90.0] * 10))
    table = scoring.score_table(frame, methodology, national_averages=dataset.national_averages)
    history = scoring.total_history(table, pd.DataFrame(), dataset.national_averages, "ก")
    assert history["fiscal_year"].tolist() == [2563, 2564, 2565, 2566]
    assert history["total"].isna().tolist() == [False, True, True, False]
    assert history["national_average"].tolist() == [67.90, 81.25, 87.57, 90.19]
    assert history["has_indicators"].tolist() == [True, False, False, True]


def test_published_total_is_authoritative_for_rating_pass_and_change(methodology):
    """Recomputed 85.00 but published 84.99: the agency did not pass, and its change counts from 84.99."""
    frame = build_long_frame(("ก", 2565, [80.0] * 10), ("ก", 2566, indicator_scores(85.0, 85.0, 85.0)))
    reported = pd.DataFrame({"org": ["ก"], "fiscal_year": [2566], "reported_total": [84.99]})
    row = scoring.score_table(frame, methodology, reported).set_index("fiscal_year").loc[2566]
    assert round(row["total"], 2) == 85.00 and row["official_total"] == 84.99
    assert row["rating"] == "ต้องปรับปรุง" and not row["passed"]
    assert row["change"] == 4.99 and row["mismatch"] == False  # noqa: E712 (numpy bool)


def test_two_different_published_totals_are_an_error():
    from ita_helpers.core.errors import ITADataError
    from ita_helpers.inputs.dataset import combine_reported_totals

    one = pd.DataFrame({"org": ["ก"], "fiscal_year": [2566], "reported_total": [88.98]})
    other = pd.DataFrame({"org": ["ก", "ก"], "fiscal_year": [2566, 2565], "reported_total": [88.97, None]})
    with pytest.raises(ITADataError, match="two different reported totals: 88.98, 88.97"):
        combine_reported_totals(one, other)
    assert combine_reported_totals(one, other.iloc[1:]).to_dict("records") == [
        {"org": "ก", "fiscal_year": 2566, "reported_total": 88.98}]
