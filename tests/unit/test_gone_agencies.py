"""Probe finding (issue 19): an agency renamed or removed from the data stayed in the index as a success with
its old figures for ever. Its reports are now marked gone and listed apart. No kernel: a backend that hands
back every report rendered."""

from __future__ import annotations

import html
import json
import shutil
from urllib.parse import quote

from support import RenderingBackend

from conftest import REPO_ROOT
from ita_helpers.batch import backends
from ita_helpers.cli.main import main
from ita_helpers.core.paths import folder_name

OLD, KEPT, NEW = "หน่วยงานสังเคราะห์-เดิม", "หน่วยงานสังเคราะห์-คงอยู่", "หน่วยงานสังเคราะห์-ชื่อใหม่"


def data_with(folder, *agencies):
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "scores").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "data" / "methodology.yaml", folder)
    rows = "".join(f"{org},2566,{','.join(['90'] * 10)}\n" for org in agencies)
    (folder / "scores" / "synthetic.csv").write_text("org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n" + rows, encoding="utf-8")
    return folder


def run(data, out, *extra):
    return main(["run", "--data", str(data), "--out", str(out), "--formats", "html", *extra])


def gone_flags(out) -> dict[str, bool]:
    entries = json.loads((out / "manifest.json").read_text("utf-8"))["reports"].values()
    return {entry["org"]: entry.get("gone", False) for entry in entries}


def test_an_agency_no_longer_in_the_data_is_listed_apart_not_as_a_current_success(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(backends, "make_backend", RenderingBackend)
    data, out = tmp_path / "data", tmp_path / "out"
    assert run(data_with(data, OLD, KEPT), out, "--all") == 0
    assert run(data_with(data, NEW, KEPT), out, "--all") == 0  # OLD renamed NEW
    assert gone_flags(out) == {OLD: True, KEPT: False, NEW: False}
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    tables, gone = page.split("<section id='gone'>")
    assert KEPT in tables and NEW in tables and OLD not in tables
    assert "สำเร็จ 2 รายงาน" in tables  # counted: the two agencies of the data, not the old name
    assert "รายงานของหน่วยงานที่ไม่มีในข้อมูลชุดปัจจุบันแล้ว" in gone
    link = quote(f"2566/{folder_name(OLD)}/report.html")
    assert f"<li>2566 {OLD} <a href='{link}'>HTML</a>" in gone  # its files kept
    # A run for one named agency reads only its rows: it cannot tell what is gone, and marks nothing.
    assert run(data_with(data, KEPT), out, "--org", KEPT) == 0
    entries = json.loads((out / "manifest.json").read_text("utf-8"))["reports"].values()
    assert sorted(entry["org"] for entry in entries if entry.get("gone")) == [OLD]
    # Back in the data (the old name restored): shown again with the current results.
    assert run(data_with(data, OLD, KEPT), out, "--all") == 0
    assert gone_flags(out) == {OLD: False, KEPT: False, NEW: True}
