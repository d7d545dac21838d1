"""outputs/index.html: Thai dictionary order, figures, years, last good reports, hostile names, national scale."""

from __future__ import annotations

import html
import math
import random
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from support import manifest_of, publish_files, report, synthetic_manifest

from conftest import require
from ita_helpers.batch.index import (
    FOLD_SCRIPT,
    change_text,
    count_text,
    passing,
    score_text,
    search_fold,
    search_matches,
    status_counts,
    thai_sort_key,
    without_local_paths,
    write_index,
)
from ita_helpers.render.pdf import find_chromium

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
NATIONAL = 8_300  # reports of one fiscal year at national scale (how fast: benchmarks/index_scale.py)

# Real agency names, in the Royal Institute dictionary's order. Code-point order differs: it puts
# every name written with a leading vowel (เทศบาล, โรงเรียน, ไปรษณีย์) after อ, and ส่ง after สรร.
DICTIONARY_ORDER = [
    "กรมส่งเสริมการเกษตร",  # ส่ง: tone marks count only between equal letters, สง < สร
    "กรมสรรพากร",
    "ท่าอากาศยานไทย",
    "เทศบาลนครเชียงใหม่",  # under ท, after ทา
    "ธนาคารออมสิน",
    "ไปรษณีย์ไทย",  # under ป
    "มหาวิทยาลัยมหิดล",
    "โรงเรียนนายร้อยพระจุลจอมเกล้า",  # under ร
    "สำนักงานตำรวจแห่งชาติ",
    "องค์การบริหารส่วนจังหวัดขอนแก่น",
]


def index_of(out: Path, manifest: dict, files: bool = True) -> str:
    if files:
        publish_files(out, manifest)
    return write_index(out, manifest).read_text(encoding="utf-8")


def rows(page: str) -> list[str]:
    return re.findall(r"<tr><td>.*?</tr>", page)


def cells(row: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", row)


def test_thai_names_sort_in_dictionary_order_not_code_point_order():
    assert sorted(DICTIONARY_ORDER) != DICTIONARY_ORDER
    shuffled = random.Random(1).sample(DICTIONARY_ORDER, len(DICTIONARY_ORDER))
    assert sorted(shuffled, key=thai_sort_key) == DICTIONARY_ORDER


@pytest.mark.parametrize("ordered", [
    ["กก", "กะ", "กัก", "กา", "กำ", "กิ", "กู", "เก", "แก", "โก", "ใกล้", "ไก่"],  # no vowel, then vowels, เ-ไ last
    ["ขา", "ข่า", "ข้า", "ข้าง", "ขาด"],  # a tone only breaks ties: ข้าง before ขาด
    ["สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต ๒",
     "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 3"],  # Thai digits as the digits they are
])
def test_sort_key_orders_vowels_tones_and_digits(ordered):
    assert sorted(reversed(ordered), key=thai_sort_key) == ordered


def test_agencies_are_listed_in_dictionary_order(tmp_path):
    page = index_of(tmp_path, manifest_of(*map(report, reversed(DICTIONARY_ORDER))))
    assert [html.unescape(cells(row)[0]) for row in rows(page)] == DICTIONARY_ORDER


def test_figures_have_two_decimals_a_signed_change_and_a_dash_when_unknown():
    assert [score_text(v) for v in (88.98, 80, 79.999, None, math.nan, math.inf, "88", True)] == [
        "88.98", "80.00", "80.00", "–", "–", "–", "–", "–"]
    assert [change_text(v) for v in (0.5, -1.03, 0, -0.001, None, math.nan)] == [
        "+0.50", "−1.03", "0.00", "0.00", "–", "–"]
    assert [count_text(v) for v in (6, 0, None, math.nan)] == ["6", "0", "–", "–"]


def test_each_report_shows_its_figures_status_and_warnings(tmp_path):
    page = index_of(tmp_path, manifest_of(
        report("กรุงเทพมหานคร", status="warnings", warnings=["no_previous_total"],
               figures={"total": 88.98, "rating": "ผ่าน", "change": -1.03, "weak": 6}),
        report("กรมสรรพากร", figures={"total": 91.5, "rating": None, "change": math.nan, "weak": None}),
        report("ธนาคารออมสิน"),  # rendered before figures were recorded
    ))
    partial, seed, without = (cells(row) for row in rows(page))  # กรม, กรุง, ธนาคาร
    assert seed[:6] == ["กรุงเทพมหานคร", "88.98", "ผ่าน", "−1.03", "6",
                        "สำเร็จ มีข้อสังเกต<div class='warning'>ไม่มีคะแนนรวมของปีก่อนหน้าให้เปรียบเทียบ</div>"]
    assert partial[1:5] == ["91.50", "–", "–", "–"] and without[1:5] == ["–"] * 4
    assert seed[6].index(">HTML<") < seed[6].index(">PDF<") < seed[6].index(">IPYNB<")  # the notebook last
    assert not re.search(r"\b(nan|None|NaN|inf)\b", page)


def test_a_failed_rerun_keeps_the_last_good_report_linked_and_says_so(tmp_path):
    good = report("กรมสรรพากร")
    failed = report("กรมสรรพากร", status="failed", error="ValueError: คะแนนไม่ครบ", last_good={
        "outputs": good["outputs"], "generated": "1 ตุลาคม พ.ศ. 2568",
        "figures": {"total": 90.0, "rating": "ผ่าน", "change": 0.5, "weak": 2}})
    never = report("ธนาคารออมสิน", status="failed", error="ไม่พบไฟล์")
    manifest = manifest_of(failed, never)
    publish_files(tmp_path, manifest_of(good))
    revenue, bank = (cells(row) for row in rows(index_of(tmp_path, manifest)))
    assert revenue[1:5] == ["90.00", "ผ่าน", "+0.50", "2"]
    assert "ไม่สำเร็จ" in revenue[5] and "ValueError: คะแนนไม่ครบ" in html.unescape(revenue[5])
    assert "ครั้งล่าสุดที่สำเร็จ เมื่อ 1 ตุลาคม พ.ศ. 2568" in html.unescape(revenue[5])
    links = re.findall(r"href='([^']*)'>(\w+)<", revenue[6])
    assert [label for _, label in links] == ["HTML", "PDF", "IPYNB", "IPYNB"]
    assert links[0][0].endswith("/report.html") and links[3][0].endswith("/report.failed.ipynb")
    assert "ครั้งที่ไม่สำเร็จ" in revenue[6]
    assert bank[1:5] == ["–"] * 4 and "ครั้งล่าสุดที่สำเร็จ" not in bank[5]


def test_links_only_to_files_that_exist(tmp_path):
    odd = report("ธนาคารออมสิน", outputs={"html": "ก" * 300 + "/report.html", "pdf": "2566/a\0b.pdf"})
    page = index_of(tmp_path, manifest_of(report("กรมสรรพากร"), odd), files=False)
    assert len(rows(page)) == 2 and "href=" not in page.split("<tbody>", 1)[1]


def test_a_hand_edited_manifest_links_to_nothing_outside_the_output_folder(tmp_path):
    """Probe finding (issue 19): the index linked `../..` and absolute paths a manifest named, if they existed."""
    (tmp_path / "2566").mkdir()
    (tmp_path / "2566" / "report.html").write_text("x", encoding="utf-8")
    outside = {"html": "../../../../etc/passwd", "pdf": "/etc/passwd", "docx": "//localhost/etc/passwd",
               "ipynb": ["not", "text"]}
    page = index_of(tmp_path, manifest_of(report("ธนาคารออมสิน", outputs=outside),
                                          report("กรมสรรพากร", outputs={"html": "2566/report.html"})), files=False)
    assert re.findall(r"href='([^']*)'>", page.split("<tbody>", 1)[1]) == ["2566/report.html"]


def test_hostile_names_and_texts_are_escaped_and_links_quoted(tmp_path):
    hostile = "<script>alert('x')</script>\"onmouseover=\"$1 ${x} & </td>"
    entry = report(hostile, status="warnings", warnings=["<b>new_code</b>"], error="<img src=x onerror=alert(1)>",
                   figures={"total": 70, "rating": "<i>A</i>", "change": 1, "weak": 3})
    page = index_of(tmp_path, manifest_of(entry))
    (row,) = rows(page)
    assert page.count("<script>") == 1 and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert html.unescape(cells(row)[0]) == hostile and "&lt;b&gt;new_code&lt;&#47;b&gt;" in row
    hrefs = re.findall(r"href='([^']*)'", row)
    assert len(hrefs) == 3 and all(re.fullmatch(r"2566/[A-Za-z0-9%._/-]+", href) for href in hrefs)


def test_years_newest_first_each_with_its_counts(tmp_path):
    manifest = manifest_of(
        report("กรมสรรพากร", 2565), report("กรมสรรพากร", 2567, "warnings"), report("ธนาคารออมสิน", 2567, "failed"),
        report("กรมสรรพากร", 2566), report("ธนาคารออมสิน", 2566), report("ท่าอากาศยานไทย", 2566, "failed"),
    )
    page = index_of(tmp_path, manifest)
    assert re.findall(r"<section id='y(\d+)'><h2>ปีงบประมาณ (\d+)</h2>", page) == [
        ("2567", "2567"), ("2566", "2566"), ("2565", "2565")]
    counts = re.findall(r"<p class='counts'>(.*?)</p>", page)
    assert counts == ["สำเร็จ 3 รายงาน สำเร็จ มีข้อสังเกต 1 รายงาน ไม่สำเร็จ 2 รายงาน",
                      "สำเร็จ 0 รายงาน สำเร็จ มีข้อสังเกต 1 รายงาน ไม่สำเร็จ 1 รายงาน",
                      "สำเร็จ 2 รายงาน สำเร็จ มีข้อสังเกต 0 รายงาน ไม่สำเร็จ 1 รายงาน",
                      "สำเร็จ 1 รายงาน สำเร็จ มีข้อสังเกต 0 รายงาน ไม่สำเร็จ 0 รายงาน"]
    assert status_counts(manifest) == {"ok": 3, "warnings": 1, "failed": 2, "stale": 0}
    section_2566 = page[page.index("id='y2566'"):page.index("id='y2565'")]
    assert [cells(row)[0] for row in rows(section_2566)] == ["กรมสรรพากร", "ท่าอากาศยานไทย", "ธนาคารออมสิน"]


def test_the_page_is_offline_for_phones_and_complete_without_javascript(tmp_path):
    manifest = manifest_of(*(report(org) for org in DICTIONARY_ORDER))
    page = index_of(tmp_path, manifest)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    targets = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"' >]*)""", page, flags=re.I)
    assert targets and all(re.fullmatch(r"#y\d+|2566/[A-Za-z0-9%._/-]+", target) for target in targets)
    assert re.findall(r"url\((.{5})", page) == ["data:"] * 4 and "default-src 'none'" in page
    assert "<p class='filter' hidden>" in page  # the script shows the filter; without it every row is there
    assert len(rows(page)) == len(DICTIONARY_ORDER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2566", "index.html"]  # no temporary file left
    assert "ยังไม่มีรายงาน" in index_of(tmp_path, {"reports": {}})


# ---- at scale: folded notes, search, passing, the year a change is from, no local paths ------------------

def test_a_note_most_reports_of_a_year_share_is_listed_once_and_rows_show_its_number(tmp_path):
    first_year = [report(f"เทศบาลตำบลตัวอย่าง{n}", 2566, "warnings", warnings=["no_previous_total"]) for n in range(5)]
    first_year[0]["warnings"] = ["no_previous_total", "no_measures"]  # one report's own note stays in full
    page = index_of(tmp_path, manifest_of(*first_year, report("กรมสรรพากร", 2566)))
    assert page.count("ไม่มีคะแนนรวมของปีก่อนหน้าให้เปรียบเทียบ") == 1
    assert "<ul class='notes'><li>(1) ไม่มีคะแนนรวมของปีก่อนหน้าให้เปรียบเทียบ: 5 รายงาน</li></ul>" in page
    statuses = [cells(row)[5] for row in rows(page)]
    assert statuses[0] == "สำเร็จ"  # กรมสรรพากร, no note
    assert statuses[1] == ("สำเร็จ มีข้อสังเกต<div class='warning'>ข้อสังเกต (1)</div>"
                           "<div class='warning'>ไม่มีไฟล์มาตรการของหน่วยงานสำหรับผลการประเมินปีนี้</div>")
    assert statuses[2:] == ["สำเร็จ มีข้อสังเกต<div class='warning'>ข้อสังเกต (1)</div>"] * 4


def test_a_note_of_few_reports_stays_in_full_in_their_rows(tmp_path):
    manifest = manifest_of(report("ก", warnings=["no_measures"]), report("ข"), report("ค"), report("ง"))
    page = index_of(tmp_path, manifest)
    assert "class='notes'" not in page and page.count("ไม่มีไฟล์มาตรการของหน่วยงานสำหรับผลการประเมินปีนี้") == 1


@pytest.mark.parametrize("query, name", [
    ("เขต 1", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๑"),
    ("เขต ๑", "สพป.เชียงใหม่ เขต 1"),
    ("อบต", "องค์การบริหารส่วนตำบลบางพลีใหญ่"),
    ("อบต.บางพลี", "องค์การบริหารส่วนตำบลบางพลีใหญ่"),
    ("องค์การบริหารส่วนตำบลบางพลี", "อบต.บางพลีใหญ่"),
    ("องค์การบริหาร", "อบต.บางพลีใหญ่"),  # a full name typed only in part
    ("อบจ ขอนแก่น", "องค์การบริหารส่วนจังหวัดขอนแก่น"),
    ("องค์การบริหารส่วนจังหวัด", "อบจ.ขอนแก่น"),
    ("ทต.หนองหาร", "เทศบาลตำบลหนองหาร"),
    ("เทศบาลตำบลหนองหาร", "ทต.หนองหาร"),
    ("ทม", "เทศบาลเมืองแสนสุข"),
    ("เทศบาลเมือง", "ทม.แสนสุข"),
    ("สพป เชียงใหม่ เขต 1", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๑"),
    ("สพม", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษากรุงเทพมหานคร เขต ๒"),
    ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา", "สพม.กรุงเทพมหานคร เขต ๒"),
    ("รพ.สต.", "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านนา"),
    ("รพสต บ้านนา", "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านนา"),
    ("โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านนา", "รพ.สต.บ้านนา"),
    ("สํานักงาน", "สำนักงานตำรวจแห่งชาติ"),  # นิคหิต + า typed for ำ
    ("BMA", "กรุงเทพมหานคร (bma)"),
])
def test_search_folds_digits_and_abbreviations_both_ways(query, name):
    assert search_matches(query, name)


@pytest.mark.parametrize("query, name", [
    ("เขต 2", "สพป.เชียงใหม่ เขต ๑"),
    ("อบจ", "องค์การบริหารส่วนตำบลบางพลีใหญ่"),
    ("ทต", "เทศบาลเมืองแสนสุข"),
    ("สพป", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษากรุงเทพมหานคร"),
])
def test_search_keeps_different_kinds_and_numbers_apart(query, name):
    assert not search_matches(query, name)


def test_search_fold_values():
    assert search_fold("อบต.บางพลี เขต ๑") == ("อบตบางพลีเขต1", "องค์การบริหารส่วนตำบลบางพลีเขต1")
    assert search_fold("รพ.สต. บ้านนา") == ("รพสตบ้านนา", "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านนา")
    assert search_fold("กรมสรรพากร") == ("กรมสรรพากร", "กรมสรรพากร")  # no abbreviation inside a word


@pytest.mark.parametrize("figures, expected", [
    ({"total": 96.2, "rating": "ผ่านดีเยี่ยม"}, True), ({"total": 85.0, "rating": "ผ่าน"}, True),
    ({"total": 84.99, "rating": "ต้องปรับปรุง"}, False), ({"total": 40.0, "rating": "ต้องปรับปรุงโดยด่วน"}, False),
    ({"total": 85.0, "rating": "A"}, True), ({"total": 84.99, "rating": "B"}, False),  # letter grades to FY2565
    ({"total": 60.0, "rating": "ไม่ผ่าน"}, False), ({}, None), (None, None),
])
def test_passing_is_a_rating_of_pass_or_a_letter_grade_with_85(figures, expected):
    assert passing(figures) is expected


def test_each_year_says_how_many_agencies_pass_and_what_share(tmp_path):
    manifest = manifest_of(
        report("ก", 2566, figures={"total": 96.2, "rating": "ผ่านดีเยี่ยม", "change": 1.0, "weak": 0}),
        report("ข", 2566, figures={"total": 85.0, "rating": "ผ่าน", "change": None, "weak": 2}),
        report("ค", 2566, figures={"total": 72.4, "rating": "ต้องปรับปรุง", "change": None, "weak": 5}),
        report("ง", 2566, "failed", error="ValueError"),  # no figures: not counted either way
        report("จ", 2566, "failed", error="ValueError", last_good={  # its last good figures count
            "outputs": {}, "figures": {"total": 90.0, "rating": "ผ่านดี", "change": None, "weak": 0}}),
        report("ก", 2565, figures={"total": 95.2, "rating": "AA", "change": None, "weak": 0}),
        report("ข", 2565, figures={"total": 80.0, "rating": "B", "change": None, "weak": 3}),
    )
    page = index_of(tmp_path, manifest)
    assert re.findall(r"<p class='passing'>(.*?)</p>", page) == [
        "ผ่านเกณฑ์ 3 จาก 4 หน่วยงานที่มีผลคะแนน (75.0%)", "ผ่านเกณฑ์ 1 จาก 2 หน่วยงานที่มีผลคะแนน (50.0%)"]
    assert "ยังไม่มีผลคะแนน" in index_of(tmp_path / "none", manifest_of(report("ง", 2566, "failed")))


def test_a_change_from_a_year_not_the_one_before_says_which_year(tmp_path):
    manifest = manifest_of(
        report("กรมสรรพากร", 2564, figures={"total": 88.50, "rating": "A", "change": None, "weak": 1}),
        report("กรมสรรพากร", 2566, figures={"total": 90.25, "rating": "ผ่านดี", "change": 1.75, "weak": 0}),
        report("ธนาคารออมสิน", 2565, figures={"total": 80.00, "rating": "B", "change": None, "weak": 2}),
        report("ธนาคารออมสิน", 2566, figures={"total": 81.00, "rating": "ต้องปรับปรุง", "change": 1.0, "weak": 2}),
        report("ไปรษณีย์ไทย", 2566, figures={"total": 86.00, "rating": "ผ่าน", "change": -2.0, "weak": 1,
                                               "previous_year": 2563}),  # as a report may record it
        report("มหาวิทยาลัยมหิดล", 2566, figures={"total": 86.00, "rating": "ผ่าน", "change": 0.5, "weak": 1}),
    )
    page = index_of(tmp_path, manifest)
    section = page[page.index("id='y2566'"):page.index("id='y2565'")]
    changes = {cells(row)[0]: cells(row)[3] for row in rows(section)}
    assert changes == {
        "กรมสรรพากร": "+1.75 <span class='since'>จากปี 2564</span>",  # 90.25 − 88.50, no report of 2565
        "ธนาคารออมสิน": "+1.00",  # from 2565, the year before: nothing to say
        "ไปรษณีย์ไทย": "\u22122.00 <span class='since'>จากปี 2563</span>",
        "มหาวิทยาลัยมหิดล": "+0.50",  # its earlier year is not in the manifest: unknown, not guessed
    }


def test_the_index_names_no_absolute_local_path(tmp_path):
    out = tmp_path / "out"
    entry = report("กรมสรรพากร", 2566, "failed",
                   error=f"FileNotFoundError: {tmp_path}/data/scores/กรมสรรพากร.csv; see {out}/2566/log.txt")
    entry["outputs"] = {"ipynb": str(out / "2566" / "กรมสรรพากร" / "report.failed.ipynb"),  # absolute, inside
                        "html": "/elsewhere/report.html"}  # absolute, outside: no link
    (out / "2566" / "กรมสรรพากร").mkdir(parents=True)
    (out / "2566" / "กรมสรรพากร" / "report.failed.ipynb").touch()
    page = index_of(out, manifest_of(entry), files=False)
    assert str(tmp_path) not in page and "/elsewhere" not in page
    assert "FileNotFoundError:&#32;กรมสรรพากร.csv;&#32;see&#32;2566&#47;log.txt" in page
    assert re.findall(r"href='([^']*)'", page) == ["#y2566", f"2566/{quote('กรมสรรพากร')}/report.failed.ipynb"]
    assert without_local_paths(r"C:\Users\ita\data\scores.xlsx ไม่พบ", out) == "scores.xlsx ไม่พบ"
    assert without_local_paths("คะแนน 85/100 และ 1/2", out) == "คะแนน 85/100 และ 1/2"  # not paths


# ---- national scale, in a real browser -------------------------------------------------------------

def require_chromium() -> str:
    """Skip outside CI when no Chromium-family browser is installed; inside CI that is a failure."""
    return require(find_chromium(), "a Chromium-family browser")


LOADED = """() => new Promise(done => requestAnimationFrame(() => setTimeout(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    done({loaded: nav.loadEventEnd, painted: performance.now(), width: document.documentElement.scrollWidth});
})))"""
SHOWN_ROWS = "() => document.querySelectorAll('tbody tr:not([hidden])').length"


@pytest.mark.slow
def test_national_scale_index_filters_and_fits_a_phone(tmp_path):
    browser = require_chromium()
    from playwright.sync_api import sync_playwright

    manifest = synthetic_manifest(NATIONAL)
    publish_files(tmp_path, manifest)
    path = write_index(tmp_path, manifest)
    assert path.stat().st_size < 12e6
    municipalities = sum(e["org"].startswith("เทศบาล") for e in manifest["reports"].values())

    requests, errors = [], []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        page = chromium.new_context(offline=True, viewport={"width": 1280, "height": 800}).new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        assert page.evaluate(SHOWN_ROWS) == NATIONAL + 1

        page.fill("#filter", "00042")
        page.wait_for_function("() => document.getElementById('found').textContent === 'พบ 1 รายงาน'")
        assert page.evaluate(SHOWN_ROWS) == 1
        page.fill("#filter", "เทศบาล")
        page.wait_for_function(f"() => document.getElementById('found').textContent === 'พบ {municipalities:,} รายงาน'")
        assert page.evaluate(SHOWN_ROWS) == municipalities
        page.fill("#filter", "ทต.สังเคราะห์-๐๐๐๔")  # เทศบาลตำบลสังเคราะห์-00040 to -00049: abbreviated, Thai digits
        tambon = sum(e["org"].startswith("เทศบาลตำบลสังเคราะห์-0004") for e in manifest["reports"].values())
        assert 0 < tambon < 10
        page.wait_for_function(f"() => document.getElementById('found').textContent === 'พบ {tambon:,} รายงาน'")
        page.fill("#filter", "")
        page.wait_for_function(f"() => document.querySelectorAll('tbody tr:not([hidden])').length === {NATIONAL + 1}")

        phone = chromium.new_context(offline=True, viewport={"width": 390, "height": 844}, is_mobile=True,
                                     has_touch=True, device_scale_factor=3).new_page()  # honours the viewport meta
        phone.goto(path.as_uri(), wait_until="load")
        assert phone.evaluate(LOADED)["width"] == 390
        phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")  # the long name, laid out
        assert phone.evaluate(LOADED)["width"] == 390

        plain = chromium.new_context(offline=True, java_script_enabled=False).new_page()
        plain.goto(path.as_uri(), wait_until="load")
        assert plain.locator("tbody tr").count() == NATIONAL + 1 and plain.locator(".filter").is_hidden()
        chromium.close()
    assert [u for u in requests if not u.startswith(("data:", "file://"))] == [] and errors == []


FOLDED = ["อบต.บางพลี เขต ๑", "รพ.สต. บ้านนา", "สพม.กรุงเทพมหานคร เขต ๒", "ทม.แสนสุข", "ทต หนองหาร",
          "สํานักงาน", "กรมสรรพากร", "กรุงเทพมหานคร (BMA)", "เทศบาลเมือง ๑๒๓", "  อบจ  "]


@pytest.mark.slow
def test_the_page_folds_a_search_as_python_does(tmp_path):
    browser = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        page = chromium.new_context(offline=True).new_page()
        folded = page.evaluate(f"texts => {{ {FOLD_SCRIPT}\nreturn texts.map(fold); }}", FOLDED)
        chromium.close()
    assert [tuple(pair) for pair in folded] == [search_fold(text) for text in FOLDED]
