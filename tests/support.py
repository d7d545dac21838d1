"""What several test modules share: the synthetic fixtures' names, a page's visible text, small data folders."""

from __future__ import annotations

import copy
import html
import json
import random
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


# ---- an implementation report's progress file (SYNTHETIC statuses, results and links) ---------------------
PROGRESS_COUNTS = {"done": 5, "in_progress": 5, "not_started": 4, "not_reported": 4}  # of the BMA's 18 steps
EXECUTIVE = ("นายทดสอบ ระบบรายงาน", "ผู้อำนวยการทดสอบ", "15 เมษายน 2568")  # SYNTHETIC


def evidence_link(step: int) -> str:
    return f"https://ita.example.go.th/evidence/{step}"


def bma_progress_folder(tmp_path: Path) -> Path:
    """A data folder with the BMA's scores and its bundled measures (data/), as an agency keeps them."""
    folder = tmp_path / "data"
    for name in ("scores/bma.csv", "measures/bma_council_secretariat_2566.yaml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((REPO_ROOT / "data" / name).read_bytes())
    return folder


def fill_progress(path: Path) -> None:
    """Fill a progress workbook as an agency would in Excel: step n (from 1) done when n % 4 == 1 (result,
    evidence title and link; the first link an Excel hyperlink under other text), in progress when 2 (a
    problem), not started when 3 (a suggestion), left without a status when 0; the executive's lines."""
    import openpyxl

    from ita_helpers.inputs.progress_xlsx import SHEET_ROUND, SHEET_TABLE, TABLE_LABELS

    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET_TABLE]
    column = {key: list(TABLE_LABELS).index(key) + 1 for key in TABLE_LABELS}
    for n, row in enumerate(range(5, sheet.max_row + 1), start=1):
        def put(key: str, value: object, row: int = row) -> None:
            sheet.cell(row=row, column=column[key], value=value)

        if n % 4 == 1:
            put("status", "ดำเนินการแล้ว")
            put("result", f"ผลการดำเนินการขั้นที่ {n}")
            put("evidence_title", f"หลักฐานขั้นที่ {n}")
            put("evidence_link", evidence_link(n))
            if n == 1:
                put("evidence_link", "เปิดหลักฐาน")
                sheet.cell(row=row, column=column["evidence_link"]).hyperlink = evidence_link(n)
        elif n % 4 == 2:
            put("status", "อยู่ระหว่างดำเนินการ")
            put("problems", f"ปัญหาของขั้นที่ {n}")
        elif n % 4 == 3:
            put("status", "ยังไม่ดำเนินการ")
            put("suggestions", f"ข้อเสนอแนะของขั้นที่ {n}")
    labels = workbook[SHEET_ROUND]
    for row in range(1, labels.max_row + 1):
        value = {"ชื่อผู้บริหาร": EXECUTIVE[0], "ตำแหน่ง": EXECUTIVE[1], "วันที่รับทราบ": EXECUTIVE[2]}.get(
            labels.cell(row=row, column=2).value)
        if value:
            labels.cell(row=row, column=3, value=value)
    workbook.save(path)


def fill_framework_sheet(path, year: int, cells: dict[str, dict[int, object]]) -> dict[str, int]:
    """Type into a framework workbook's sheet of `year` as an agency would: `cells` maps the text of a row's
    first column (IIT, 9, แหล่งที่มา ...) to column -> value; returns first-column text -> row."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook[str(year)]
    rows: dict[str, int] = {}
    for row in range(1, sheet.max_row + 1):
        rows.setdefault(str(sheet.cell(row=row, column=1).value), row)
    for first, values in cells.items():
        for column, value in values.items():
            sheet.cell(row=rows[first], column=column, value=value)
    workbook.save(path)
    return rows


class RenderingBackend:
    """A batch backend handing back every job rendered (a small page naming its agency-year, and the given
    figures), without kernels: for what a batch does around its reports."""

    name = "rendering"
    figures = {"total": 91.5, "rating": "AA", "change": None, "weak": 0}

    def __init__(self, *args):
        self.jobs = []

    def submit(self, jobs):
        self.jobs = list(jobs)

    def completed(self):
        from ita_helpers.batch.jobs import Rendered

        for job in self.jobs:
            page = f"<html>{job.fiscal_year} {job.org}</html>".encode()
            yield job, Rendered({"ipynb": b"{}", "html": page}, figures=dict(self.figures))

    def warm(self, formats):
        pass

    def abort(self):
        pass

    def close(self):
        pass


# ---- manifests as a batch leaves them, for the index (SYNTHETIC agencies) ---------------------------------
def report(org: str, year: int = 2566, status: str = "ok", **fields) -> dict:
    """A manifest entry as publish.py records it (figures and last_good only when given)."""
    folder = f"{year}/{org}"
    outputs = {fmt: f"{folder}/report.{fmt}" for fmt in ("ipynb", "html", "pdf")}
    if status == "failed":
        outputs = {"ipynb": f"{folder}/report.failed.ipynb"}
    return {"org": org, "fiscal_year": year, "folder": folder, "parameters": {}, "inputs": {}, "outputs": outputs,
            "engine": "chromium", "duration": 1.0, "status": status, "warnings": [], "error": None, "cell": None,
            "key": "k", "version": "0", **fields}


def manifest_of(*entries: dict) -> dict:
    return {"reports": {entry["folder"]: entry for entry in entries}}


def publish_files(out: Path, manifest: dict) -> None:
    """Create the files the manifest names, as a batch run leaves them."""
    for entry in manifest["reports"].values():
        for path in [*entry["outputs"].values(), *entry.get("last_good", {}).get("outputs", {}).values()]:
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).touch()


SYNTHETIC_KINDS = {"องค์การบริหารส่วนตำบลสังเคราะห์": 64, "เทศบาลตำบลสังเคราะห์": 29, "หน่วยงานสังเคราะห์": 7}


def synthetic_manifest(count: int, year: int = 2566, seed: int = 2566) -> dict:
    """SYNTHETIC reports of invented agencies (about the mix of Thailand's local governments)."""
    rng = random.Random(seed)
    entries = []
    for number in range(1, count + 1):
        kind = rng.choices(list(SYNTHETIC_KINDS), weights=list(SYNTHETIC_KINDS.values()))[0]
        status = rng.choices(["ok", "warnings", "failed"], weights=[80, 15, 5])[0]
        figures = {"total": round(rng.uniform(40, 100), 2), "rating": rng.choice(["ผ่าน", "ไม่ผ่าน"]),
                   "change": round(rng.uniform(-5, 5), 2) if rng.random() < 0.9 else None, "weak": rng.randint(0, 10)}
        entry = report(f"{kind}-{number:05d}", year, status, figures=figures,
                       warnings=["no_measures"] if status == "warnings" else [])
        if status == "failed":
            good = report(entry["org"], year)
            entry.update(figures=None, error="ValueError: synthetic", last_good={
                "outputs": good["outputs"], "figures": figures, "generated": "1 ตุลาคม พ.ศ. 2568"})
        entries.append(entry)
    entries.append(report("ก" * 80, year))  # one long name that is no word
    return manifest_of(*entries)
