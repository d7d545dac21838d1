"""The report notebook run on the SYNTHETIC question data (tests/fixtures/synthetic_questions): the weak
indicators' questions and the OIT items not published come back from the executed notebook as parts, show
in the page (as cards on a phone) and in Word; the BMA's report, without question data, has none of it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from conftest import BMA
from ita_helpers.document.parts import Chart, Heading, Table
from ita_helpers.document.question_sections import HEADING, MISSING_HEADING
from ita_helpers.render.blocks import document_parts
from ita_helpers.render.exporters import ITADocxExporter, ITAHTMLExporter

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic_questions"
MISSING = "หน่วยงานสังเคราะห์ทดสอบ ข"
BUDGET = "ตัวชี้วัดที่ ๒ การใช้งบประมาณ (๗๗.๘๓ คะแนน): ข้อคำถามที่ได้คะแนนต่ำกว่า ๘๕ เรียงจากคะแนนต่ำสุด"


@pytest.fixture(scope="module")
def synthetic(executed_report):
    return executed_report(MISSING, 2566, data_dir=FIXTURE)


def test_the_questions_and_missing_items_are_parts_of_the_document(synthetic):
    parts = document_parts(synthetic)
    headings = [p.text for p in parts if isinstance(p, Heading)]
    assert HEADING in headings and MISSING_HEADING in headings
    tables = {p.caption: p for p in parts if isinstance(p, Table)}
    budget = tables[BUDGET]
    assert budget.cards and [r.cells[0].text for r in budget.rows] == ["i8", "i9", "i11", "i10"]
    assert [r.cells[4].text for r in budget.rows] == ["๐.๑๙", "๐.๑๖", "๐.๐๖", "๐.๐๓"]
    missing = tables["รายการ OIT ที่ยังไม่ได้เผยแพร่ ๒ รายการ จำแนกตามตัวชี้วัดย่อย"]
    assert [r.cells[1].text for r in missing.rows] == ["O28", "O35", ""]
    charts = {p.title: p.data for p in parts if isinstance(p, Chart)}
    iit = charts["คะแนนรายข้อคำถาม IIT จำแนกตามตัวชี้วัด ปี ๒๕๖๖"]
    assert len(iit) == 30 and [row["indicator"] for row in iit[::6]] == [1, 2, 3, 4, 5]


def test_they_show_in_the_page_as_cards_and_in_word(synthetic):
    page = ITAHTMLExporter().from_notebook_node(synthetic)[0]
    assert f"<caption>{BUDGET}</caption>" in page and "<table class='ita cards'>" in page
    assert "data-label='ข้อคำถาม'>—</td>" in page
    document = Document(io.BytesIO(ITADocxExporter().from_notebook_node(synthetic)[0]))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "O28" in cells and "ช่องทางแจ้งเรื่องร้องเรียน*" in cells and "i8" in cells


def test_without_question_data_the_report_has_no_such_section(executed_report):
    parts = document_parts(executed_report(BMA, 2566))
    texts = [getattr(p, "text", getattr(p, "caption", "")) for p in parts]
    assert HEADING not in texts and MISSING_HEADING not in texts
    assert not any(str(t).startswith("คะแนนรายข้อคำถาม") for t in [getattr(p, "title", "") for p in parts])
