"""The notebook is the document's author: a cell an analyst adds shows in every format, read back from the
executed notebook as parts (blocks.document_parts)."""

from __future__ import annotations

import io
import subprocess

import nbformat
import pytest
from docx import Document

from conftest import BMA
from ita_helpers.core.resources import REPORT_NOTEBOOK
from ita_helpers.document.parts import (
    Chart,
    Contents,
    Heading,
    Item,
    NumberedList,
    Paragraph,
    Table,
    Title,
    from_json,
)
from ita_helpers.render.blocks import document_parts, markdown_anchor, markdown_parts
from ita_helpers.render.exporters import ITADocxExporter, ITAHTMLExporter, ITAPDFExporter
from ita_helpers.render.pdf import find_chromium

PROSE = "คณะทำงานได้ประชุมพิจารณาผลการประเมินร่วมกันเมื่อวันที่ ๑๕ มกราคม พ.ศ. ๒๕๖๗ และเห็นชอบมาตรการตามตารางนี้"
SHOWN = "ข้อความที่เซลล์โค้ดแสดงเป็นส่วนหนึ่งของเอกสาร"
ADDED_HEADING = "๕. แนวทางการติดตามผล"


def test_every_kind_of_part_comes_back_from_its_json():
    from ita_helpers.document.parts import KINDS

    assert set(KINDS) == {"title", "contents", "heading", "paragraph", "notice", "list", "table", "actions", "chart",
                          "signature"}
    table = markdown_parts("| ตัวชี้วัด | คะแนน |\n|---|--:|\n| ๑ | ๙๒.๒๗ |")[0]
    for part in (Title("มาตรการ", "หน่วยงาน"), Heading("๑. ความเป็นมา", 2, "part-1"), Paragraph(PROSE), table,
                 NumberedList([Item("๑.", "ข้อจำกัด")])):
        assert from_json(part.to_json()) == part
    chart = Chart("แผนภูมิ", [{"year": 2566, "total": 88.98}], svg="<svg/>", png="iVBO")
    bundle = chart._repr_mimebundle_()[0]
    assert from_json(bundle["application/vnd.ita.part+json"], bundle) == Chart("แผนภูมิ", chart.data, png="iVBO")


def test_markdown_an_analyst_writes_becomes_parts():
    found = markdown_parts(f"## {ADDED_HEADING}\n\n{PROSE}\nต่อบรรทัด\n\n1. หนึ่ง\n2. สอง\n\n- ก\n\n"
                           "| ประเด็น | คะแนน |\n|---|--:|\n| ก | 1 |", "thai")
    assert found[0] == Heading(ADDED_HEADING, 2, markdown_anchor(ADDED_HEADING))
    assert found[1] == Paragraph(PROSE + " ต่อบรรทัด")
    assert found[2] == NumberedList([Item("๑.", "หนึ่ง"), Item("๒.", "สอง")])
    assert found[3] == NumberedList([Item("•", "ก")])
    assert isinstance(found[4], Table) and [c.numeric for c in found[4].columns] == [False, True]
    assert [cell.text for cell in found[4].rows[0].cells] == ["ก", "1"]


@pytest.fixture(scope="module")
def edited(tmp_path_factory, executed_report):
    """The report notebook with a markdown cell of Thai prose and a heading added before part 4, and a code
    cell that displays a paragraph after it, executed."""
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    part4 = next(i for i, cell in enumerate(notebook.cells) if "๔. วิเคราะห์ข้อจำกัด" in cell.source)
    notebook.cells[part4:part4] = [
        nbformat.v4.new_markdown_cell(f"## {ADDED_HEADING}\n\n{PROSE}"),
        nbformat.v4.new_code_cell(f"display(sections.paragraph({SHOWN!r}))"),
    ]
    path = tmp_path_factory.mktemp("edited") / "ita_report.ipynb"
    nbformat.write(notebook, path)
    return executed_report(BMA, 2566, notebook=path)


def test_the_added_cells_are_parts_in_their_place_and_in_the_contents(edited):
    parts = document_parts(edited)
    texts = [getattr(part, "text", "") for part in parts]
    added = texts.index(ADDED_HEADING)
    assert texts[added + 1:added + 3] == [PROSE, SHOWN]
    assert texts[added + 3].startswith("๔. วิเคราะห์ข้อจำกัด")
    contents = next(part for part in parts if isinstance(part, Contents))
    assert [entry.anchor for entry in contents.entries] == ["part-1", "part-2", "part-3",
                                                            markdown_anchor(ADDED_HEADING), "part-4"]


def test_each_chart_part_carries_the_data_it_draws(edited):
    charts = {part.title: part.data for part in document_parts(edited) if isinstance(part, Chart)}
    history = charts["ผลการประเมิน ITA ของกรุงเทพมหานคร ปี ๒๕๖๒-๒๕๖๖"]
    assert [row["fiscal_year"] for row in history] == [2562, 2563, 2564, 2565, 2566]
    assert history[2] == {"fiscal_year": 2564, "total": None, "national_average": 81.25}  # a gap, not a guess
    assert history[4]["total"] == 88.98
    indicators = charts["ผลการประเมินรายตัวชี้วัด ปี ๒๕๖๖"]
    assert len(indicators) == 10 and indicators[0] == {"number": 1, "name_th": "การปฏิบัติหน้าที่", "tool": "IIT",
                                                       "score": 92.27}
    tools = charts["ผลการประเมินรายเครื่องมือ ปี ๒๕๖๖"]  # the values drawn, shown to the hundredth
    assert [(row["tool"], round(row["score"], 2)) for row in tools] == [("IIT", 82.44), ("EIT", 80.82), ("OIT", 100.0)]


def test_the_added_cells_show_in_html_and_word(edited):
    page = ITAHTMLExporter().from_notebook_node(edited)[0]
    anchor = markdown_anchor(ADDED_HEADING)
    assert PROSE in page and SHOWN in page and f"<a href='#{anchor}'>{ADDED_HEADING}</a>" in page
    assert f'<h2 id="{anchor}">' in page  # the contents link to the heading nbconvert made of the markdown
    assert page.index(PROSE) < page.index(SHOWN) < page.index("๔. วิเคราะห์ข้อจำกัด", page.index(SHOWN) - 5000)
    document = Document(io.BytesIO(ITADocxExporter().from_notebook_node(edited)[0]))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    at = paragraphs.index(("Heading 1", ADDED_HEADING))
    assert paragraphs[at + 1:at + 3] == [("ITA Body", PROSE), ("ITA Body", SHOWN)]
    assert ("ITA Contents", ADDED_HEADING) in paragraphs


@pytest.mark.slow  # prints with Chromium
def test_the_added_cells_show_in_the_pdf_text(edited, tmp_path):
    if not find_chromium():
        pytest.skip("no Chromium-family browser")
    exporter = ITAPDFExporter()
    exporter.engine = "chromium"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(exporter.from_notebook_node(edited)[0])
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                   .stdout.split())  # Thai lines break between words that no space separates

    def bare(words: str) -> str:
        return "".join(words.split())

    assert bare(PROSE) in text and bare(SHOWN) in text and bare(ADDED_HEADING) in text


def test_a_notebook_run_in_jupyterlab_keeps_the_digits_its_parameters_cell_sets():
    """No papermill record: Word reads `digits` from the parameters cell (lists and page numbers)."""
    from docx.oxml.ns import qn

    parameters = nbformat.v4.new_code_cell('digits: str = "arabic"  # ตัวเลขในเนื้อความ')
    parameters.metadata["tags"] = ["parameters"]
    notebook = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_markdown_cell("1. หนึ่ง\n2. สอง")])
    document = Document(io.BytesIO(ITADocxExporter().from_notebook_node(notebook)[0]))
    assert [p.text for p in document.paragraphs if p.style.name == "ITA List"] == ["1.\tหนึ่ง", "2.\tสอง"]
    assert document.element.body.sectPr.find(qn("w:pgNumType")) is None  # Arabic page numbers too
    parameters.source = 'digits: str = "thai"'
    document = Document(io.BytesIO(ITADocxExporter().from_notebook_node(notebook)[0]))
    assert [p.text for p in document.paragraphs if p.style.name == "ITA List"] == ["๑.\tหนึ่ง", "๒.\tสอง"]
