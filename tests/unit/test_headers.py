"""Header recognition: every form agencies type for the agency, the year, each indicator and the published
total is read the same; an indicator header whose number and name disagree, or that names no indicator, is
an error naming both; columns of the agency's own are left alone."""

from __future__ import annotations

import pytest

from ita_helpers.inputs.headers import INDICATOR, ORG, SCORE, SOURCE, TOTAL, YEAR, Header, Vocabulary, key, tidy


@pytest.fixture(scope="module")
def vocabulary(methodology):
    return Vocabulary.of(methodology)


@pytest.mark.parametrize("text, field", [
    ("หน่วยงาน", ORG), ("ชื่อหน่วยงาน", ORG), ("org", ORG), ("ORG", ORG), ("ส่วนราชการ", ORG), ("Agency", ORG),
    ("ปีงบประมาณ", YEAR), ("ปี พ.ศ.", YEAR), ("ปีพ.ศ.", YEAR), ("fiscal_year", YEAR), ("Fiscal Year", YEAR),
    ("ปีงบประมาณ พ.ศ.", YEAR),
    ("คะแนนรวม", TOTAL), ("คะแนน ITA", TOTAL), ("คะแนนITA", TOTAL), ("reported_total", TOTAL), ("Total", TOTAL),
    ("source", SOURCE), ("แหล่งที่มา", SOURCE),
    ("indicator", INDICATOR), ("ตัวชี้วัด", INDICATOR), ("score", SCORE), ("คะแนน", SCORE),
])
def test_columns_are_recognised_in_every_accepted_form(vocabulary, text, field):
    assert vocabulary.recognise(text) == Header(tidy(text), field=field)


@pytest.mark.parametrize("text", [
    "1", "๑", " 1 ", "ตัวชี้วัดที่ 1", "ตัวชี้วัดที่1", "ตัวชี้วัดที่ ๑", "ตัวชี้วัด 1", "Indicator 1", "(1)",
    "1. การปฏิบัติหน้าที่", "1.การปฏิบัติหน้าที่", "1 การปฏิบัติหน้าที่", "1การปฏิบัติหน้าที่", "๑. การปฏิบัติหน้าที่",
    "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่", "ตัวชี้วัดที่ 1: การปฏิบัติหน้าที่", "การปฏิบัติหน้าที่", "การ ปฏิบัติ หน้าที่",
    "Performance of duties", "PERFORMANCE OF DUTIES", "1 Performance of duties",
    "1 การปฏิบัติหน้าที่ (Performance of duties)",  # the form messages suggest, copied whole
    "ตัวชี้วัดที่\n1\nการปฏิบัติหน้าที่",  # Alt+Enter inside the cell
    "ตัวชี้วัดที่\u00a01", "\u200bตัวชี้วัดที่ 1\u200b",  # a non-breaking space; zero-width spaces
    "1 การปฏิบัติงานที่",  # the seed's own misspelling: the number decides, the name is nearest its own
])
def test_an_indicator_is_recognised_by_its_number_its_name_or_both(vocabulary, text):
    header = vocabulary.recognise(text)
    assert (header.number, header.problem, header.field) == (1, None, None)
    assert header.text == tidy(text) and "\n" not in header.text


@pytest.mark.parametrize("text, number", [
    ("ตัวชี้วัดที่ ๑๐", 10), ("10. การป้องกันการทุจริต", 10), ("การใช้ทรัพย์สินของทางราชการ", 4),
    ("4 การใช้ทรัพย์สินของทางราชการ", 4), ("Open data", 9), ("8 การปรับปรุงการทำงาน", 8), ("Work system improvement", 8),
])
def test_aliases_and_two_digit_numbers(vocabulary, text, number):
    assert vocabulary.recognise(text).number == number


def test_number_and_name_that_disagree_are_an_error_naming_both(vocabulary):
    header = vocabulary.recognise("2. การปฏิบัติหน้าที่")
    assert header.number is None and not header.read
    assert header.problem == ("the number says indicator 2, 2 การใช้งบประมาณ (Use of budget), but the name is that "
                              "of indicator 1, 1 การปฏิบัติหน้าที่ (Performance of duties)")


def test_a_name_that_is_no_indicators_after_a_number_is_an_error(vocabulary):
    header = vocabulary.recognise("3 การใช้จ่ายงาน")  # the seed's mislabel of indicator 3
    assert header.problem == "'3 การใช้จ่ายงาน' is not a name of indicator 3, which is 3 การใช้อำนาจ (Use of authority)"


@pytest.mark.parametrize("text, rule", [
    ("ตัวชี้วัดที่ 11", "there is no indicator 11: the indicators are numbered 1 to 10"),
    ("11", "there is no indicator 11: the indicators are numbered 1 to 10"),
    ("9.1", "there is no indicator 9.1: the indicators are numbered 1 to 10"),
    ("ตัวชี้วัดที่ ก", "unknown indicator column"),
    ("Use of budjet", "unknown indicator column; did you mean 2 การใช้งบประมาณ (Use of budget)?"),
    ("การใช้งบประมาน", "unknown indicator column; did you mean 2 การใช้งบประมาณ (Use of budget)?"),
])
def test_a_header_that_looks_like_an_indicator_but_names_none_is_an_error(vocabulary, text, rule):
    assert vocabulary.recognise(text).problem == rule


@pytest.mark.parametrize("text", ["ลำดับ", "ลำดับที่", "ที่", "No.", "#", "หมายเหตุ", "Note"])
def test_the_agencys_own_columns_are_left_alone(vocabulary, text):
    assert vocabulary.recognise(text) == Header(text, extra=True)


@pytest.mark.parametrize("text", ["จังหวัด", "รหัสหน่วยงาน", "ประเภทหน่วยงาน", "ระดับผลการประเมิน", "IIT", "คะแนน IIT",
                                  "ผลการประเมิน ITA ประจำปี 2566"])
def test_other_headers_are_neither_read_nor_errors(vocabulary, text):
    header = vocabulary.recognise(text)
    assert not header.read and header.problem is None and not header.extra


def test_key_ignores_spaces_case_and_the_digits_script():
    assert key("ตัวชี้วัดที่\u00a0๑") == key("ตัวชี้วัดที่1") == key(" ตัวชี้วัดที่\n1 ")
    assert key("Fiscal Year") == key("fiscal_year") == key("FISCAL-YEAR")
    assert tidy("ตัวชี้วัดที่\n1\u00a0 การปฏิบัติหน้าที่\u200b") == "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"


def test_a_typo_of_a_required_column_is_suggested(vocabulary):
    assert vocabulary.closest_form("ปีงบประมาน", YEAR) == "ปีงบประมาณ"
    assert vocabulary.closest_form("จังหวัด", YEAR) is None


def test_the_header_row_is_found_below_title_and_blank_rows(vocabulary):
    rows = [["ผลการประเมิน ITA ประจำปี 2566", "", ""], [], ["", "", ""],
            ["ลำดับ", "หน่วยงาน", "ปีงบประมาณ", "1"], ["1", "ก", "2566", "90"]]
    assert vocabulary.find_header_row(rows) == 3
    assert vocabulary.looks_like_scores(rows)
    assert not vocabulary.looks_like_scores([["คำอธิบาย"], ["หน่วยงาน", "ปีงบประมาณ"]])  # no indicator named
    assert vocabulary.find_header_row([["ก", "2566", "90"]]) is None


def test_accepted_forms_are_short_and_name_only_what_is_asked(vocabulary):
    forms = vocabulary.accepted_forms()
    assert forms.startswith("accepted: agency: หน่วยงาน, ชื่อหน่วยงาน, org; fiscal year: ปีงบประมาณ, ปี พ.ศ., fiscal_year")
    assert "1, ๑, ตัวชี้วัดที่ 1, 1. การปฏิบัติหน้าที่" in forms and len(forms) < 400
    assert vocabulary.accepted_forms(["fiscal_year"]) == "accepted: fiscal year: ปีงบประมาณ, ปี พ.ศ., fiscal_year"


def test_a_forms_label_row_above_the_table_is_not_its_header(vocabulary):
    rows = [["หน่วยงาน", "กรุงเทพมหานคร", "ปีงบประมาณ", "2566"], [],
            ["หน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดที่ 1", "ตัวชี้วัดที่ 2"]]
    assert vocabulary.find_header_row(rows) == 2
    two_rows = [["หน่วยงาน", "ปีงบประมาณ", "IIT", ""], ["", "", "1", "2"]]
    assert vocabulary.find_header_row(two_rows) == 0 and vocabulary.looks_like_scores(two_rows)
