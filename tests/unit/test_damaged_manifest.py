"""Probe finding (issue 19): a damaged manifest.json is named, set aside, and rebuilt from the reports on disk."""

import json

import pytest

from ita_helpers.batch.jobs import report_key
from ita_helpers.batch.publish import MANIFEST, load_manifest
from ita_helpers.core.paths import folder_name
from ita_helpers.document.parts import STATUS_MIME

ORG = "หน่วยงานสังเคราะห์-ก"
STATUS = {"warnings": ["no_measures"], "figures": {"total": 91.5, "rating": "AA", "change": None, "weak": 1}}


def published(root, org=ORG, year=2566, status=STATUS, formats=("html",), where=None):
    """A report as a run publishes it: its notebook with provenance and the status it displayed, and its files."""
    folder = root / (where or f"{year}/{folder_name(org)}")
    folder.mkdir(parents=True)
    parameters = {"org": org, "fiscal_year": year, "data_dir": "/data", "threshold": 85}
    notebook = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [
        {"output_type": "display_data", "data": {STATUS_MIME: status}, "metadata": {}}]}],
        "metadata": {"ita": {"parameters": parameters, "inputs": {"scores/a.csv": "0" * 64}, "version": "1.0",
                             "commit": "abc", "engine": None, "sources": {"scores/a.csv": None}}}}
    (folder / "report.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    for fmt in formats:
        (folder / f"report.{fmt}").write_text(f"<html>{org}</html>", encoding="utf-8")
    return parameters


@pytest.mark.parametrize("text", ['{"reports": {"2566/a": {"org"', "[1, 2]", '{"reports": [1]}',
                                  '{"reports": {"2566/a": "text"}}', "\udcff"])
def test_a_damaged_manifest_is_set_aside_named_and_rebuilt_from_nothing(tmp_path, capsys, text):
    (tmp_path / MANIFEST).write_bytes(text.encode("utf-8", "surrogateescape"))
    assert load_manifest(tmp_path) == {"reports": {}}
    kept = [p.name for p in tmp_path.iterdir()]
    assert len(kept) == 1 and kept[0].startswith("manifest.json.damaged-")
    assert (tmp_path / kept[0]).read_bytes() == text.encode("utf-8", "surrogateescape")
    assert capsys.readouterr().err == (f"{tmp_path / MANIFEST} is damaged and cannot be read; it is kept as {kept[0]}, "
                                       f"and 0 report(s) were listed again from the files in {tmp_path}\n")


def test_a_damaged_manifest_is_rebuilt_from_the_published_reports(tmp_path, capsys, monkeypatch):
    parameters = published(tmp_path)
    published(tmp_path, "หน่วยงานสังเคราะห์-ข", where="2566/elsewhere")  # not its agency-year's folder
    published(tmp_path, "หน่วยงานสังเคราะห์-ค", status={"warnings": []})  # a status the contract refuses
    (tmp_path / "2566" / "x").mkdir()
    (tmp_path / "2566" / "x" / "report.ipynb").write_text("{", encoding="utf-8")  # not a notebook
    (tmp_path / MANIFEST).write_text('{"reports": {', encoding="utf-8")
    monkeypatch.setenv("ITA_LANG", "th")
    reports = load_manifest(tmp_path)["reports"]
    folder = f"2566/{folder_name(ORG)}"
    assert list(reports) == [folder]
    entry = reports[folder]
    assert entry["org"] == ORG and entry["fiscal_year"] == 2566 and entry["status"] == "warnings"
    assert entry["warnings"] == ["no_measures"] and entry["figures"] == STATUS["figures"]
    assert entry["outputs"] == {"ipynb": f"{folder}/report.ipynb", "html": f"{folder}/report.html"}
    assert entry["key"] == report_key(parameters, {"scores/a.csv": "0" * 64}, ("html",))  # resume works
    assert entry["rebuilt"] is True and entry["sources"] == {"scores/a.csv": None}
    err = capsys.readouterr().err
    assert f"{tmp_path / MANIFEST}" in err and "manifest.json.damaged-" in err
    assert "สร้างรายการรายงานขึ้นใหม่จากไฟล์ใน" in err and "1 รายการ" in err


def test_a_sound_manifest_is_read_as_it_is(tmp_path):
    manifest = {"reports": {"2566/a": {"org": "a"}}}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert load_manifest(tmp_path) == manifest and [p.name for p in tmp_path.iterdir()] == [MANIFEST]
