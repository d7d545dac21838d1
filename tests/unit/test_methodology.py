"""The methodology YAML and the bundled data: years, rating schemes, names, and the facts they record."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import BMA
from ita_helpers.core.errors import ITADataError
from ita_helpers.inputs.measures import load_measures

SECRETARIAT = "สำนักงานเลขาธิการสภากรุงเทพมหานคร"
MISSPELT_SECRETARIAT = "สำนักงานเลขานุการ"


# --- years and rating schemes ------------------------------------------------------------------

def test_years_2562_to_2569(methodology):
    assert sorted(methodology.years) == list(range(2562, 2570))
    assert methodology.latest_year == 2569


def test_unknown_year_is_a_data_error(methodology):
    with pytest.raises(ITADataError, match="no methodology for fiscal year 2561; known years: 2562, .*2569"):
        methodology.year(2561)


def test_2569_is_presumed_as_2568_and_says_why(methodology):
    method = methodology.year(2569)
    assert not method.framework_presumed and method.framework_year == 2569
    assert method.weights_presumed
    assert method.indicator_weights.round(4).to_dict() == {1: 0.06, 2: 0.06, 3: 0.06, 4: 0.06, 5: 0.06,
                                                           6: 0.1, 7: 0.1, 8: 0.1, 9: 0.2, 10: 0.2}
    assert [source[:5] for source in method.sources] == ["[GAP]", "[GAP]", "[2ND]", "[SRC]"]
    assert "presumed" in method.sources[0]
    assert methodology.year(2568).sources == ()  # the years before carry their tags in comments


def test_a_later_year_borrows_the_latest_framework_marked_presumed(methodology):
    method = methodology.year(2570)
    assert method.fiscal_year == 2570 and method.framework_year == 2569 and method.framework_presumed
    assert (method.bands, method.tool_weights) == (methodology.year(2569).bands, methodology.year(2569).tool_weights)
    assert methodology.presumed(2572) and not methodology.presumed(2573) and not methodology.presumed(2569)
    with pytest.raises(ITADataError, match="no methodology for fiscal year 2573"):
        methodology.year(2573)  # far later: taken for a mistake


@pytest.mark.parametrize("year", [2562, 2563, 2564, 2565])
def test_letter_bands_until_2565(methodology, year):
    method = methodology.year(year)
    assert method.scheme == "letter_bands"
    assert [(b.label, b.min, b.tool_floor) for b in method.bands] == [
        ("AA", 95, None), ("A", 85, None), ("B", 75, None), ("C", 65, None),
        ("D", 55, None), ("E", 50, None), ("F", 0, None),
    ]


@pytest.mark.parametrize("year", [2566, 2567, 2568, 2569, 2570])
def test_tiers_from_2566(methodology, year):
    method = methodology.year(year)
    assert method.scheme == "tiers"
    assert [(b.label, b.min, b.tool_floor) for b in method.bands] == [
        ("ผ่านดีเยี่ยม", 95, 95), ("ผ่านดี", 85, 85), ("ผ่าน", 85, None),
        ("ต้องปรับปรุง", 70, None), ("ต้องปรับปรุงโดยด่วน", 0, None),
    ]


@pytest.mark.parametrize("year", range(2562, 2571))
def test_pass_mark_tools_and_indicators_every_year(methodology, year):
    method = methodology.year(year)
    assert method.pass_mark == 85
    assert method.tool_weights == {"IIT": 0.30, "EIT": 0.30, "OIT": 0.40}
    assert method.indicator_numbers == list(range(1, 11))
    assert {t: method.tool_indicators(t) for t in ("IIT", "EIT", "OIT")} == {
        "IIT": [1, 2, 3, 4, 5], "EIT": [6, 7, 8], "OIT": [9, 10]}


def test_weights_confirmed_only_where_recomputed(methodology):
    confirmed = [y for y, m in sorted(methodology.years.items()) if not m.weights_presumed]
    assert confirmed == [2563, 2564, 2566]


# --- indicator names -------------------------------------------------------------------------

OFFICIAL = {
    1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ", 3: "การใช้อำนาจ", 4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต", 6: "คุณภาพการดำเนินงาน", 7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงระบบการทำงาน", 9: "การเปิดเผยข้อมูล", 10: "การป้องกันการทุจริต",
}


def test_official_thai_names(methodology):
    assert {i.number: i.name_th for i in methodology.year(2566).indicators} == OFFICIAL


@pytest.mark.parametrize(("label", "number"), [
    *((name, number) for number, name in OFFICIAL.items()),
    ("การใช้ทรัพย์สินของทางราชการ", 4), ("การปรับปรุงการทำงาน", 8),
    ("Performance of duties", 1), ("use of authority", 3), ("Work-system improvement", 8),
    ("Open data", 9), ("Corruption prevention", 10), ("7", 7), ("๑๐", 10), ("  Use  of budget ", 2),
])
def test_names_and_aliases_resolve(methodology, label, number):
    assert methodology.indicator_number(label) == number


@pytest.mark.parametrize("seed_mislabel", ["การปฏิบัติงานที่", "การใช้จ่ายงาน", "11", "0"])
def test_seed_mislabels_and_unknown_numbers_do_not_resolve(methodology, seed_mislabel):
    assert methodology.indicator_number(seed_mislabel) is None


def test_reported_totals_of_the_bma(dataset):
    totals = dataset.reported_totals.set_index("fiscal_year")
    assert (totals["org"] == BMA).all()
    assert totals["reported_total"].to_dict() == {2562: 88.50, 2563: 91.48, 2565: 90.01, 2566: 88.98}
    assert totals.loc[2562, "rating"] == "A" and totals.loc[2563, "rating"] == "A"
    assert totals.loc[2566, "rating"] == "ผ่าน"
    assert totals.loc[2565, "derived_from"].startswith("derived")
    assert all(totals.loc[y, "derived_from"] == "" for y in (2562, 2563, 2566))
    assert 2564 not in totals.index and 2561 not in totals.index  # unknown / old instrument


def test_national_averages(dataset):
    national = dataset.national_averages.set_index("fiscal_year")
    assert national["average"].to_dict() == {2563: 67.90, 2564: 81.25, 2565: 87.57, 2566: 90.19,
                                             2567: 93.05, 2568: 93.82}
    assert national.loc[2566, "agencies"] == 8323
    assert national.loc[2566, "share_at_least_85"] == 80.94
    assert "derived" in national.loc[2567, "derived_from"]


def test_bundled_scores_are_the_seed_table(dataset):
    frame = dataset.indicators
    assert set(zip(frame["org"], frame["fiscal_year"])) == {(BMA, 2566)}
    assert frame.set_index("indicator")["score"].to_dict() == {
        1: 92.27, 2: 77.83, 3: 85.85, 4: 77.95, 5: 78.31, 6: 82.88, 7: 81.22, 8: 78.37, 9: 100.0, 10: 100.0}


def test_every_data_row_has_a_source(data_dir):
    files = sorted(data_dir.rglob("*.csv"))
    assert {f.name for f in files} >= {"reported_totals.csv", "national_averages.csv", "bma.csv"}
    for path in files:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert "source" in table.columns, path
        assert (table["source"].str.strip() != "").all(), f"{path}: rows without a source"


# --- measures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plan(data_dir, methodology):
    return load_measures(data_dir / "measures" / "bma_council_secretariat_2566.yaml", methodology)


def test_measures_plan_years_and_unit(plan, dataset):
    assert plan.unit == SECRETARIAT
    assert plan.scores_org == BMA
    assert (plan.results_year, plan.plan_year) == (2566, 2568)
    assert dataset.measures_for(BMA, 2566) == plan
    assert len(plan.constraints) == 2


def test_measures_six_issues_cover_every_weak_indicator(plan):
    assert [issue.indicators for issue in plan.issues] == [(1, 6, 8), (9, 7), (4,), (3,), (2,), (5,)]
    assert plan.uncovered([6, 7, 8, 5, 4, 2]) == []
    assert plan.covered_indicators == set(range(1, 10))
    assert plan.issues[3].title == "การใช้อำนาจ"  # the seed's table calls indicator 3 การใช้จ่ายงาน; its actions do not
    assert all(issue.responsible == "ฝ่ายบริหารงานทั่วไป" for issue in plan.issues)


def test_measures_text_has_no_markup(plan):
    texts = [plan.unit, *plan.constraints]
    for issue in plan.issues:
        texts += [issue.title, issue.responsible, *issue.measures, *issue.steps]
    assert all(text.strip() for text in texts)
    assert not [t for t in texts if "<p>" in t or "</p>" in t or "<br" in t]


def test_misspelt_unit_name_appears_nowhere_in_data(data_dir):
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        assert MISSPELT_SECRETARIAT not in path.read_text(encoding="utf-8"), path
