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
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import Exporter, get_export_names, get_exporter

from conftest import BMA, REPO_ROOT, require
from ita_helpers.errors import EngineUnavailable
from ita_helpers.exporters import ITAHTMLExporter, ITAPDFExporter, footer_parameters

GROUP = "nbconvert.exporters"
EXPECTED = {"ita_html": "ita_helpers.exporters:ITAHTMLExporter", "ita_pdf": "ita_helpers.exporters:ITAPDFExporter"}
IN_CI = os.environ.get("CI", "").lower() == "true"
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
    assert classes == {"ita_html": ITAHTMLExporter, "ita_pdf": ITAPDFExporter}
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
    assert {"ita_html", "ita_pdf"} <= set(get_export_names())


def test_the_installed_package_registers_them():
    """After `make` (pip install -e .): fails in CI when the installed metadata lacks them."""
    installed = {e.name: e.value for e in importlib.metadata.distribution("ita-helpers").entry_points
                 if e.group == GROUP}
    if installed != EXPECTED:
        if IN_CI:
            pytest.fail(f"ita-helpers is installed without its nbconvert exporters: {installed}")
        pytest.skip("the installed ita-helpers predates its nbconvert exporters (pip install -e . again)")
    assert get_exporter("ita_html") is ITAHTMLExporter and get_exporter("ita_pdf") is ITAPDFExporter


def test_nbconvert_finds_them_by_dotted_path():
    assert get_exporter("ita_helpers.exporters.ITAHTMLExporter") is ITAHTMLExporter
    assert get_exporter("ita_helpers.exporters.ITAPDFExporter") is ITAPDFExporter


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
    assert "org = กรมทดสอบ; fiscal_year = 2566; plan_year = None" in shown
    assert "/home/someone/data" not in page and "data_dir" not in shown
    assert "PDF: -" in shown and SHA256.search(footer(page)) is None  # no digest is invented
    assert "ไม่ทราบค่า SHA-256" in shown
    assert resources["output_extension"] == ".html"
    assert any("draft has not been run" in record.getMessage() for record in caplog.records)


# ---- the report notebook, executed as `ita report` executes it (slow) ----------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The seed report's folder from `ita report --formats html`: report.ipynb (executed) and report.html."""
    from ita_helpers.cli import main

    out = tmp_path_factory.mktemp("published")
    assert main(["report", "--org", BMA, "--year", "2566", "--out", str(out), "--formats", "html"]) == 0
    return out / "2566" / BMA


@pytest.mark.slow
def test_html_export_of_the_executed_report_is_the_batch_document(published):
    executed = nbformat.read(published / "report.ipynb", as_version=4)
    page, resources = get_exporter("ita_helpers.exporters.ITAHTMLExporter")().from_notebook_node(executed)
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
    assert f"org = {BMA}; fiscal_year = 2566; plan_year = None; threshold = 85.0; digits = thai" in shown
    assert SHA256.search(footer(page)) is None and SHA256.search(footer(batch))  # the batch alone knows them


@pytest.mark.slow
@pytest.mark.parametrize(("exporter", "suffix"), [("ITAHTMLExporter", ".html"), ("ITAPDFExporter", ".pdf")])
def test_jupyter_nbconvert_to_the_exporter(published, tmp_path, exporter, suffix):
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "nbconvert", "--to", f"ita_helpers.exporters.{exporter}",
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
