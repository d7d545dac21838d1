"""The methodology owns the ITA's shape: a SYNTHETIC framework with two tools, seven indicators and
per-indicator weights (tests/fixtures/other_shape) is scored, checked and rendered by the same code
as the real one. Expected values are worked by hand in the fixture's README.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import REPO_ROOT
from ita_helpers.core.errors import ITADataError
from ita_helpers.domain import scoring
from ita_helpers.domain.methodology import Methodology, YearMethod, load_methodology
from ita_helpers.inputs.dataset import load_dataset

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "other_shape"
ORG = "หน่วยงานสังเคราะห์รูปแบบอื่น"
SCORES = {1: 90.0, 2: 80.0, 3: 88.0, 4: 78.0, 5: 95.0, 6: 70.0, 7: 100.0}  # scores/other.csv
NAMES = ["การวางแผนสังเคราะห์", "การรายงานสังเคราะห์", "การฝึกอบรมสังเคราะห์", "การตรวจสอบสังเคราะห์",
         "การรับฟังความเห็นสังเคราะห์", "การตอบสนองสังเคราะห์", "การเผยแพร่สังเคราะห์"]


def long_frame(*agency_years: tuple[str, int, dict[int, float]]) -> pd.DataFrame:
    """Long indicator scores as the loaders return them, from (org, fiscal_year, {number: score})."""
    rows = [{"org": org, "fiscal_year": year, "indicator": number, "score": score,
             "source": "synthetic test data", "file": "<test>"}
            for org, year, scores in agency_years for number, score in scores.items()]
    return pd.DataFrame(rows).astype({"org": "string", "fiscal_year": "int64", "indicator": "int64",
                                      "source": "string", "file": "string"})


def write_methodology(folder: Path, change: Callable[[dict], None]) -> Path:
    """The fixture's methodology with `change` applied to the raw `years` mapping, written to `folder`."""
    raw = yaml.safe_load((FIXTURE / "methodology.yaml").read_text(encoding="utf-8"))
    change(raw["years"])
    path = folder / "methodology.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shape() -> Methodology:
    return load_methodology(FIXTURE / "methodology.yaml")


@pytest.fixture(scope="module")
def method(shape) -> YearMethod:
    return shape.year(2566)


@pytest.fixture(scope="module")
def row(shape) -> pd.Series:
    dataset = load_dataset(FIXTURE)
    table = scoring.score_table(dataset.indicators, shape)
    assert len(table) == 1
    return table.iloc[0]


@pytest.fixture(scope="module")
def scores() -> pd.Series:
    return pd.Series(SCORES, name="score")


# --- the shape is read from the YAML -------------------------------------------------------------

def test_tools_indicators_and_weights_come_from_the_yaml(method):
    assert method.tool_weights == {"AAA": 0.6, "BBB": 0.4}
    assert method.indicator_numbers == list(range(1, 8))
    assert [i.name_th for i in method.indicators] == NAMES
    assert {t: method.tool_indicators(t) for t in method.tool_weights} == {"AAA": [1, 2, 3, 4], "BBB": [5, 6, 7]}
    assert method.indicator_weights.to_dict() == pytest.approx(
        {1: 0.15, 2: 0.15, 3: 0.15, 4: 0.15, 5: 0.2, 6: 0.1, 7: 0.1})
    assert method.indicator_weights.sum() == pytest.approx(1.0, abs=1e-12)


# --- scoring -----------------------------------------------------------------------------------

def test_tool_scores_total_and_rating_by_hand(row):
    assert round(row["aaa"], 2) == 84.00  # (90 + 80 + 88 + 78) / 4
    assert round(row["bbb"], 2) == 90.00  # (0.2 x 95 + 0.1 x 70 + 0.1 x 100) / 0.4, not the plain mean 88.33
    assert round(row["total"], 2) == 86.40  # 0.6 x 84 + 0.4 x 90
    assert row["official_total"] == 86.40
    assert row["rating"] == "ผ่าน"  # total >= 85, but AAA is below the 85 floor of ผ่านดี
    assert bool(row["passed"]) is True
    assert row["tools"] == "AAA;BBB"
    assert "iit" not in row.index and "oit" not in row.index


def test_weak_indicators_highest_first(row, scores, method):
    assert row["weak_indicators"] == "2;4;6"
    weak = scoring.weak_indicators(scores, method)
    assert weak["number"].tolist() == [2, 4, 6]
    assert weak["tool"].tolist() == ["AAA", "AAA", "BBB"]
    assert weak["name_th"].tolist() == [NAMES[1], NAMES[3], NAMES[5]]


def test_headroom_uses_per_indicator_weights(scores, method, row):
    room = scoring.headroom(scores, method).set_index("number")
    assert list(room.index) == [4, 2, 6, 3, 1, 5, 7]  # 3.3, 3.0, 3.0 (ties by number), 1.8, 1.5, 1.0, 0
    assert room.loc[5, "weight"] == pytest.approx(0.2)  # its own weight, not 0.4 / 3
    assert room.loc[5, "headroom"] == pytest.approx(0.2 * (100 - 95))
    assert room.loc[6, "headroom"] == pytest.approx(0.1 * (100 - 70))
    assert room.loc[4, "headroom"] == pytest.approx(0.15 * (100 - 78))
    assert room.loc[6, "gain_at_threshold"] == pytest.approx(0.1 * (85 - 70))
    assert room["headroom"].sum() == pytest.approx(100 - row["total"])


def test_what_if(scores, method):
    result = scoring.what_if(scores, {4: 85, 6: 85}, method)
    assert round(result["aaa"], 2) == 85.75 and round(result["bbb"], 2) == 93.75
    assert round(result["total"], 2) == 88.95  # 86.40 + 0.15 x 7 + 0.1 x 15
    assert result["rating"] == "ผ่านดี"  # every tool now at least 85
    assert result["weak_indicators"] == "2"
    assert scoring.what_if(scores, {5: 100}, method)["total"] == pytest.approx(86.40 + 0.2 * 5)


def test_history_has_the_union_of_tools_in_methodology_order(tmp_path):
    """A later year that drops BBB and adds CCC: the history has aaa, bbb, ccc, each missing where its
    year has no such tool, never zero."""
    def add_2567(years: dict) -> None:
        indicators = [{**i, "tool": "CCC"} if i["tool"] == "BBB" else i for i in years[2566]["indicators"]]
        tools = [{"code": "AAA", "weight": 0.6}, {"code": "CCC", "weight": 0.4}]
        years[2567] = {**years[2566], "tools": tools, "indicators": indicators}

    shape = load_methodology(write_methodology(tmp_path, add_2567))
    table = scoring.score_table(long_frame((ORG, 2566, SCORES), (ORG, 2567, SCORES)), shape)
    history = scoring.total_history(table, pd.DataFrame(), pd.DataFrame({"fiscal_year": [], "average": []}), ORG)
    assert scoring.tools_of(history) == ["AAA", "BBB", "CCC"]
    assert list(history.columns[2:5]) == ["aaa", "bbb", "ccc"]
    assert history["bbb"].isna().tolist() == [False, True]
    assert history["ccc"].isna().tolist() == [True, False]
    assert history["total"].round(2).tolist() == [86.40, 86.40]


# --- a methodology whose weights do not add up is refused ---------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    (lambda years: years[2566]["tools"][0].update(weight=0.5), "tool weights sum to 0.9, not 1"),
    (lambda years: years[2566]["indicators"][4].update(weight=0.3),
     "indicator weights of tool BBB sum to 0.5, not the tool's weight 0.4"),
    (lambda years: years[2566]["indicators"][6].pop("weight"),
     "only some indicators of tool BBB carry a weight: give all of them one, or none to split 0.4 equally"),
    (lambda years: years[2566]["indicators"][0].update(tool="CCC"),
     "indicator 1 is in tool 'CCC', which is not among the year's tools (AAA, BBB)"),
])
def test_weights_that_do_not_add_up_are_refused(tmp_path, change, message):
    path = write_methodology(tmp_path, change)
    with pytest.raises(ITADataError) as caught:
        load_methodology(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}: fiscal year 2566: {message}"]


# --- end to end ------------------------------------------------------------------------------

@pytest.mark.slow
def test_report_of_the_other_shape_renders(tmp_path):
    from ita_helpers.cli.main import main

    assert main(["report", "--org", ORG, "--year", "2566", "--data", str(FIXTURE), "--out", str(tmp_path),
                 "--formats", "html"]) == 0
    html = (tmp_path / "2566" / ORG / "report.html").read_text(encoding="utf-8")
    assert "๘๖.๔๐" in html  # the total, 86.40, in Thai digits
    assert "AAA" in html and "BBB" in html
    assert all(name in html for name in NAMES)
