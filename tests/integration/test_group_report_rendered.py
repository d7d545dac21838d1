"""The group report as a central analyst makes it: `ita report --document group --group NAME --year Y` on
the SYNTHETIC 40-agency folder (tests/fixtures/make_synthetic_group.py) renders HTML, PDF and Word with the
pass count, the near misses, the falls and the tool-floor downgrade; the index and the manifest list it;
a second run is up to date (slow: a kernel, a PDF engine)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from support import visible_text

from conftest import require
from ita_helpers.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic_group"
GROUP = "กลุ่มสังเคราะห์ ก"
TITLE = "รายงานผลการประเมินคุณธรรมและความโปร่งใสของหน่วยงานในกลุ่มสังเคราะห์ ก ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
PASSING = "จำนวน ๓๐ หน่วยงาน ผ่านเกณฑ์ (คะแนนรวม ๘๕ คะแนนขึ้นไป) จำนวน ๑๖ หน่วยงาน คิดเป็นร้อยละ ๕๓.๓๓"
FOLLOW_UP = ("มีหน่วยงานที่คะแนนรวมต่ำกว่าเกณฑ์ไม่เกิน ๒ คะแนน ๓ หน่วยงาน ระดับผลลดลงจากปีก่อน ๓ หน่วยงาน "
             "และถูกปรับลดระดับผลเนื่องจากคะแนนเครื่องมือต่ำกว่าเกณฑ์ขั้นต่ำของระดับ ๑ หน่วยงาน")
NEAR = "ได้แก่ หน่วยงานสังเคราะห์ ๐๓ หน่วยงานสังเคราะห์ ๐๗ และหน่วยงานสังเคราะห์ ๑๑"
FELL = "ได้แก่ หน่วยงานสังเคราะห์ ๐๕ หน่วยงานสังเคราะห์ ๐๙ และหน่วยงานสังเคราะห์ ๑๓"


def squeezed(text: str) -> str:
    """Text without any white space: a PDF breaks Thai lines where the page does, not where we wrote."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("group") / "out"
    started = time.perf_counter()
    assert main(["report", "--document", "group", "--group", GROUP, "--year", "2567", "--data", str(DATA),
                 "--out", str(out), "--formats", "html,pdf,docx"]) == 0
    print(f"\ngroup report of 30 of 40 agencies, html+pdf+docx: {time.perf_counter() - started:.1f} s")
    return out


def test_the_page_and_the_pdf_tell_the_counts_and_names(out):
    folder = out / "2567" / GROUP
    text = visible_text((folder / "group.html").read_text(encoding="utf-8"))
    assert TITLE in text and PASSING in text and FOLLOW_UP in text and NEAR in text and FELL in text
    pdf = subprocess.run([require(shutil.which("pdftotext"), "pdftotext"), str(folder / "group.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    flat = squeezed(pdf)
    assert all(squeezed(s) in flat for s in (TITLE, PASSING, FOLLOW_UP, NEAR, FELL))


def test_the_word_file_tells_the_counts_and_names(out):
    import docx

    document = docx.Document(str(out / "2567" / GROUP / "group.docx"))
    texts = " ".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert TITLE in texts and PASSING in texts and NEAR in texts
    assert cells.count("หน่วยงานสังเคราะห์ ๐๕") == 3  # the ranking, the falls and the downgrades


def test_the_index_and_manifest_list_it_and_a_rerun_is_up_to_date(out, capsys):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"][f"2567/{GROUP}#group"]
    assert entry["figures"] == {"agencies": 30, "passing": 16, "near_misses": 3, "tier_drops": 3,
                                "floor_downgrades": 1}
    page = (out / "index.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if GROUP in visible_text(r))
    assert "group.html" in row and "ผ่านเกณฑ์ 16 จาก 30 หน่วยงาน, ใกล้เกณฑ์ 3, ระดับลดลง 3" in visible_text(row)
    capsys.readouterr()
    assert main(["report", "--document", "group", "--group", GROUP, "--year", "2567", "--data", str(DATA),
                 "--out", str(out), "--formats", "html,pdf,docx"]) == 0
    assert "0 rendered (0 with warnings), 0 failed, 1 up to date" in capsys.readouterr().out
