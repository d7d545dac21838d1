"""The group notebook (notebooks/ita_group.ipynb) run on the SYNTHETIC 40-agency group: its parts come back
from the executed notebook, its status passes the contract, and the page (cards on a phone) and the Word
file show the counts and the agencies to follow up; on the synthetic question folder it shows the group's
weakest questions and the OIT items most often missing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from ita_helpers.batch.contract import GROUP_STATUS_SCHEMA, status_problem
from ita_helpers.core.resources import GROUP_NOTEBOOK
from ita_helpers.document.parts import STATUS_MIME, Chart, Heading, Paragraph, Table, Title
from ita_helpers.render.blocks import document_parts
from ita_helpers.render.exporters import ITADocxExporter, ITAHTMLExporter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GROUP = "กลุ่มสังเคราะห์ ก"
TITLE = "รายงานผลการประเมินคุณธรรมและความโปร่งใสของหน่วยงานในกลุ่มสังเคราะห์ ก ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
PASSING = "จำนวน ๓๐ หน่วยงาน ผ่านเกณฑ์ (คะแนนรวม ๘๕ คะแนนขึ้นไป) จำนวน ๑๖ หน่วยงาน คิดเป็นร้อยละ ๕๓.๓๓"
NEAR = "ได้แก่ หน่วยงานสังเคราะห์ ๐๓ หน่วยงานสังเคราะห์ ๐๗ และหน่วยงานสังเคราะห์ ๑๑"


@pytest.fixture(scope="module")
def group(executed_report):
    return executed_report("", 2567, data_dir=FIXTURES / "synthetic_group", notebook=GROUP_NOTEBOOK, group=GROUP)


def test_the_parts_and_the_status(group):
    parts = document_parts(group)
    assert [p.text for p in parts if isinstance(p, Title)] == [TITLE]
    assert [p.text for p in parts if isinstance(p, Heading) and p.level == 2] == [
        "๑. สรุปผลการประเมินของกลุ่ม", "๒. ผลการประเมินรายหน่วยงาน", "๓. หน่วยงานที่ควรติดตาม",
        "๔. ตัวชี้วัดและข้อคำถามที่เป็นจุดอ่อนของกลุ่ม"]
    assert any(PASSING in p.text for p in parts if isinstance(p, Paragraph))
    tables = {p.caption: p for p in parts if isinstance(p, Table)}
    assert len(tables["ผลการประเมินรายหน่วยงานในกลุ่มสังเคราะห์ ก"].rows) == 30
    charts = [p for p in parts if isinstance(p, Chart)]
    assert len(charts) == 1 and sum(row["agencies"] for row in charts[0].data) == 30
    statuses = [o["data"][STATUS_MIME] for c in group.cells for o in c.get("outputs", [])
                if STATUS_MIME in o.get("data", {})]
    assert status_problem(statuses, GROUP_STATUS_SCHEMA) is None
    assert statuses[0]["figures"] == {"agencies": 30, "passing": 16, "near_misses": 3, "tier_drops": 3,
                                      "floor_downgrades": 1}


def test_the_page_and_word_show_the_counts_and_names(group):
    page = ITAHTMLExporter().from_notebook_node(group)[0]
    assert PASSING in page and NEAR in page and "<table class='ita cards'>" in page
    assert "data-label='เครื่องมือที่ต่ำกว่าเกณฑ์ขั้นต่ำ'>IIT</td>" in page
    document = Document(io.BytesIO(ITADocxExporter().from_notebook_node(group)[0]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text and PASSING in text and NEAR in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "หน่วยงานสังเคราะห์ ๐๕" in cells and "ผ่านดีเยี่ยม (พ.ศ. ๒๕๖๖)" in cells


def test_the_weakest_questions_and_missed_items(executed_report):
    executed = executed_report("", 2566, data_dir=FIXTURES / "synthetic_questions", notebook=GROUP_NOTEBOOK)
    tables = {p.caption: p for p in document_parts(executed) if isinstance(p, Table)}
    asked = tables["ข้อคำถาม IIT และ EIT ที่คะแนนเฉลี่ยของกลุ่มต่ำที่สุด (ไม่เกิน ๑๐ ข้อ)"]
    assert asked.cards and asked.rows[0].cells[0].text == "i30" and len(asked.rows) == 10
    missed = tables["รายการ OIT ที่หน่วยงานในกลุ่มยังไม่ได้เผยแพร่มากที่สุด"]
    assert [r.cells[0].text for r in missed.rows] == ["O28", "O35"]


def test_the_compare_notebook_shows_the_weakest_questions_and_missed_items(tmp_path):
    from ita_helpers.batch.execute import execute
    from ita_helpers.core.resources import NOTEBOOKS

    out = tmp_path / "compare.ipynb"
    executed = execute(NOTEBOOKS / "compare.ipynb", out, {"fiscal_year": 2566, "agencies": [], "org": None,
                                                          "data_dir": str(FIXTURES / "synthetic_questions")}, tmp_path)
    html = " ".join(o.get("data", {}).get("text/html", "") for c in executed.cells for o in c.get("outputs", []))
    assert "ร้อยละของหน่วยงานที่ยังไม่เผยแพร่" in html and "ช่องทางแจ้งเรื่องร้องเรียน" in html
    assert ">i30</td>" in html and ">O28</td>" in html and ">O35</td>" in html
