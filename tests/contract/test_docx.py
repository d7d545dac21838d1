"""The report as a Word document: read back with python-docx, its text, tables, images, font and page."""

from __future__ import annotations

import ast
import base64
import html
import io
import json
import re
import shutil
import subprocess
import uuid

import nbformat
import pytest
import yaml
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from support import FIRST_YEAR, FIXTURES, RISING

from conftest import BMA, REPO_ROOT, require
from ita_helpers.analysis.report import build_report
from ita_helpers.batch.jobs import DEFAULT_FORMATS, FORMATS, Job
from ita_helpers.cli.main import main
from ita_helpers.core import thai
from ita_helpers.core.fonts import FACES, FAMILY, font_path
from ita_helpers.document import sections
from ita_helpers.document.parts import PART_MIME
from ita_helpers.render import docx as docx_report
from ita_helpers.render.exporters import ITADocxExporter

UNIT = "สำนักงานเลขาธิการสภากรุงเทพมหานคร"
MEASURES = REPO_ROOT / "data" / "measures" / "bma_council_secretariat_2566.yaml"
SEED_SENTENCE = ("มีผลคะแนนอยู่ที่ ๘๘.๙๘ คะแนน อยู่ในระดับ “ผ่าน” และเมื่อเปรียบเทียบกับปีงบประมาณ พ.ศ. ๒๕๖๕ "
                 "พบว่ามีคะแนนลดลงจำนวน ๑.๐๓ คะแนน")
PARTS = [
    f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{UNIT}",
    "๑. ความเป็นมา",
    f"๒. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{BMA} ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
    f"๓. การนำผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{BMA} ในปีงบประมาณ พ.ศ. ๒๕๖๖ "
    f"แต่ละประเด็นไปสู่การปฏิบัติของ{UNIT}",
    f"๔. วิเคราะห์ข้อจำกัดของ{UNIT}ในการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน",
]


def reopen(data: bytes):
    return Document(io.BytesIO(data))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def blocks(document) -> list[tuple[str, object]]:
    """The body in order: (style name, paragraph) or ("table", table)."""
    return [("table", b) if isinstance(b, Table) else (b.style.name, b) for b in document.iter_inner_content()]


def html_cells(fragment: str) -> list[str]:
    """The cells of a table's HTML, as text."""
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment, flags=re.DOTALL)
    return [squeeze(html.unescape(re.sub(r"<[^>]+>", " ", cell))) for cell in cells]


def docx_cells(table) -> list[str]:
    return [squeeze(cell.text) for row in table.rows for cell in row.cells]


def word(notebook) -> bytes:
    return ITADocxExporter().from_notebook_node(notebook, resources={"ita_inputs": {"scores/bma.csv": "0" * 64}})[0]


def shown_html(notebook, kind: str) -> list[str]:
    """The HTML the notebook shows for each part of `kind`."""
    return [o["data"]["text/html"] for c in notebook.cells for o in c.get("outputs", [])
            if o.get("data", {}).get(PART_MIME, {}).get("kind") == kind]


@pytest.fixture(scope="module")
def bma_notebook(executed_report):
    return executed_report(BMA, 2566)


@pytest.fixture(scope="module")
def bma_docx(bma_notebook) -> bytes:
    return word(bma_notebook)


@pytest.fixture(scope="module")
def document(bma_docx):
    return reopen(bma_docx)


def test_the_seed_sentence_and_the_weak_indicators(document):
    text = paragraphs(document)
    assert any(SEED_SENTENCE in p for p in text)
    weak = next(p for p in text if p.startswith("จากตารางแสดงผลการประเมินรายตัวชี้วัด"))
    assert "มี ๖ ตัวชี้วัดที่ได้คะแนนต่ำกว่า ๘๕ คะแนน" in weak and weak.endswith("และการใช้งบประมาณ (๗๗.๘๓ คะแนน)")


def test_the_five_parts_in_order_and_a_place_to_sign(document):
    shown = [(style, block.text) for style, block in blocks(document) if style in ("Title", "Heading 1")]
    assert shown == [("Title", PARTS[0])] + [("Heading 1", heading) for heading in PARTS[1:]]
    assert [p.text for p in document.paragraphs if p.style.name == "ITA Contents"] == PARTS[1:]
    order = [style for style, _block in blocks(document)]
    tables = [position for position, style in enumerate(order) if style == "table"]
    parts = [position for position, style in enumerate(order) if style == "Heading 1"]
    assert parts[1] < tables[0] < tables[1] < parts[2] < tables[2] < parts[3]  # two in part 2, one in part 3
    assert order[-8:] == ["ITA List", "ITA List"] + ["ITA Signature"] * 4 + ["ITA Colophon"] * 2  # constraints, sign
    assert [p.text for p in document.paragraphs if p.style.name == "ITA List"][0].startswith("๑.\t" + UNIT)
    signature = [p.text for p in document.paragraphs if p.style.name == "ITA Signature"]
    assert [line.split(" ")[0] for line in signature] == ["ลงชื่อ", "(........................................)",
                                                          "ตำแหน่ง", "วันที่"]


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_part_headings_read_as_the_notebook_writes_them(digits):
    """The notebook's headings are f-strings in its cells: evaluate them for the same report."""
    bma = build_report(BMA, 2566)
    notebook = nbformat.read(REPO_ROOT / "notebooks" / "ita_report.ipynb", as_version=4)
    written = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "heading"
                        and len(node.args) == 1):  # the parts' h2 (the charts' h3 pass a level)
                    written.append(eval(compile(ast.Expression(node.args[0]), "<notebook>", "eval"),
                                        {"report": bma}))
    assert [thai.digits(title, digits) for title in written] == sections.part_headings(bma, digits)


def test_tables_hold_what_the_html_tables_hold(document, bma_notebook):
    indicator, headroom, actions = document.tables
    tables = shown_html(bma_notebook, "table")
    assert docx_cells(indicator) == html_cells(tables[0])
    assert docx_cells(headroom) == html_cells(tables[1])
    assert docx_cells(actions) == html_cells(shown_html(bma_notebook, "actions")[0])
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [re.search("<caption>(.*?)</caption>", f).group(1) for f in tables]
    assert docx_cells(indicator)[4:8] == ["๑", "การปฏิบัติหน้าที่", "IIT", "๙๒.๒๗"]  # official names, Thai digits


def test_the_footer_says_who_made_it_when_and_from_which_of_the_agencys_files(document):
    footer = [p.text for p in document.paragraphs if p.style.name == "ITA Colophon"]
    assert re.fullmatch(f"จัดทำโดย {UNIT} เมื่อวันที่ [๐-๙]+ [ก-๙]+ พ\\.ศ\\. [๐-๙]{{4}}", footer[0])
    assert footer[1:] == ["จากไฟล์ข้อมูลของหน่วยงาน ได้แก่ ไฟล์คะแนนรายตัวชี้วัด “bma.csv”"]
    assert document.paragraphs[-1].text == footer[-1]  # the document's last lines


def test_weak_indicators_are_shaded(document):
    indicator = document.tables[0]
    shaded = []
    for row in indicator.rows[1:11]:
        fills = {cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) if cell._tc.tcPr.find(qn("w:shd")) is not None
                 else None for cell in row.cells}
        assert len(fills) == 1
        shaded.append(fills.pop() == docx_report.WEAK_FILL)
    assert shaded == [score < 85 for score in build_report(BMA, 2566).indicators["score"]]
    heading = indicator.rows[0]._tr.trPr
    assert heading.find(qn("w:tblHeader")) is not None  # repeated on each page


def test_the_action_table_is_the_measures_file(document):
    plan = yaml.safe_load(MEASURES.read_text(encoding="utf-8"))
    actions = document.tables[2]
    assert [squeeze(c.text) for c in actions.rows[0].cells] == list(sections.ACTION_COLUMNS)
    assert len(actions.rows) == 1 + len(plan["issues"])
    first = plan["issues"][0]
    issue, measures, responsible, steps = actions.rows[1].cells
    assert issue.paragraphs[0].text == "๑.\t" + first["title"]
    assert issue.paragraphs[1].text == "(ตัวชี้วัดที่ ๑, ๖, ๘)"
    assert [p.text for p in measures.paragraphs] == [f"{thai.digits(n)}.\t{m}" for n, m in
                                                     enumerate(first["measures"], start=1)]
    assert responsible.text == first["responsible"]
    assert [p.text for p in steps.paragraphs] == [f"{thai.digits(n)}.\t{s}" for n, s in
                                                  enumerate(first["steps"], start=1)]


def test_six_charts_as_the_notebook_drew_them_with_their_titles_once(document, bma_notebook):
    shapes = document.inline_shapes
    assert len(shapes) == 6
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert titles[0] == "ผลการประเมิน ITA ของกรุงเทพมหานคร ปี ๒๕๖๒-๒๕๖๖" and len(titles) == 6
    for shape, title in zip(shapes, titles):
        assert shape._inline.docPr.get("descr") == title  # the chart's title, in the document's digits
        assert abs(shape.width - docx_report.TEXT_WIDTH) < Cm(0.01)
    embedded = [document.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
                for s in shapes]
    drawn = [base64.b64decode(o["data"]["image/png"]) for c in bma_notebook.cells for o in c.get("outputs", [])
             if "image/png" in o.get("data", {})]
    assert embedded == drawn and all(png.startswith(b"\x89PNG") for png in drawn)


def test_sarabun_for_thai_in_the_normal_style(document):
    normal = document.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == FAMILY == "Sarabun" and fonts.get(qn("w:ascii")) == FAMILY
    assert normal.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == normal.find(qn("w:sz")).get(qn("w:val"))
    styles = document.styles.element
    assert not [f for f in styles.iter(qn("w:rFonts")) if f.get(qn("w:cstheme")) or f.get(qn("w:asciiTheme"))]
    heading = document.styles["Heading 1"].element.rPr
    assert heading.find(qn("w:bCs")) is not None  # Thai is bold through bCs


def test_the_sarabun_faces_are_embedded_as_word_embeds_them(document):
    table = document.part.part_related_by(RT.FONT_TABLE)
    entry = next(f for f in parse_xml(table.blob).findall(qn("w:font")) if f.get(qn("w:name")) == FAMILY)
    assert document.settings.element.find(qn("w:embedTrueTypeFonts")) is not None
    for stem, tag in docx_report.EMBED.items():
        embed = entry.find(qn(tag))
        key = uuid.UUID(embed.get(qn("w:fontKey")).strip("{}")).bytes[::-1]
        data = bytearray(table.related_parts[embed.get(qn("r:id"))].blob)
        for position in range(32):
            data[position] ^= key[position % 16]
        assert bytes(data) == font_path(stem).read_bytes()
    assert set(docx_report.EMBED) == set(FACES)


def test_a4_with_official_margins(document):
    section = document.sections[0]
    size = document.element.body.sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4 in twips, as Word writes it
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.left_margin - Cm(2.5)) < Cm(0.01)
    assert all(abs(margin - Cm(2)) < Cm(0.01) for margin in (section.right_margin, section.top_margin,
                                                              section.bottom_margin))
    footer = section.footer.paragraphs[0]._p
    assert footer.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
    sect_pr = document.element.body.sectPr
    assert sect_pr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "thaiNumbers"


def test_properties_record_what_the_report_was_made_from(document):
    properties = document.core_properties
    assert properties.title == PARTS[0] and properties.author == UNIT and properties.language == "th-TH"
    custom = document.part.package.part_related_by(RT.CUSTOM_PROPERTIES)
    values = {p.get("name"): p[0].text for p in parse_xml(custom.blob)}
    assert values["parameter org"] == BMA and values["parameter fiscal_year"] == "2566"
    assert values["sha256 bma.csv"] == "0" * 64  # the file as the agency names it and "ita-helpers" in values
    assert not [rel for rel in document.part.package.rels.values() if rel.reltype == RT.THUMBNAIL]


def test_arabic_digits(executed_report):
    arabic = reopen(word(executed_report(BMA, 2566, digits="arabic")))
    text = paragraphs(arabic)
    assert any("มีผลคะแนนอยู่ที่ 88.98 คะแนน" in p for p in text)
    assert "1. ความเป็นมา" in text and "88.98" in docx_cells(arabic.tables[0])
    assert arabic.element.body.sectPr.find(qn("w:pgNumType")) is None
    assert not re.search("[๐-๙]", " ".join(docx_cells(arabic.tables[0])))


def test_no_measures_and_no_constraints_are_said_as_the_html_says_them(executed_report):
    notebook = executed_report(FIRST_YEAR, 2566, FIXTURES)
    document = reopen(word(notebook))
    flags = [p.text for p in document.paragraphs if p.style.name == "ITA Flag"]
    assert flags == [html.unescape(re.sub("<[^>]+>", "", f)) for f in shown_html(notebook, "notice")]
    assert flags[-1] == "ยังไม่มีข้อมูลมาตรการของหน่วยงานสำหรับผลการประเมินปีนี้ในโฟลเดอร์ข้อมูล"
    assert len(document.tables) == 2
    body = [p.text for p in document.paragraphs if p.style.name not in ("ITA Signature", "ITA Colophon")]
    assert body[-1] == "ไม่มีข้อมูลข้อจำกัดของหน่วยงานในโฟลเดอร์ข้อมูล"


def test_notices_and_markup_in_measures_stay_text(executed_report):
    presumed = reopen(word(executed_report(RISING, 2565, FIXTURES)))
    notices = [p.text for p in presumed.paragraphs if p.style.name == "ITA Notice"]
    assert len(notices) == 1 and notices[0].startswith("น้ำหนักของเครื่องมือในปีงบประมาณ พ.ศ. ๒๕๖๕ เป็นค่าที่สันนิษฐาน")
    marked = reopen(word(executed_report(RISING, 2566, FIXTURES)))
    cells = docx_cells(marked.tables[2])
    assert "๑. <b>ประเด็นทดสอบ</b> (ตัวชี้วัดที่ ๖)" in cells
    assert any("<script>alert(1)</script> มาตรการทดสอบ" in cell for cell in cells)
    assert [p.text for p in marked.paragraphs if p.style.name == "ITA Flag"][0].startswith("ข้อสังเกต:")


def test_docx_is_a_format_but_not_a_default():
    assert "docx" in FORMATS and DEFAULT_FORMATS == ("html", "pdf")
    assert Job(BMA, 2566, {}, ()).formats == DEFAULT_FORMATS


@pytest.mark.slow  # renders a report in a kernel
def test_ita_report_publishes_the_docx_next_to_the_html(tmp_path):
    out = tmp_path / "out"
    assert main(["report", "--org", BMA, "--year", "2566", "--formats", "html,docx", "--out", str(out)]) == 0
    folder = out / "2566" / BMA
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx", "report.html", "report.ipynb"]
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][f"2566/{BMA}"]
    assert entry["outputs"]["docx"] == f"2566/{BMA}/report.docx" and entry["status"] == "ok"
    assert entry["files"]["docx"]["size"] == (folder / "report.docx").stat().st_size
    document = Document(str(folder / "report.docx"))
    assert any(SEED_SENTENCE in p for p in paragraphs(document))
    # Word has the charts as the PNG the notebook drew beside their SVG, because docx was asked for
    notebook = nbformat.read(folder / "report.ipynb", as_version=4)
    drawn = [base64.b64decode(o["data"]["image/png"]) for c in notebook.cells for o in c.get("outputs", [])
             if "image/png" in o.get("data", {})]
    embedded = [document.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
                for s in document.inline_shapes]
    assert len(drawn) == 6 and embedded == drawn
    assert "DOCX" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow  # starts LibreOffice
def test_libreoffice_converts_it_to_pdf(tmp_path, bma_docx):
    office = require(shutil.which("soffice") or shutil.which("libreoffice"), "LibreOffice (soffice)")
    (tmp_path / "report.docx").write_bytes(bma_docx)
    done = subprocess.run([office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "report.docx")],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), done.stderr
    if shutil.which("pdffonts") and shutil.which("pdftotext"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "Sarabun-Regular" in fonts and "Sarabun-Bold" in fonts  # the embedded faces, on any machine
        text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
        assert "๘๘.๙๘ คะแนน" in text and "๑. ความเป็นมา" in text
