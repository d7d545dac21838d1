"""nbconvert exporters (`ita_html`, `ita_pdf`): JupyterLab's export menu and `jupyter nbconvert --to` give the
document `ita report` writes, from a notebook they never run."""

from __future__ import annotations

import html
import importlib
import importlib.metadata
import logging
import os
import re
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import Exporter, get_export_names, get_exporter

from conftest import BMA, REPO_ROOT, require
from ita_helpers.core.errors import EngineUnavailable
from ita_helpers.core.thai import BANGKOK
from ita_helpers.document.parts import Title
from ita_helpers.inputs.sources import bundled_digests
from ita_helpers.render.colophon import NO_INPUTS_NOTE, colophon
from ita_helpers.render.exporters import ITADocxExporter, ITAHTMLExporter, ITAPDFExporter, footer_parameters
from ita_helpers.render.page import to_html

GROUP = "nbconvert.exporters"
EXPECTED = {f"ita_{name.lower()}": f"ita_helpers.render.exporters:ITA{name}Exporter"
            for name in ("HTML", "PDF", "Docx")}
SEED_FIGURE = "มีผลคะแนนอยู่ที่ ๘๘.๙๘ คะแนน อยู่ในระดับ “ผ่าน”"
SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


def declared() -> dict[str, str]:
    """pyproject.toml's [project.entry-points."nbconvert.exporters"]."""
    with open(REPO_ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["entry-points"][GROUP]


def resolve(target: str) -> type:
    module, _colon, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def external_references(page: str) -> list[str]:
    found = re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:|#)([^"'\s>]+)""", page)
    return found + [u for u in re.findall(r"url\(\s*['\"]?([^)'\"]+)", page) if not u.startswith(("data:", "#"))]


def assert_offline_report_page(page: str) -> None:
    assert '<html lang="th">' in page
    assert external_references(page) == []
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert page.count("font-family: 'Sarabun'; font-weight:") == 4


def footer(page: str) -> str:
    return page[page.index('<footer class="ita-footer">'):]


def notebook(*cells, **metadata) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells), metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}} | metadata)


def parameters_cell(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})


PARAMETERS = 'org: str = "กรมทดสอบ"  # หน่วยงาน\nfiscal_year: int = 2566\nplan_year: "Optional[int]" = None\n' \
             'data_dir: "Optional[str]" = "/home/someone/data"'


# ---- registration --------------------------------------------------------------------------------

def test_pyproject_declares_the_exporters_and_they_resolve_to_the_classes():
    assert declared() == EXPECTED
    classes = {name: resolve(target) for name, target in declared().items()}
    assert classes == {"ita_html": ITAHTMLExporter, "ita_pdf": ITAPDFExporter, "ita_docx": ITADocxExporter}
    for cls in classes.values():
        assert issubclass(cls, Exporter)
    assert ITAHTMLExporter.export_from_notebook == "ITA report (HTML)"
    assert ITAPDFExporter.export_from_notebook == "ITA report (PDF)"
    assert (ITAHTMLExporter.output_mimetype, ITAPDFExporter.output_mimetype) == ("text/html", "application/pdf")
    assert (ITAHTMLExporter().file_extension, ITAPDFExporter().file_extension) == (".html", ".pdf")


def test_an_installed_distribution_declaring_them_makes_nbconvert_find_them(tmp_path, monkeypatch):
    """pyproject's entry points, as any installed distribution declares them (its dist-info), reach nbconvert:
    `--to ita_html` and the list JupyterLab's export menu is built from."""
    info = tmp_path / "ita_exporters_under_test-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ita-exporters-under-test\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n" + "".join(f"{k} = {v}\n" for k, v in declared().items()))
    monkeypatch.syspath_prepend(str(tmp_path))
    assert get_exporter("ita_html") is ITAHTMLExporter
    assert get_exporter("ita_pdf") is ITAPDFExporter
    assert get_exporter("ita_docx") is ITADocxExporter
    assert {"ita_html", "ita_pdf", "ita_docx"} <= set(get_export_names())


def test_the_installed_package_registers_them():
    """After `make` (pip install -e .): fails in CI when the installed metadata lacks them."""
    installed = {e.name: e.value for e in importlib.metadata.distribution("ita-helpers").entry_points
                 if e.group == GROUP}
    require(installed == EXPECTED, f"an installed ita-helpers that registers its exporters (has {installed}; "
                                   "pip install -e . again)")
    assert get_exporter("ita_html") is ITAHTMLExporter and get_exporter("ita_pdf") is ITAPDFExporter


def test_nbconvert_finds_them_by_dotted_path():
    assert get_exporter("ita_helpers.render.exporters.ITAHTMLExporter") is ITAHTMLExporter
    assert get_exporter("ita_helpers.render.exporters.ITAPDFExporter") is ITAPDFExporter


# ---- the footer's parameters --------------------------------------------------------------------

def test_footer_parameters_are_papermills_record_over_the_parameters_cell():
    ran = notebook(parameters_cell(PARAMETERS),
                   papermill={"parameters": {"org": "กรุงเทพมหานคร", "threshold": 80.0, "data_dir": "/srv/data"}})
    assert footer_parameters(ran) == {"org": "กรุงเทพมหานคร", "fiscal_year": 2566, "plan_year": None,
                                      "threshold": 80.0}


def test_footer_parameters_without_papermill_are_the_parameters_cells_values():
    assert footer_parameters(notebook(parameters_cell(PARAMETERS))) == {
        "org": "กรมทดสอบ", "fiscal_year": 2566, "plan_year": None}
    cell = parameters_cell("from datetime import date\n\nyear = date.today().year + 543\ndigits = 'thai'")
    assert footer_parameters(notebook(cell)) == {"year": "date.today().year + 543", "digits": "thai"}
    no_kernelspec = nbformat.v4.new_notebook(cells=[parameters_cell("org = 'x'")])
    assert footer_parameters(no_kernelspec) == {"org": "x"}


def test_footer_parameters_are_left_out_without_a_parameters_cell():
    assert footer_parameters(notebook(nbformat.v4.new_code_cell("org = 'x'"))) == {}


# ---- the footer and appendix (render.colophon) ---------------------------------------------------

MOMENT = datetime(2026, 12, 6, 9, 5, tzinfo=BANGKOK)


def test_an_agencys_excel_file_is_named_as_the_agency_knows_it():
    """The slice holds an agency's workbook as CSV rows (`scores/ผลITA.xlsx.csv`), a file the agency never
    had: the footer names `ผลITA.xlsx`. The suite's own methodology and a standing it computed are not the
    agency's files; the appendix lists them with every digest."""
    bundled = bundled_digests()["methodology.yaml"]
    inputs = {"methodology.yaml": bundled, "scores/ผลITA.xlsx.csv": "a" * 64, "reported_totals.csv": "b" * 64,
              "measures/แผน 2567.xlsx": "c" * 64, "peers.json": "d" * 64}
    given = {"org": "กรมทดสอบ", "fiscal_year": 2566, "plan_year": None, "threshold": 80.5, "digits": "arabic",
             "formats": "html,pdf,docx"}
    shown = colophon(notebook(), given, inputs, "Chromium (chromium)", MOMENT)
    assert shown["producer"] == "กรมทดสอบ" and shown["date"] == "6 ธันวาคม พ.ศ. 2569"
    assert shown["time"] == "6 ธันวาคม พ.ศ. 2569 เวลา 09:05 น." and shown["engine"] == "Chromium (chromium)"
    assert shown["sources"] == ("ไฟล์คะแนนรายตัวชี้วัด “ผลITA.xlsx” ไฟล์คะแนนรวมที่ประกาศ “reported_totals.csv” "
                                "และไฟล์มาตรการ “แผน 2567.xlsx”")
    assert shown["parameters"] == [("หน่วยงานที่ได้รับการประเมิน", "กรมทดสอบ"), ("ปีงบประมาณของผลการประเมิน", "2566"),
                                   ("เกณฑ์ตัวชี้วัดที่ต้องปรับปรุง", "คะแนนต่ำกว่า 80.5"),
                                   ("ตัวเลขในเนื้อความ", "เลขอารบิก"), ("รูปแบบที่จัดทำ", "HTML, PDF, Word")]
    assert [(f["kind"], f["name"], f["origin"], f["sha256"]) for f in shown["files"]] == [
        ("เกณฑ์การประเมิน", "methodology.yaml", "ฉบับของชุดโปรแกรม", bundled),
        ("คะแนนรายตัวชี้วัด", "ผลITA.xlsx", "", "a" * 64), ("คะแนนรวมที่ประกาศ", "reported_totals.csv", "", "b" * 64),
        ("มาตรการ", "แผน 2567.xlsx", "", "c" * 64),
        ("อันดับในกลุ่มหน่วยงานปีเดียวกัน", "", "คำนวณโดยชุดโปรแกรมจากไฟล์คะแนน", "d" * 64)]
    assert shown["rows_note"] and shown["no_inputs_note"] is None
    page = to_html(notebook(), {"org": "กรมทดสอบ", "fiscal_year": 2566}, inputs, "-")
    assert "ผลITA.xlsx" in page and ".xlsx.csv" not in page and "peers.json" not in page


def test_the_footer_names_the_unit_the_report_names_and_only_parameters_it_can_name_in_thai():
    """The unit the document's title names as its publisher made it; a parameter of another notebook is named
    by the comment after it in the `parameters` cell, or left out."""
    title = nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output(
        "display_data", data=Title("มาตรการของสำนักงานทดสอบ", author="สำนักงานทดสอบ")._repr_mimebundle_())])
    cell = parameters_cell('org = "กรมทดสอบ"\nrounds: int = 3  # จำนวนรอบที่ทดสอบ\nsecret = "x"\nnote = ""  # หมายเหตุ')
    given = {"org": "กรมทดสอบ", "rounds": 3, "secret": "x", "note": ""}
    shown = colophon(notebook(cell, title), given, {}, "-", MOMENT)
    assert shown["producer"] == "สำนักงานทดสอบ" and shown["engine"] is None and shown["sources"] == ""
    assert shown["parameters"] == [("หน่วยงานที่ได้รับการประเมิน", "กรมทดสอบ"), ("จำนวนรอบที่ทดสอบ", "๓")]
    assert shown["files"] == [] and shown["no_inputs_note"] == NO_INPUTS_NOTE
    assert colophon(notebook(), {}, {}, "-", MOMENT)["producer"] is None


# ---- exporting ---------------------------------------------------------------------------------

def test_html_export_never_runs_the_notebook_and_hides_its_code(tmp_path, caplog):
    marker = tmp_path / "ran"
    unrun = notebook(nbformat.v4.new_markdown_cell("## ผลการประเมินในภาพรวม"), parameters_cell(PARAMETERS),
                     nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').write('ran')\nsecret_code_line = 1"))
    log = logging.getLogger("test_exporters")
    with caplog.at_level(logging.WARNING, logger=log.name):
        page, resources = ITAHTMLExporter(log=log).from_notebook_node(unrun, {"metadata": {"name": "draft"}})
    assert not marker.exists()
    assert "secret_code_line" not in page and "open(" not in page
    assert_offline_report_page(page)
    assert "ผลการประเมินในภาพรวม" in visible_text(page)
    shown = visible_text(footer(page))
    assert re.match("จัดทำโดย กรมทดสอบ เมื่อวันที่ [๐-๙]+ [ก-๙]+ พ\\.ศ\\. [๐-๙]{4} ภาคผนวก: ข้อมูลสำหรับตรวจสอบ ", shown)
    assert "ค่าที่ใช้จัดทำรายงาน หน่วยงานที่ได้รับการประเมิน: กรมทดสอบ · ปีงบประมาณของผลการประเมิน: ๒๕๖๖ ไม่มีรายการ" in shown
    assert "None" not in shown and "plan_year" not in shown and "org" not in shown  # unset, Thai names only
    assert "/home/someone/data" not in page and "data_dir" not in shown
    assert "PDF" not in shown and SHA256.search(footer(page)) is None  # no digest is invented
    assert NO_INPUTS_NOTE in shown
    assert resources["output_extension"] == ".html"
    assert any("draft has not been run" in record.getMessage() for record in caplog.records)


# ---- the report notebook, executed as `ita report` executes it (slow) ----------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The seed report's folder from `ita report --formats html`: report.ipynb (executed) and report.html."""
    from ita_helpers.cli.main import main

    out = tmp_path_factory.mktemp("published")
    assert main(["report", "--org", BMA, "--year", "2566", "--out", str(out), "--formats", "html"]) == 0
    return out / "2566" / BMA


@pytest.mark.slow
def test_html_export_of_the_executed_report_is_the_batch_document(published):
    executed = nbformat.read(published / "report.ipynb", as_version=4)
    page, resources = get_exporter("ita_helpers.render.exporters.ITAHTMLExporter")().from_notebook_node(executed)
    assert_offline_report_page(page)
    text = visible_text(page)
    assert SEED_FIGURE in text and "๘๘.๙๘" in text
    assert "build_report(" not in page and "from ita_helpers import" not in page
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert cell.source.strip() not in page
    batch = (published / "report.html").read_text(encoding="utf-8")
    assert page[:page.index("<footer")] == batch[:batch.index("<footer")]  # the same document
    shown = visible_text(footer(page))
    assert shown.startswith("จัดทำโดย สำนักงานเลขาธิการสภากรุงเทพมหานคร เมื่อวันที่ ")  # the title names the unit
    assert (f"ค่าที่ใช้จัดทำรายงาน หน่วยงานที่ได้รับการประเมิน: {BMA} · ปีงบประมาณของผลการประเมิน: ๒๕๖๖ · "
            "เกณฑ์ตัวชี้วัดที่ต้องปรับปรุง: คะแนนต่ำกว่า ๘๕ · ตัวเลขในเนื้อความ: เลขไทย") in shown
    assert SHA256.search(footer(page)) is None and SHA256.search(footer(batch))  # the batch alone knows them
    assert "จากไฟล์ข้อมูลของหน่วยงาน ได้แก่ ไฟล์คะแนนรายตัวชี้วัด “bma.csv”" in visible_text(footer(batch))


@pytest.mark.slow
@pytest.mark.parametrize(("exporter", "suffix"), [("ITAHTMLExporter", ".html"), ("ITAPDFExporter", ".pdf")])
def test_jupyter_nbconvert_to_the_exporter(published, tmp_path, exporter, suffix):
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "nbconvert", "--to", f"ita_helpers.render.exporters.{exporter}",
                          "--output-dir", str(tmp_path), str(published / "report.ipynb")],
                         capture_output=True, text=True, env=env, timeout=300)
    if run.returncode and suffix == ".pdf" and "EngineUnavailable" in run.stderr:
        require_engine(run.stderr.strip().splitlines()[-1])
    assert run.returncode == 0, run.stderr
    written = (tmp_path / "report").with_suffix(suffix).read_bytes()
    if suffix == ".pdf":
        assert written.startswith(b"%PDF")
    else:
        assert SEED_FIGURE in visible_text(written.decode("utf-8"))


def require_engine(reason: str) -> None:
    """Skip outside CI when no PDF engine works; inside CI that is a failure (conftest.require)."""
    require(False, f"a PDF engine ({reason})")


@pytest.mark.slow
def test_pdf_export_is_pdf_bytes(published):
    executed = nbformat.read(published / "report.ipynb", as_version=4)
    try:
        pdf, resources = ITAPDFExporter().from_notebook_node(executed)
    except (EngineUnavailable, OSError) as err:  # OSError: WeasyPrint without Pango
        require_engine(str(err))
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF") and len(pdf) > 50_000
    assert resources["output_extension"] == ".pdf"
