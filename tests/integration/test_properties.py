"""Properties of scoring that must hold for any scores (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_long_frame
from ita_helpers.domain.methodology import load_methodology
from ita_helpers.domain.scoring import score_table
from ita_helpers.inputs.dataset import BUNDLED_DATA

METHODOLOGY = load_methodology((BUNDLED_DATA / "methodology.yaml").resolve())
YEARS = sorted(METHODOLOGY.years)

# Scores as published: two decimals between 0 and 100.
score = st.integers(min_value=0, max_value=10_000).map(lambda hundredths: hundredths / 100)
ten_scores = st.lists(score, min_size=10, max_size=10)
year = st.sampled_from(YEARS)


def scored(scores, fiscal_year):
    return score_table(build_long_frame(("synthetic", fiscal_year, scores)), METHODOLOGY).iloc[0]


def rank(fiscal_year, label):
    """0 for the best rating of the year's scheme, larger for worse."""
    return [band.label for band in METHODOLOGY.year(fiscal_year).bands].index(label)


@settings(max_examples=150, deadline=None)
@given(scores=ten_scores, fiscal_year=year)
def test_total_within_0_100_and_equal_to_weighted_sum(scores, fiscal_year):
    row = scored(scores, fiscal_year)
    assert 0 <= row["total"] <= 100
    weights = METHODOLOGY.year(fiscal_year).indicator_weights
    assert row["total"] == pytest.approx(sum(weights[n] * s for n, s in enumerate(scores, start=1)))
    for tool in METHODOLOGY.year(fiscal_year).tool_weights:
        assert 0 <= row[tool.lower()] <= 100


@settings(max_examples=150, deadline=None)
@given(scores=ten_scores, fiscal_year=year, which=st.integers(0, 9), raise_by=score)
def test_raising_an_indicator_never_lowers_total_or_rating(scores, fiscal_year, which, raise_by):
    raised = list(scores)
    raised[which] = min(100.0, raised[which] + raise_by)
    before, after = scored(scores, fiscal_year), scored(raised, fiscal_year)
    assert after["total"] >= before["total"]
    assert rank(fiscal_year, after["rating"]) <= rank(fiscal_year, before["rating"])
    assert bool(after["passed"]) >= bool(before["passed"])


@settings(max_examples=100, deadline=None)
@given(scores=ten_scores, fiscal_year=year)
def test_weak_indicators_are_below_85_highest_first(scores, fiscal_year):
    listed = scored(scores, fiscal_year)["weak_indicators"]
    numbers = [int(n) for n in listed.split(";")] if listed else []
    assert sorted(numbers) == [n for n, s in enumerate(scores, start=1) if s < 85]
    keys = [(-scores[n - 1], n) for n in numbers]
    assert keys == sorted(keys)


@pytest.mark.parametrize("fiscal_year", YEARS)
def test_indicator_weights_sum_to_one(fiscal_year):
    method = METHODOLOGY.year(fiscal_year)
    assert method.indicator_weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert sum(method.tool_weights.values()) == pytest.approx(1.0, abs=1e-12)
