"""analysis.group on a small hand-made synthetic group (not real agencies): expectations worked by hand.

Every indicator of a tool gets the tool's score, so each total is 0.3 IIT + 0.3 EIT + 0.4 OIT."""

from pathlib import Path

import pandas as pd
import pytest

from ita_helpers.analysis.group import analyse_group
from ita_helpers.domain.methodology import load_methodology
from ita_helpers.domain.scoring import score_table

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"IIT": range(1, 6), "EIT": range(6, 9), "OIT": range(9, 11)}
# synthetic agency -> year -> (IIT, EIT, OIT)
SCORES = {
    "synthetic A": {2566: (90, 90, 90), 2567: (96, 96, 96)},
    "synthetic B": {2566: (96, 96, 96), 2567: (90, 90, 90)},
    "synthetic C": {2566: (94, 94, 94), 2567: (80, 100, 100)},  # 94: the total earns Good, IIT 80 under its floor 85
    "synthetic D": {2566: (84, 84, 84), 2567: (84, 84, 84)},
    "synthetic E": {2567: (70, 70, 70)},
}


@pytest.fixture(scope="module")
def analysis():
    methodology = load_methodology(ROOT / "data" / "methodology.yaml")
    rows = [{"org": org, "fiscal_year": year, "indicator": n, "score": float(score)}
            for org, years in SCORES.items() for year, tools in years.items()
            for tool, score in zip(TOOLS, tools) for n in TOOLS[tool]]
    indicators = pd.DataFrame(rows)
    return analyse_group(score_table(indicators, methodology), indicators, methodology, 2567)


def test_pass_count_and_share(analysis):
    assert analysis.pass_mark == 85
    assert (analysis.summary["agencies"], analysis.summary["passing"]) == (5, 3)
    assert analysis.summary["passing_share"] == pytest.approx(60.0)


def test_near_misses(analysis):
    assert analysis.near_misses.to_dict("records") == [{"org": "synthetic D", "official_total": 84.0, "short_by": 1.0}]


def test_tier_drops(analysis):
    drops = {r["org"]: (r["previous_rating"], r["rating"]) for r in analysis.tier_drops.to_dict("records")}
    assert drops == {"synthetic B": ("ผ่านดีเยี่ยม", "ผ่านดี"), "synthetic C": ("ผ่านดี", "ผ่าน")}


def test_tool_floor_downgrade_names_the_tool(analysis):
    assert analysis.floor_downgrades.to_dict("records") == [
        {"org": "synthetic C", "official_total": 94.0, "by_total": "ผ่านดี", "rating": "ผ่าน", "tools": "IIT"}]


def test_rank_changes_and_missing_previous_year(analysis):
    ranked = analysis.ranking.set_index("org")
    assert ranked["rank"].to_dict() == {"synthetic A": 1, "synthetic C": 2, "synthetic B": 3,
                                        "synthetic D": 4, "synthetic E": 5}
    assert ranked.loc["synthetic A", "rank_change"] == 2
    assert ranked.loc["synthetic B", "rank_change"] == -2
    assert ranked.loc["synthetic C", "rank_change"] == 0
    assert pd.isna(ranked.loc["synthetic E", "previous_year"])
