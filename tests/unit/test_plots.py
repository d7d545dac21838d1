"""The charts: inline SVG as wide as the text, drawn once, legible on a phone, the same bytes in every run;
their numbers in the document's digits, their title kept for the heading and not drawn, their source
line naming only the files read."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from conftest import BMA, REPO_ROOT
from ita_helpers.analysis.report import build_report
from ita_helpers.document import plots
from ita_helpers.document.chart_forms import SVG_TEXT_ENV
from ita_helpers.inputs.dataset import BUNDLED_DATA
from ita_helpers.render.pdf import svg_text_for

matplotlib.use("agg")
ARABIC_DIGIT = re.compile("[0-9]")


@pytest.fixture(scope="module")
def report():
    plots.setup()
    return build_report(BMA, 2566)


@pytest.fixture(scope="module")
def figures(report) -> list[Figure]:
    return plots.report_charts(report)


def smallest_text_pt(figures: list[Figure]) -> float:
    return min(t.get_fontsize() for f in figures for t in f.findobj(Text) if t.get_visible() and t.get_text())


def drawn_text(figure: Figure) -> list[str]:
    """The text the figure shows once drawn, tick labels included."""
    FigureCanvasAgg(figure).draw()
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()
            and figure.bbox.overlaps(t.get_window_extent())]


def test_drawn_wide_and_no_text_under_the_phone_minimum(figures):
    assert {f.get_figwidth() for f in figures} == {plots.WIDTH} == {7.5}
    assert smallest_text_pt(figures) == plots.SMALL == 14
    # scaled to the text column: 358 px on a 390-px phone (tests/integration/test_report.py measures it): 9.3 CSS px
    assert smallest_text_pt(figures) * 96 / 72 * 358 / (plots.WIDTH * 96) > 9


def test_each_chart_is_drawn_once(figures, monkeypatch):
    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(self) or original(self, renderer))
    for figure in figures:
        plots.as_image(figure)
    assert len(draws) == len(figures) == 6


def test_svg_as_wide_as_the_text_with_its_title_as_alt_text(figures):
    charts = [plots.as_image(f) for f in figures]
    for chart, figure in zip(charts, figures):
        data, metadata = chart._repr_mimebundle_()
        assert data["image/svg+xml"].startswith("<svg ") and "<?xml" not in data["image/svg+xml"]
        assert metadata == {"image/svg+xml": {"alt": plots.caption(figure)}}
        opening = chart.svg[:chart.svg.index(">")]
        assert ' width="100%"' in opening and " height=" not in opening  # the column's width; the viewBox's shape
        width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', opening).groups())
        assert (width, height) == pytest.approx((plots.WIDTH * 72, figure.get_figheight() * 72))
        assert "<text" not in chart.svg  # glyph outlines: WeasyPrint drops stacked Thai marks of SVG text
        defined = re.findall(r' id="([^"]+)"', chart.svg)
        assert set(re.findall(r'href="#([^"]+)"', chart.svg)) <= set(defined)
    ids = [i for chart in charts for i in re.findall(r' id="([^"]+)"', chart.svg)]
    assert len(ids) == len(set(ids))  # six charts in one page: no id defined twice
    assert [plots.as_image(f).svg for f in figures] == [c.svg for c in charts]  # no date, no random id
    assert 300_000 < sum(len(c.svg) for c in charts) < 600_000


def test_word_gets_png_as_wide_as_its_text(figures):
    png = plots.as_png(figures[0])
    image = Image.open(io.BytesIO(png))
    assert png.startswith(b"\x89PNG") and image.size[0] == pytest.approx(16 / 2.54 * 200, abs=2)
    assert image.info["dpi"] == pytest.approx((200, 200), abs=0.01)  # 16 cm across, as Word places it


def test_title_kept_for_the_heading_and_not_drawn(report, figures):
    """The document shows each chart's title once, as the heading above it, in its digits."""
    assert [plots.caption(f) for f in figures] == [
        "ผลการประเมิน ITA ของกรุงเทพมหานคร ปี ๒๕๖๒-๒๕๖๖", "ผลการประเมินในภาพรวม", "ผลการประเมินในภาพรวมย้อนหลัง",
        "ผลการประเมินรายเครื่องมือ ปี ๒๕๖๖", "ผลการประเมินรายเครื่องมือย้อนหลัง", "ผลการประเมินรายตัวชี้วัด ปี ๒๕๖๖"]
    for figure in figures:
        assert not any(plots.caption(figure) in text for text in drawn_text(figure))
        assert not any(ax.get_title(loc) for ax in figure.axes for loc in ("left", "center", "right"))
    arabic = plots.report_charts(report, "arabic")
    assert plots.caption(arabic[0]) == "ผลการประเมิน ITA ของกรุงเทพมหานคร ปี 2562-2566"
    assert plots.caption(arabic[5]) == "ผลการประเมินรายตัวชี้วัด ปี 2566"


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_every_number_in_the_documents_digits(report, digits):
    """Ticks, value labels, years, the pass mark, legends: all in the digits of the document, years in B.E.
    Only the source line's file names keep theirs."""
    texts = {plots.caption(f): [t for t in drawn_text(f) if not t.startswith("ที่มา")]
             for f in plots.report_charts(report, digits)}
    other = re.compile("[0-9]" if digits == "thai" else "[๐-๙]")
    assert {title: [t for t in shown if other.search(t)] for title, shown in texts.items()} == dict.fromkeys(texts, [])
    history, overall, _over_years, by_tool, _tools_over_years, by_indicator = texts.values()
    if digits == "thai":
        assert {"๒๕๖๒", "๒๕๖๓", "๒๕๖๔", "๒๕๖๕", "๒๕๖๖", "๘๘.๙๘", "๑๐๐"} <= set(history)
        assert {"๘๘.๙๘ (ผ่าน)", "เกณฑ์ผ่าน ๘๕ คะแนน", "ปี ๒๕๖๖", "๘๐"} <= set(overall)
        assert {"๘๒.๔๔", "๑๐๐.๐๐", "๖๐"} <= set(by_tool)
        assert {"๑. การปฏิบัติหน้าที่", "๗๗.๘๓", "เกณฑ์ ๘๕ คะแนน"} <= set(by_indicator)
    else:
        assert {"2562", "2564", "2566", "88.98"} <= set(history)
        assert {"88.98 (ผ่าน)", "เกณฑ์ผ่าน 85 คะแนน", "ปี 2566"} <= set(overall)
        assert {"1. การปฏิบัติหน้าที่", "77.83"} <= set(by_indicator)


def test_history_has_every_year_and_a_gap_where_the_total_is_unknown(report):
    """BMA's total of 2564 is unknown: the year has its tick and its national average (81.25), and the
    agency's line breaks there rather than running straight from 2563 to 2565."""
    figure = plots.history(report, "arabic")
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2562", "2563", "2564", "2565", "2566"]
    agency, national = ax.lines[:2]
    assert list(agency.get_xdata()) == [2562, 2563, 2564, 2565, 2566]
    assert pd.isna(agency.get_ydata()[2]) and national.get_ydata()[2] == 81.25
    years = plots.by_tool_over_years(report, "arabic").axes[0].get_xticklabels()
    assert [t.get_text() for t in years] == ["2562", "2563", "2564", "2565", "2566"]


def test_chart_text_as_svg_text_when_asked(figures, monkeypatch):
    """What `ita run` asks for when Chromium prints the page: the Thai of the charts as text, a ninth of the
    bytes, the same words as the outlines spell; no title in the chart (the page's heading is)."""
    monkeypatch.setenv(SVG_TEXT_ENV, "1")
    with matplotlib.rc_context():
        plots.setup()
        report = build_report(BMA, 2566)
        charts = [plots.as_image(chart(report)) for chart in plots.CHARTS]
    texts = [re.sub(r"<[^>]+>", "", t) for chart in charts for t in re.findall(r"<text\b.*?</text>", chart.svg, re.S)]
    assert "๘๘.๙๘ (ผ่าน)" in texts and not any("ผลการประเมินรายตัวชี้วัด" in t for t in texts)
    assert sum(t.startswith("ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช.") for t in texts) == 6
    assert all("'Sarabun'" in chart.svg for chart in charts)  # set in the page's embedded font
    assert 30_000 < sum(len(c.svg) for c in charts) < 100_000


def test_outlines_for_weasyprint_text_for_chromium():
    assert not svg_text_for("WeasyPrint")
    assert svg_text_for("Chromium (chromium)") and svg_text_for("-")  # "-": no PDF, the page is read in a browser


# ---- source lines --------------------------------------------------------------------------------------

BUNDLED_NATIONAL = "ค่าเฉลี่ยระดับประเทศ: ข้อมูลที่มากับชุดโปรแกรม จากประกาศของสำนักงาน ป.ป.ช."


def sources(report) -> dict[str, str]:
    """Chart title -> its source line, as drawn (wrapped lines joined)."""
    found = {}
    for figure in plots.report_charts(report):
        line = next(t.get_text() for t in figure.texts if t.get_text().startswith("ที่มา"))
        found[plots.caption(figure)] = re.sub(r"\s+", " ", line.replace("\n(", " (")).replace(")\n", ") ")
    return found


def test_sources_of_the_bundled_report(report):
    found = sources(report)
    assert found["ผลการประเมิน ITA ของกรุงเทพมหานคร ปี ๒๕๖๒-๒๕๖๖"] == (
        "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (ไฟล์ข้อมูล bma.csv และ reported_totals.csv) " + BUNDLED_NATIONAL)
    assert found["ผลการประเมินในภาพรวมย้อนหลัง"] == (  # no national average drawn, none cited
        "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (ไฟล์ข้อมูล bma.csv และ reported_totals.csv)")
    assert found["ผลการประเมินรายตัวชี้วัด ปี ๒๕๖๖"] == "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (ไฟล์ข้อมูล bma.csv)"
    assert not any("national_averages.csv" in line for line in found.values())


def excel_folder(root: Path, national: str | None = None) -> Path:
    """An agency's own folder: its scores in Excel, no reported totals; its own national averages if given.
    SYNTHETIC data."""
    (root / "scores").mkdir(parents=True)
    rows = [{"org": "หน่วยงานทดสอบ", "fiscal_year": year, **{str(n): 90.0 for n in range(1, 11)}}
            for year in (2565, 2566)]
    pd.DataFrame(rows).to_excel(root / "scores" / "ผลคะแนน ITA.xlsx", index=False)
    if national is not None:
        (root / "national_averages.csv").write_text(national, encoding="utf-8")
    return root


def test_sources_of_an_agencys_excel_folder_name_only_its_file(tmp_path):
    found = sources(build_report("หน่วยงานทดสอบ", 2566, data_dir=excel_folder(tmp_path)))
    assert found["ผลการประเมิน ITA ของหน่วยงานทดสอบ ปี ๒๕๖๕-๒๕๖๖"] == (
        "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (ไฟล์ข้อมูล ผลคะแนน ITA.xlsx) " + BUNDLED_NATIONAL)
    assert not any("reported_totals.csv" in line or "national_averages.csv" in line for line in found.values())


def test_sources_name_the_agencys_own_national_averages(tmp_path):
    own = "fiscal_year,average\n2565,87.00\n2566,90.00\n"
    found = sources(build_report("หน่วยงานทดสอบ", 2566, data_dir=excel_folder(tmp_path / "own", own)))
    assert found["ผลการประเมิน ITA ของหน่วยงานทดสอบ ปี ๒๕๖๕-๒๕๖๖"].endswith(
        "ค่าเฉลี่ยระดับประเทศ: ไฟล์ข้อมูล national_averages.csv")
    # a slice carries a copy of the bundled table: still the bundled one
    bundled = (BUNDLED_DATA / "national_averages.csv").read_text(encoding="utf-8")
    found = sources(build_report("หน่วยงานทดสอบ", 2566, data_dir=excel_folder(tmp_path / "copy", bundled)))
    assert found["ผลการประเมิน ITA ของหน่วยงานทดสอบ ปี ๒๕๖๕-๒๕๖๖"].endswith(BUNDLED_NATIONAL)


def test_sources_of_a_slice(tmp_path):
    """What a report's kernel reads in a batch: its slice, score files renamed bma.xlsx.csv."""
    from ita_helpers.batch.slices import agency_slices
    from ita_helpers.inputs.dataset import DataFolder

    folder = excel_folder(tmp_path / "agency")
    for item in agency_slices(DataFolder(folder), {"หน่วยงานทดสอบ"}).inputs["หน่วยงานทดสอบ"]:
        item.write(tmp_path / "slice")
    shutil.rmtree(folder)
    found = sources(build_report("หน่วยงานทดสอบ", 2566, data_dir=tmp_path / "slice"))
    assert found["ผลการประเมิน ITA ของหน่วยงานทดสอบ ปี ๒๕๖๕-๒๕๖๖"] == (
        "ที่มา: ผลการประเมิน ITA ของสำนักงาน ป.ป.ช. (ไฟล์ข้อมูล ผลคะแนน ITA.xlsx) " + BUNDLED_NATIONAL)


def test_an_agency_with_one_year_gets_no_charts_over_the_years(tmp_path):
    """An agency new to the suite has one year: its history is titled with that year alone, and the two
    "over the years" bar charts, which would repeat the year's, are left out."""
    folder = tmp_path / "one"
    (folder / "scores").mkdir(parents=True)
    rows = (REPO_ROOT / "tests/fixtures/synthetic_questions/scores/synthetic_scores.csv").read_text(encoding="utf-8")
    (folder / "scores" / "scores.csv").write_text(rows, encoding="utf-8")
    org = rows.splitlines()[1].split(",")[0]
    titles = [plots.caption(f) for f in plots.report_charts(build_report(org, 2566, data_dir=folder))]
    assert titles[:4] == [f"ผลการประเมิน ITA ของ{org} ปี ๒๕๖๖", "ผลการประเมินในภาพรวม",
                          "ผลการประเมินรายเครื่องมือ ปี ๒๕๖๖", "ผลการประเมินรายตัวชี้วัด ปี ๒๕๖๖"]
    assert not any("ย้อนหลัง" in title for title in titles)
