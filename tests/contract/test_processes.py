"""What each process imports: a heavy module (pandas, papermill, nbformat, nbconvert, matplotlib, openpyxl)
stays out of a process that does not use it. These are the tests the package's imports inside functions
answer to: each such import keeps one of these modules out of one of these processes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

HEAVY = ("pandas", "papermill", "nbformat", "nbconvert", "matplotlib", "openpyxl", "docx", "playwright", "weasyprint",
         "ipywidgets", "dask", "jsonschema")


def imported_by(code: str) -> list[str]:
    """The heavy modules a fresh Python has imported after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_ita_command_builds_its_options_without_the_report_stack():
    """`ita --help` and every command's parsing: the parameters come from a cache, not from papermill."""
    code = "from ita_helpers.cli.main import build_parser\nbuild_parser().format_help()"
    assert imported_by(code) == []


def test_a_batch_main_process_plans_and_prints_without_running_notebooks():
    """The main process reads the data (pandas), hands jobs to workers and prints PDFs: no notebook, kernel,
    page template or chart library of its own."""
    code = ("from ita_helpers.batch import backends, plan, publish, runner\n"
            "from ita_helpers.render import pdf")
    assert imported_by(code) == ["pandas"]


def test_a_worker_starts_without_reading_data_or_drawing():
    """A worker renders notebooks (papermill, nbconvert when it runs a job), never the data or the charts."""
    assert imported_by("from ita_helpers.batch import backends, jobs") == []
    assert set(imported_by("from ita_helpers.batch import execute")) <= {"papermill", "nbformat", "nbconvert",
                                                                         "docx", "jsonschema"}


@pytest.mark.parametrize("module", ["ita_helpers.render.exporters"])
def test_jupyterlab_lists_the_exporters_without_the_kernel_stack(module):
    """Lab's export menu loads every exporter class: no pandas, no matplotlib, no Word library until used."""
    assert not set(imported_by(f"import {module}")) & {"pandas", "matplotlib", "openpyxl", "docx", "playwright",
                                                       "papermill", "weasyprint"}
