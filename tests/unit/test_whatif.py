"""The what-if calculator: changes checked as a form would be, results to the hundredth, in widgets."""

from __future__ import annotations

import pytest

from conftest import BMA
from ita_helpers.analysis.whatif import calculator, compare, next_tier, parse_changes
from ita_helpers.core.errors import ITADataError
from ita_helpers.domain.scoring import what_if


@pytest.mark.parametrize("changes, expected", [
    ({8: 85}, {8: 85.0}), ({"8": "85"}, {8: 85.0}), ({"๘": "๘๕.๕"}, {8: 85.5}),
    ({"ตัวชี้วัดที่ 8": 90}, {8: 90.0}), ({"ตัวชี้วัดที่๒": 90}, {2: 90.0}), ({"การใช้งบประมาณ": 100}, {2: 100.0}),
    ({"2. การใช้งบประมาณ": 0}, {2: 0.0}),
])
def test_indicators_by_number_thai_digits_or_name(methodology, changes, expected):
    assert parse_changes(changes, methodology, 2566) == expected


def test_unknown_indicators_and_scores_outside_0_100_are_errors_all_at_once(methodology):
    with pytest.raises(ITADataError) as caught:
        parse_changes({11: 50, 2: 150, 3: -5, 4: "abc", 5: float("nan"), "ความโปร่งใสมาก": 80}, methodology, 2566)
    rules = [p.rule for p in caught.value.problems]
    assert len(rules) == 6
    assert rules[0].startswith("11: there is no indicator 11") and rules[0].endswith("1, 2, 3, 4, 5, 6, 7, 8, 9, 10")
    assert rules[1] == "indicator 2: the score must be a number from 0 to 100, not 150"
    assert rules[2] == "indicator 3: the score must be a number from 0 to 100, not -5"


def test_before_and_after_to_the_hundredth(dataset, methodology):
    table = compare(dataset.scores_of(BMA, 2566), {8: 85, 2: 85}, methodology, 2566)
    assert table.to_dict("index") == {
        "IIT score": {"before": "82.44", "after": "83.88"}, "EIT score": {"before": "80.82", "after": "83.03"},
        "OIT score": {"before": "100.00", "after": "100.00"}, "total": {"before": "88.98", "after": "90.07"},
        "rating": {"before": "ผ่าน", "after": "ผ่าน"},
        "weak indicators": {"before": "6, 7, 8, 5, 4, 2", "after": "6, 7, 5, 4"}}


def test_what_it_takes_to_reach_the_next_rating_in_thai(dataset, methodology, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    method = methodology.year(2566)
    scores = dataset.scores_of(BMA, 2566)
    assert next_tier(what_if(scores, {}, method), method) == "เพื่อให้ถึงระดับ ผ่านดี ต้องมีคะแนนทุกเครื่องมือไม่ต่ำกว่า 85.00"
    low = what_if(scores, {n: 60 for n in range(1, 11)}, method)
    assert low["rating"] == "ต้องปรับปรุงโดยด่วน"
    assert next_tier(low, method) == "เพื่อให้ถึงระดับ ต้องปรับปรุง ต้องมีคะแนนรวมเพิ่มอีก 10.00 คะแนน"
    top = what_if(scores, {n: 100 for n in range(1, 11)}, method)
    assert next_tier(top, method) == "อยู่ในระดับสูงสุดแล้ว"


def test_the_widgets_follow_the_sliders(dataset, capsys):
    box = calculator(dataset)
    pickers, sliders, _result = box.children
    org, year = pickers.children
    assert (org.value, year.value) == (BMA, 2566) and len(sliders.children) == 10
    assert [s.value for s in sliders_of(sliders)][:3] == [92.27, 77.83, 85.85]
    capsys.readouterr()
    indicator_8 = next(s for s in sliders_of(sliders) if s.description.startswith("8. "))
    indicator_8.value = 100.0  # moving a slider redraws the result
    shown = capsys.readouterr().out
    assert "88.98" in shown and "91.14" in shown


def sliders_of(rows) -> list:
    return [row.children[0] for row in rows.children]


def test_a_score_typed_in_thai_digits_moves_the_slider_and_redraws(dataset, capsys):
    rows = calculator(dataset).children[1]
    slider, box = rows.children[7].children  # indicator 8
    assert slider.description.startswith("8. ") and box.value == f"{slider.value:.2f}"
    capsys.readouterr()
    box.value = "๑๐๐"  # what a Thai keyboard types; the slider's own readout would drop it
    assert slider.value == 100.0 and box.value == "100.00"
    shown = capsys.readouterr().out
    assert "88.98" in shown and "91.14" in shown  # the same result as moving the slider to 100
    box.value = " ๙๐.๕ "
    assert slider.value == 90.5 and box.value == "90.50"
    box.value = "90"
    assert slider.value == 90.0


@pytest.mark.parametrize("typed", ["๑๐๑", "-1", "abc", "", "nan"])
def test_a_typed_text_that_is_not_a_score_is_put_back(dataset, typed):
    slider, box = calculator(dataset).children[1].children[0].children
    before = slider.value
    box.value = typed
    assert (slider.value, box.value) == (before, f"{before:.2f}")


def test_moving_a_slider_updates_its_box(dataset):
    slider, box = calculator(dataset).children[1].children[2].children
    slider.value = 12.5
    assert box.value == "12.50"


def test_choosing_another_agency_of_the_same_year_shows_its_scores():
    from support import FIXTURES, RISING

    from ita_helpers.inputs.dataset import load_dataset

    dataset = load_dataset(FIXTURES)
    box = calculator(dataset)
    (org, year), sliders = box.children[0].children, box.children[1]
    org.value = RISING
    expected = dataset.scores_of(RISING, year.value)
    assert [s.value for s in sliders_of(sliders)] == [float(expected[n]) for n in sorted(expected.index)]


def test_exploration_tables_read_in_thai_to_the_hundredth(dataset):
    from ita_helpers.analysis.tables import for_reading
    from ita_helpers.domain.scoring import histories

    table = for_reading(dataset.score_table())
    assert list(table.columns)[:6] == ["หน่วยงาน", "ปีงบประมาณ", "คะแนน IIT", "คะแนน EIT", "คะแนน OIT",
                                       "คะแนนรวม (คำนวณ)"]
    row = table.iloc[0]
    assert (row["คะแนนรวม"], row["ผลต่าง"], row["เปลี่ยนแปลง"], row["ผ่านเกณฑ์"]) == ("88.98", "0.00", "-1.03", "ใช่")
    assert row["ตัวชี้วัดที่ต่ำกว่าเกณฑ์"] == "6, 7, 8, 5, 4, 2"
    history = for_reading(histories(dataset.score_table(), dataset.all_reported_totals, dataset.national_averages))
    assert history["คะแนนรวม"].tolist() == ["88.50", "91.48", "–", "90.01", "88.98"]  # no total known for 2564
    assert history["ค่าเฉลี่ยระดับประเทศ"].tolist()[0] == "–"
    text = table.to_string() + history.to_string()
    assert "nan" not in text.lower() and "<NA>" not in text and "None" not in text
