"""The measures report: generated sentences, offline HTML, sanitizing, PDF engines, a real browser."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from support import FIRST_YEAR, FIXTURES, RISING, visible_text

from conftest import BMA, REPO_ROOT, require
from ita_helpers.analysis.report import build_report
from ita_helpers.batch.execute import execute
from ita_helpers.batch.slices import agency_slices
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ITADataError
from ita_helpers.document import narrative, sections
from ita_helpers.inputs.dataset import DataFolder
from ita_helpers.render.pdf import find_chromium

SEED_SENTENCE = ("มีผลคะแนนอยู่ที่ ๘๘.๙๘ คะแนน อยู่ในระดับ “ผ่าน” และเมื่อเปรียบเทียบกับปีงบประมาณ พ.ศ. ๒๕๖๕ "
                 "พบว่ามีคะแนนลดลงจำนวน ๑.๐๓ คะแนน")
WEAK_IN_ORDER = ["คุณภาพการดำเนินงาน (๘๒.๘๘ คะแนน)", "ประสิทธิภาพการสื่อสาร (๘๑.๒๒ คะแนน)",
                 "การปรับปรุงระบบการทำงาน (๗๘.๓๗ คะแนน)", "การแก้ไขปัญหาการทุจริต (๗๘.๓๑ คะแนน)",
                 "การใช้ทรัพย์สินของราชการ (๗๗.๙๕ คะแนน)", "การใช้งบประมาณ (๗๗.๘๓ คะแนน)"]


def render(out: Path, org: str, year: int, data: Path | None = None, engine: str = "auto") -> Path:
    args = ["report", "--org", org, "--year", str(year), "--out", str(out), "--engine", engine]
    assert main(args + (["--data", str(data)] if data else [])) == 0
    return out / str(year) / org


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory) -> Path:
    return render(tmp_path_factory.mktemp("seed"), BMA, 2566)


@pytest.fixture(scope="session")
def seed_html(seed_report) -> str:
    return (seed_report / "report.html").read_text(encoding="utf-8")


def test_only_what_scrolls_takes_a_tab_stop(seed_html):
    """The two wide tables scroll within themselves, so a keyboard must reach them; nbconvert's tab stop on
    every output area (each paragraph) is left out with its BeautifulSoup pass (exporters.PageExporter)."""
    assert seed_html.count("tabindex") == seed_html.count("<div class='ita-scroll' tabindex='0'>") == 2


def test_seed_html_has_the_generated_sentences(seed_html):
    text = visible_text(seed_html)
    assert SEED_SENTENCE in text
    weak = text[text.index("พบว่า มี ๖ ตัวชี้วัดที่ได้คะแนนต่ำกว่า ๘๕ คะแนน"):]
    positions = [weak.index(item) for item in WEAK_IN_ORDER]
    assert positions == sorted(positions)
    assert "และการใช้งบประมาณ (๗๗.๘๓ คะแนน)" in weak


def test_seed_html_uses_official_indicator_names_and_the_unit(seed_html):
    text = visible_text(seed_html)
    assert "๑ การปฏิบัติหน้าที่ IIT ๙๒.๒๗" in text and "๓ การใช้อำนาจ IIT ๘๕.๘๕" in text
    assert "การใช้จ่ายงาน" not in text  # the seed's mislabel of indicator 3
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสของสำนักงานเลขาธิการสภากรุงเทพมหานคร" in text
    assert "เลขานุการ" not in text
    for title in ("ผลการประเมินในภาพรวม", "ผลการประเมินรายเครื่องมือย้อนหลัง", "๔. วิเคราะห์ข้อจำกัด"):
        assert title in text


def test_seed_html_is_self_contained(seed_html):
    assert '<html lang="th">' in seed_html
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:|#)([^"'\s>]+)""", seed_html)
    external += [u for u in re.findall(r"url\(\s*['\"]?([^)'\"]+)", seed_html) if not u.startswith(("data:", "#"))]
    assert external == []
    assert "require.js" not in seed_html and "mathjax" not in seed_html.lower()
    assert seed_html.count("font-family: 'Sarabun'; font-weight:") == 4
    charts = re.findall(r"<figure class='ita-chart'><h3 class='ita-text'>([^<]+)</h3>"
                        r"<div class='ita-chart-image' role='img' aria-label='\1'><svg ", seed_html)
    assert len(charts) == 6 and charts[0] == "ผลการประเมิน ITA ของกรุงเทพมหานคร ปี ๒๕๖๒-๒๕๖๖"  # inline, titled once
    assert "<img " not in seed_html


def test_seed_html_has_a_table_of_contents(seed_html):
    links = re.findall(r"<a href=[\"'](#part-\d)[\"']>([^<]+)</a>", seed_html)
    assert [anchor for anchor, _title in links] == ["#part-1", "#part-2", "#part-3", "#part-4"]
    for anchor, title in links:
        assert re.search(f"<h2 class=[\"']ita-text[\"'] id=[\"']{anchor[1:]}[\"']>{re.escape(title)}<", seed_html)


def footer_text(page: str) -> str:
    return visible_text(page[page.index('<footer class="ita-footer">'):page.index("</footer>")])


def appendix_text(page: str) -> str:
    return visible_text(page[page.index('<section class="ita-appendix"'):page.index("</section>")])


def test_seed_html_footer_says_who_made_it_when_and_from_which_files(seed_html):
    """For the report's readers, in Thai: the unit (its title part's author), the day in B.E. with Thai
    digits, and the files of the agency's data folder it read, named as the agency knows them (the suite's
    own methodology and national averages are not the agency's)."""
    footer = footer_text(seed_html)
    assert re.fullmatch(
        "จัดทำโดย สำนักงานเลขาธิการสภากรุงเทพมหานคร เมื่อวันที่ [๐-๙]{1,2} [ก-๙]+ พ\\.ศ\\. ๒๕[๖-๙][๐-๙] "
        "จากไฟล์ข้อมูลของหน่วยงาน ได้แก่ ไฟล์คะแนนรายตัวชี้วัด “bma.csv” ไฟล์คะแนนรวมที่ประกาศ “reported_totals.csv” "
        "และไฟล์มาตรการ “bma_council_secretariat_2566.yaml”", footer), footer
    assert not re.search(r"[0-9]", footer.replace("bma_council_secretariat_2566.yaml", ""))  # Thai digits


def test_seed_html_appendix_records_parameters_and_inputs_in_thai(seed_html):
    """For whoever checks the report: the values it was made with under Thai names (never a Python name,
    never None: an unset plan year is left out), each file it read with its SHA-256, the package, the PDF
    engine and the time."""
    slice_of_bma = {i.name: i.sha256 for i in agency_slices(DataFolder(), {BMA}).inputs[BMA]}
    assert sorted(slice_of_bma) == ["measures/bma_council_secretariat_2566.yaml", "methodology.yaml",
                                    "national_averages.csv", "oit_items.yaml", "reported_totals.csv", "scores/bma.csv"]
    appendix = appendix_text(seed_html)
    assert appendix.startswith("ภาคผนวก: ข้อมูลสำหรับตรวจสอบ ชุดโปรแกรม ita-helpers รุ่น ")
    for digest in slice_of_bma.values():
        assert digest in appendix
    assert hashlib.sha256((REPO_ROOT / "data" / "methodology.yaml").read_bytes()).hexdigest() in appendix
    assert (f"ค่าที่ใช้จัดทำรายงาน หน่วยงานที่ได้รับการประเมิน: {BMA} · ปีงบประมาณของผลการประเมิน: ๒๕๖๖ · "
            "เกณฑ์ตัวชี้วัดที่ต้องปรับปรุง: คะแนนต่ำกว่า ๘๕ · ตัวเลขในเนื้อความ: เลขไทย · "
            "ใช้เฉพาะเกณฑ์การประเมินของปีนั้น: ไม่ใช่ · รูปแบบที่จัดทำ: HTML, PDF") in appendix
    assert "เกณฑ์การประเมิน: methodology.yaml (ฉบับของชุดโปรแกรม)" in appendix
    assert "รายการข้อมูลของแบบตรวจ OIT: oit_items.yaml (ฉบับของชุดโปรแกรม)" in appendix
    assert "คะแนนรายตัวชี้วัด: bma.csv " in appendix and "มาตรการ: bma_council_secretariat_2566.yaml " in appendix
    assert re.search(r"สร้างไฟล์ PDF ด้วย Chromium \(\w+\) · จัดทำเมื่อ [๐-๙]+ [ก-๙]+ พ\.ศ\. ๒๕[๖-๙][๐-๙] "
                     r"เวลา [๐-๙]{2}:[๐-๙]{2} น\.", appendix)
    for english in ("None", "org", "fiscal_year", "plan_year", "threshold", "digits", "formats", "scores/", ".csv.csv"):
        assert english not in appendix + footer_text(seed_html)


def test_arabic_digits_and_readable_thai_parameters(tmp_path):
    out = tmp_path / "arabic.ipynb"
    execute(REPO_ROOT / "notebooks" / "ita_report.ipynb", out,
            {"org": BMA, "fiscal_year": 2566, "digits": "arabic"}, tmp_path)
    notebook = nbformat.read(out, as_version=4)
    injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f"org = '{BMA}'" in injected.source
    outputs = visible_text(" ".join(o.get("data", {}).get("text/html", "")
                                    for c in notebook.cells for o in c.get("outputs", [])))
    assert ("มีผลคะแนนอยู่ที่ 88.98 คะแนน อยู่ในระดับ “ผ่าน” และเมื่อเปรียบเทียบกับปีงบประมาณ พ.ศ. 2565 "
            "พบว่ามีคะแนนลดลงจำนวน 1.03 คะแนน") in outputs


@pytest.mark.parametrize(("org", "expected"), [
    (RISING, "และเมื่อเปรียบเทียบกับปีงบประมาณ พ.ศ. ๒๕๖๕ พบว่ามีคะแนนเพิ่มขึ้นจำนวน ๙.๖๔ คะแนน"),
    (FIRST_YEAR, "โดยไม่มีผลการประเมินของปีงบประมาณก่อนหน้าให้เปรียบเทียบ"),
])
def test_comparison_wording_follows_the_data(org, expected):
    report = build_report(org, 2566, data_dir=FIXTURES)
    sentence = narrative.result_sentence(report.org, 2566, report.summary["total"], report.summary["rating"],
                                         report.previous_year, report.change)
    assert sentence.endswith(expected)


def test_unchanged_total_is_worded_as_unchanged():
    assert narrative.result_sentence("ก", 2566, 90.0, "ผ่านดี", 2565, 0.0).endswith("พบว่ามีคะแนนเท่าเดิม")


def test_markup_in_measures_is_inert_and_uncovered_weak_indicators_are_flagged():
    report = build_report(RISING, 2566, data_dir=FIXTURES)
    table = "".join(part.html() for part in sections.action_table(report, "thai"))
    assert "<script" not in table and "<img" not in table and "<b>" not in table
    text = visible_text(table)
    assert "<script>alert(1)</script> มาตรการทดสอบ" in text and "<img src=x onerror=alert(1)> ภาพทดสอบ" in text
    assert report.uncovered == [2]
    assert "ยังไม่มีประเด็นใดในตารางมาตรการรองรับ ได้แก่ การใช้งบประมาณ" in text


def test_unknown_agency_or_year_is_refused_with_what_the_data_has(tmp_path, capsys):
    assert main(["report", "--org", "ไม่มีหน่วยงานนี้", "--year", "2566", "--out", str(tmp_path)]) == 2
    assert BMA in capsys.readouterr().err
    with pytest.raises(ITADataError, match="years with scores: 2566"):
        build_report(BMA, 2563)
    assert not (tmp_path / "2566").exists()


def test_pdf_chromium_is_a4_with_a_true_text_layer(seed_report):
    require(find_chromium(), "a Chromium-family browser")
    pdf = seed_report / "report.pdf"
    info = subprocess.run([require(shutil.which("pdfinfo"), "pdfinfo"), str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    assert "(A4)" in info and "HeadlessChrome" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 5
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "สำนักงานเลขาธิการสภากรุงเทพมหานคร" in text and "ดำเนินงาน" in text
    assert "๘๘.๙๘" in text
    # The charts' text is text when Chromium prints: each chart's source line can be found and copied.
    assert text.count("ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช.") == 6
    assert text.count("ผลการประเมินรายตัวชี้วัด ปี ๒๕๖๖") == 1  # the heading; the chart draws no title


def test_pdf_weasyprint_is_a4(tmp_path):
    folder = render(tmp_path, BMA, 2566, engine="weasyprint")
    info = subprocess.run([require(shutil.which("pdfinfo"), "pdfinfo"), str(folder / "report.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and "WeasyPrint" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 5
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "สร้างไฟล์ PDF ด้วย WeasyPrint" in page
    assert page.count("<svg ") == 6 and "<text" not in page  # chart text as outlines: WeasyPrint drops Thai marks


def test_real_browser_offline(seed_report, tmp_path):
    browser = require(find_chromium(), "a Chromium-family browser")
    from playwright.sync_api import sync_playwright

    from ita_helpers.render.pdf import CHROMIUM_ARGS

    requests, errors = [], []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        context = chromium.new_context(offline=True)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((seed_report / "report.html").as_uri(), wait_until="load")
        loaded = page.evaluate("""async () => { await document.fonts.ready;
            return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family); }""")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        chromium.close()
    outside = [u for u in requests if not u.startswith(("data:", "file://", "about:"))]
    assert outside == [] and errors == []
    assert [u for u in requests if u.startswith("file://")] == [(seed_report / "report.html").as_uri()]
    assert any("Sarabun" in family for family in loaded)
    assert (tmp_path / "report.png").stat().st_size > 10_000


PHONE_CHECKS = """async () => { await document.fonts.ready;
    const charts = [...document.querySelectorAll('.ita-chart svg')];
    return {scroll: document.documentElement.scrollWidth, inner: innerWidth, height: innerHeight,
            scales: charts.map(svg => svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width * 96 / 72)),
            fills: charts.map(svg => svg.getBoundingClientRect().width / svg.parentElement.clientWidth),
            issues: [...document.querySelectorAll('table.actions tbody tr')].map(r => r.getBoundingClientRect().height),
            scrolling: [...document.querySelectorAll('.ita-scroll')].map(d => getComputedStyle(d).overflowX),
            targets: [...document.querySelectorAll('nav.ita-contents a')].map(
                a => document.querySelector(a.getAttribute('href'))?.tagName)}; }"""


@pytest.mark.parametrize("width", [390, 1366])
def test_reads_on_a_phone_and_a_desktop(seed_report, width):
    """No sideways page scroll, chart text of at least 9 CSS px, an action-table issue within a screen."""
    browser = require(find_chromium(), "a Chromium-family browser")
    from playwright.sync_api import sync_playwright

    from ita_helpers.document import plots
    from ita_helpers.render.pdf import CHROMIUM_ARGS

    phone = width < 600
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        page = chromium.new_context(offline=True, viewport={"width": width, "height": 844}, is_mobile=phone,
                                    has_touch=phone, device_scale_factor=3 if phone else 1).new_page()
        page.goto((seed_report / "report.html").as_uri(), wait_until="load")
        seen = page.evaluate(PHONE_CHECKS)
        chromium.close()
    assert seen["scroll"] == seen["inner"] == width
    assert len(seen["scales"]) == 6
    smallest = plots.SMALL * 96 / 72 * min(seen["scales"])  # the charts' smallest text, in CSS px
    assert seen["fills"] == [pytest.approx(1, abs=0.01)] * 6  # as wide as the text column
    assert smallest >= 9 and (smallest < 10 if phone else 18 < smallest < 24)  # desktop: the column is ~820 px
    assert seen["targets"] == ["H2"] * 4 and seen["scrolling"] == ["auto", "auto"]
    assert len(seen["issues"]) >= 6 and max(seen["issues"]) < seen["height"]  # a card per issue on a phone
