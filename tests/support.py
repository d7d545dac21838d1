"""What several test modules share: the synthetic fixtures' names, a page's visible text, small data folders."""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

from conftest import REPO_ROOT
from ita_helpers.core.resources import REPORT_NOTEBOOK
from ita_helpers.inputs.dataset import DataFolder

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "synthetic_data"  # SYNTHETIC agencies, made for the tests
RISING, FIRST_YEAR = "หน่วยงานทดสอบขาขึ้น", "หน่วยงานทดสอบปีแรก"
WIDE = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"


def visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def folder_with(tmp_path, **files: str) -> DataFolder:
    """A SYNTHETIC data folder holding only the given files (relative name -> text)."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return DataFolder(tmp_path)


def lab_saved(notebook: dict) -> dict:
    """`notebook` as JupyterLab leaves it after running it and saving (or exporting): outputs, execution
    counts, new cell ids, widget and kernel metadata, timing and view metadata on cells, source as lines."""
    saved = copy.deepcopy(notebook)
    saved["metadata"] = {
        "kernelspec": {"display_name": "ita (.venv)", "language": "python", "name": "ita"},
        "language_info": {"name": "python", "version": "3.11.2", "mimetype": "text/x-python",
                          "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                   "version_minor": 0}},
    }
    saved["nbformat_minor"] = 5
    for number, cell in enumerate(saved["cells"], 1):
        cell["id"] = f"lab-{number:04d}"
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        cell["source"] = source.splitlines(keepends=True)  # how nbformat writes it
        cell["metadata"] = {**cell.get("metadata", {}), "collapsed": False, "scrolled": True,
                            "execution": {"iopub.execute_input": "2026-12-06T10:00:00Z"}}
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {"text/html": "<p>คะแนนรวม ๘๘.๙๘</p>", "text/plain": "88.98"}},
                               {"output_type": "stream", "name": "stderr", "text": "warning\n"}]
    return saved


def write(path: Path, notebook: dict) -> Path:
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def report_notebook() -> dict:
    return json.loads(REPORT_NOTEBOOK.read_text(encoding="utf-8"))
