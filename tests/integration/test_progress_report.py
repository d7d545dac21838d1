"""The implementation report as an agency makes it: from the BMA's bundled measures, `ita template progress`
writes the workbook, the test fills it as an agency would (SYNTHETIC statuses, results and links), and
`ita report --document progress` renders it in HTML, PDF and Word beside the measures report: every step
present, the counts right, the evidence links clickable, both documents in one row of the index, both
resumed; and the page reads on a phone (slow: kernels, a browser, LibreOffice-free Word text)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import EXECUTIVE, bma_progress_folder, evidence_link, fill_progress, visible_text

from conftest import BMA, require
from ita_helpers.cli.main import main
from ita_helpers.inputs.dataset import DataFolder
from ita_helpers.inputs.measures import load_measures
from ita_helpers.render.pdf import find_chromium

TITLE = ("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ของสำนักงานเลขาธิการสภากรุงเทพมหานคร "
         "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ รอบ ๖ เดือน")
COUNTS = ("จากขั้นตอนทั้งหมด ๑๘ ขั้นตอน ดำเนินการแล้ว ๕ ขั้นตอน (ร้อยละ ๒๗.๘) อยู่ระหว่างดำเนินการ ๕ ขั้นตอน "
          "(ร้อยละ ๒๗.๘) ยังไม่ดำเนินการ ๔ ขั้นตอน (ร้อยละ ๒๒.๒) ยังไม่รายงาน ๔ ขั้นตอน (ร้อยละ ๒๒.๒)")
LINKS = [evidence_link(n) for n in (1, 5, 9, 13, 17)]


def squeezed(text: str) -> str:
    """Text without any white space: a PDF breaks Thai lines where the page does, not where we wrote."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    """The data folder and the output folder after template -> fill -> both reports."""
    root = tmp_path_factory.mktemp("progress")
    data, out = bma_progress_folder(root), root / "out"
    assert main(["template", "progress", "--org", BMA, "--year", "2566", "--data", str(data)]) == 0
    (form,) = (data / "progress").glob("*.xlsx")
    fill_progress(form)
    common = ["--org", BMA, "--year", "2566", "--data", str(data), "--out", str(out)]
    assert main(["report", *common, "--formats", "html"]) == 0
    assert main(["report", "--document", "progress", *common, "--formats", "html,pdf,docx"]) == 0
    return data, out


@pytest.fixture(scope="module")
def steps(made) -> list[str]:
    plan = load_measures(made[0] / "measures/bma_council_secretariat_2566.yaml", DataFolder(made[0]).methodology)
    return [step for issue in plan.issues for step in issue.steps]


def test_the_page_has_every_step_the_counts_and_live_links(made, steps):
    page = (made[1] / "2566" / BMA / "progress.html").read_text(encoding="utf-8")
    text = visible_text(page)
    assert TITLE in text and COUNTS in text and len(steps) == 18
    assert all(" ".join(step.split()) in text for step in steps)
    assert page.count("<td>ยังไม่รายงาน</td>") == 1  # the counts table
    assert page.count("<td data-label='สถานะ'>ยังไม่รายงาน</td>") == 4  # the four steps, cards on a phone
    assert re.findall(r"<a href='(https://[^']+)'>", page) == LINKS
    assert f"({EXECUTIVE[0]})" in text and "๑๕ เมษายน ๒๕๖๘" in text
    assert "ปัญหาของขั้นที่ ๒" not in text and "ปัญหาของขั้นที่ 2 (ขั้นตอน: แจ้งเวียนให้เจ้าหน้าที่" in text


def test_the_pdf_has_every_step_the_counts_and_clickable_links(made, steps):
    pdf = made[1] / "2566" / BMA / "progress.pdf"
    text = subprocess.run([require(shutil.which("pdftotext"), "pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = squeezed(text)
    assert squeezed(TITLE) in flat and squeezed(COUNTS) in flat
    assert all(squeezed(step) in flat for step in steps)
    urls = subprocess.run([require(shutil.which("pdfinfo"), "pdfinfo"), "-url", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    assert list(dict.fromkeys(re.findall(r"https://\S+", urls))) == LINKS  # a link over two lines: two boxes


def test_the_word_file_has_every_step_the_counts_and_hyperlinks(made, steps):
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(str(made[1] / "2566" / BMA / "progress.docx"))
    texts = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert TITLE in texts and COUNTS in texts
    flat = squeezed(" ".join(texts + cells))
    assert all(squeezed(step) in flat for step in steps)
    assert cells.count("ยังไม่รายงาน") == 1 + 4  # the counts table and four steps
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]
    assert targets == LINKS and "หลักฐานขั้นที่ 5" in cells


def test_the_index_and_manifest_hold_both_documents_together_and_resume_both(made, capsys):
    data, out = made
    page = (out / "index.html").read_text(encoding="utf-8")
    rows = [row for row in re.findall(r"<tr>.*?</tr>", page) if BMA in row]
    assert len(rows) == 1  # one agency-year, one row
    links = re.findall(r"href='([^']+)'", rows[0])
    assert [Path(link).name for link in links] == ["report.html", "report.ipynb", "progress.html", "progress.pdf",
                                                  "progress.docx", "progress.ipynb"]
    assert "รายงานผลการดำเนินการ" in rows[0] and "ยังไม่รายงาน&#32;4" in rows[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == [f"2566/{BMA}", f"2566/{BMA}#progress"]
    assert manifest["reports"][f"2566/{BMA}#progress"]["figures"] == {
        "round": 6, "steps": 18, "done": 5, "in_progress": 5, "not_started": 4, "not_reported": 4}
    capsys.readouterr()
    common = ["--org", BMA, "--year", "2566", "--data", str(data), "--out", str(out)]
    assert main(["report", *common, "--formats", "html"]) == 0
    assert main(["report", "--document", "progress", *common, "--formats", "html,pdf,docx"]) == 0
    assert capsys.readouterr().out.count("0 rendered (0 with warnings), 0 failed, 1 up to date") == 2


def test_the_page_reads_on_a_phone(made):
    browser = require(find_chromium(), "a Chromium-family browser")
    from playwright.sync_api import sync_playwright

    from ita_helpers.render.pdf import CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        page = chromium.new_context(offline=True, viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True, device_scale_factor=3).new_page()
        page.goto((made[1] / "2566" / BMA / "progress.html").as_uri(), wait_until="load")
        seen = page.evaluate("""async () => { await document.fonts.ready;
            return {scroll: document.documentElement.scrollWidth,
                    charts: [...document.querySelectorAll('.ita-chart svg')].map(
                        svg => svg.getBoundingClientRect().width / svg.parentElement.clientWidth),
                    scrolling: [...document.querySelectorAll('.ita-scroll')].length,
                    cards: [...document.querySelectorAll('table.cards tbody tr')].map(
                        r => [r.getBoundingClientRect().width, r.getBoundingClientRect().height])}; }""")
        chromium.close()
    assert seen["scroll"] == 390  # no sideways scroll of the page
    assert seen["charts"] == [pytest.approx(1, abs=0.01)]
    assert seen["scrolling"] == 1  # the counts table scrolls within itself, if it must
    assert len(seen["cards"]) == 18  # each step a card as wide as the text, shorter than the screen
    assert all(width <= 390 and height < 844 for width, height in seen["cards"])


def test_the_preview_shows_the_implementation_report(made, tmp_path, monkeypatch):
    """`ita preview --document progress`: the page served is the implementation report with its counts; a
    folder without the progress file gets a page that says, in Thai, how to make it."""
    from ita_helpers.cli.preview import Preview

    monkeypatch.setenv("ITA_LANG", "th")
    logged: list[str] = []
    without = shutil.copytree(made[0], tmp_path / "data", ignore=shutil.ignore_patterns("progress"))
    previews = [Preview(made[0], BMA, 2566, document="progress", log=logged.append),
                Preview(without, BMA, 2566, document="progress", log=logged.append)]
    try:
        (page, ok), (refusal, refused_ok) = (preview.make() for preview in previews)
        assert ok and squeezed(COUNTS) in squeezed(visible_text(page.decode()))
        assert not refused_ok
        assert ('ไม่พบแบบรายงานผลการดำเนินการของกรุงเทพมหานคร ผลการประเมินปี 2566 ให้สร้างด้วยคำสั่ง '
                'ita template progress --org "กรุงเทพมหานคร" --year 2566') in visible_text(refusal.decode())
    finally:
        for preview in previews:
            preview.close()
