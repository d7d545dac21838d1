"""The output folder's record: written as reports finish, kept across a crash, the last good report kept."""

from __future__ import annotations

import html
import json
import time

import pytest

from ita_helpers import __version__
from ita_helpers.batch.execute import Rendered
from ita_helpers.batch.jobs import Input, Job
from ita_helpers.batch.publish import COMPACT_SECONDS, JOURNAL, MANIFEST, OutputFolder, load_manifest
from ita_helpers.core.errors import OutputBusy
from ita_helpers.render.colophon import git_commit

FIGURES = {"total": 88.98, "rating": "ผ่าน", "change": -1.03, "weak": 6}


def job(n: int, year: int = 2566) -> Job:
    return Job(f"หน่วยงานสังเคราะห์-{n:05d}", year, {"threshold": 85.0}, (), ("html",))


def publish(out: OutputFolder, job: Job, rendered: Rendered) -> str:
    out.publish(job, rendered)
    return out.record(job, rendered, None, 1.0)


def good() -> Rendered:
    return Rendered({"ipynb": b"{}", "html": b"<html></html>"}, figures=FIGURES)


def test_a_run_killed_midway_keeps_the_record_of_every_finished_report(tmp_path):
    out = OutputFolder(tmp_path)
    for n in range(5):
        publish(out, job(n), good())
    # killed here: no close(), so manifest.json was never written whole, and the OS let go of the lock
    out.lock.release()
    assert not (tmp_path / MANIFEST).exists()
    with open(tmp_path / JOURNAL, "a", encoding="utf-8") as journal:
        journal.write('{"org": "half a li')  # the line being written when the process died
    reports = load_manifest(tmp_path)["reports"]
    assert sorted(e["org"] for e in reports.values()) == [job(n).org for n in range(5)]
    assert all(OutputFolder(tmp_path).up_to_date(job(n), "-") for n in range(5))


def test_closing_writes_the_manifest_whole_and_drops_the_journal(tmp_path):
    out = OutputFolder(tmp_path)
    publish(out, job(1), good())
    out.close()
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert not (tmp_path / JOURNAL).exists()
    assert manifest["counts"] == {"ok": 1, "warnings": 0, "failed": 0, "stale": 0}
    assert manifest["reports"][job(1).folder]["figures"] == FIGURES


def test_recording_8300_reports_appends_rather_than_rewrites(tmp_path, monkeypatch):
    """Each report is one journal line; the whole manifest is rewritten at most once per COMPACT_SECONDS
    (rewriting it per report cost the square of the number of reports). Counted, not timed: a loaded
    machine slows both alike."""
    out = OutputFolder(tmp_path)
    rewrites = []
    write = OutputFolder.write_manifest
    monkeypatch.setattr(OutputFolder, "write_manifest", lambda self: rewrites.append(1) or write(self))
    rendered = Rendered(error="ITADataError: synthetic")  # no files to write: only the record
    started = time.monotonic()
    for n in range(8300):
        out.record(job(n), rendered, None, 1.0)
    seconds = time.monotonic() - started
    assert len((tmp_path / JOURNAL).read_text(encoding="utf-8").splitlines()) == 8300
    assert len(rewrites) <= seconds / COMPACT_SECONDS + 1
    out.close()
    assert len(load_manifest(tmp_path)["reports"]) == 8300


def test_a_failed_rerun_keeps_the_last_good_report_linked(tmp_path):
    out = OutputFolder(tmp_path)
    publish(out, job(1), good())
    assert publish(out, job(1), Rendered(error="ITADataError: broken")) == "failed"
    assert publish(out, job(1), Rendered(error="ITADataError: still broken")) == "failed"
    entry = load_manifest(tmp_path)["reports"][job(1).folder]
    generated = entry["last_good"].pop("generated")
    assert entry["last_good"] == {"outputs": {"ipynb": f"{job(1).folder}/report.ipynb",
                                              "html": f"{job(1).folder}/report.html"}, "figures": FIGURES}
    out.close()
    index = html.unescape((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert f"ตัวเลขและไฟล์จากครั้งล่าสุดที่สำเร็จ เมื่อ {generated}" in index and "พ.ศ." in generated
    assert (tmp_path / entry["last_good"]["outputs"]["html"]).read_bytes() == b"<html></html>"
    assert entry["error"] == "ITADataError: still broken"


def test_a_report_truncated_or_edited_in_place_is_rendered_again(tmp_path):
    out = OutputFolder(tmp_path)
    publish(out, job(1), good())
    html = tmp_path / job(1).folder / "report.html"
    assert out.up_to_date(job(1), "-")
    html.write_bytes(b"<html></htm")  # truncated
    assert not out.up_to_date(job(1), "-")
    html.write_bytes(b"<html></html>")  # the same bytes again, a new time: still the report recorded
    assert out.up_to_date(job(1), "-")
    html.write_bytes(b"<html></HTML>")  # same size, other bytes
    assert not out.up_to_date(job(1), "-")


def test_one_writer_per_output_folder(tmp_path):
    first = OutputFolder(tmp_path)
    with pytest.raises(OutputBusy, match="another ita command is writing to"):
        OutputFolder(tmp_path)
    first.close()
    OutputFolder(tmp_path).close()  # free again once the first run ends


def test_a_run_that_cannot_start_leaves_the_output_folder_free(tmp_path, monkeypatch):
    from ita_helpers.batch import backends, runner
    from ita_helpers.core.errors import ClusterUnavailable

    def no_cluster(*args):
        raise ClusterUnavailable("no cluster here")

    monkeypatch.setattr(backends, "make_backend", no_cluster)
    with pytest.raises(ClusterUnavailable):
        runner.run([job(1)], tmp_path, scheduler="tcp://nowhere:1")
    OutputFolder(tmp_path).close()  # not "another ita command is writing"


def test_workers_that_cannot_end_are_told_as_before_the_close_moved_to_a_thread(tmp_path, monkeypatch, capsys):
    """The workers end in a thread of their own while the index is written; what stops them from ending is
    raised by the run, as it was when they ended in the run's own thread (the command then names it)."""
    import errno

    from support import RenderingBackend

    from ita_helpers.batch import backends, runner

    class Stuck(RenderingBackend):
        def close(self):
            raise OSError(errno.ENOSPC, "No space left on device", "/tmp/worker-scratch")

    monkeypatch.setattr(backends, "make_backend", Stuck)
    with pytest.raises(OSError, match="No space left on device"):
        runner.run([job(1)], tmp_path)
    assert "Exception in thread" not in capsys.readouterr().err
    assert load_manifest(tmp_path)["reports"][job(1).folder]["status"] == "ok"  # the report itself was done


def test_the_full_record_of_how_a_report_was_made_stays_in_its_notebook_and_the_manifest(tmp_path):
    """The page shows a short Thai appendix; the executed notebook's metadata and the manifest keep it all:
    parameters, each file read with its SHA-256 and the name the agency knows it by, version, commit, engine."""
    inputs = (Input.of("scores/ผลITA.xlsx.csv", b"org,fiscal_year\n"), Input.of("peers.json", b"{}"))
    made = Job("หน่วยงานสังเคราะห์", 2566, {"threshold": 85.0, "data_dir": "/srv/data"}, inputs, ("html",))
    out = OutputFolder(tmp_path)
    notebook = json.dumps({"cells": [], "metadata": {"papermill": {}}, "nbformat": 4, "nbformat_minor": 5})
    publish(out, made, Rendered({"ipynb": notebook.encode(), "html": b"<html></html>"}, figures=FIGURES))
    record = json.loads((tmp_path / made.folder / "report.ipynb").read_text(encoding="utf-8"))["metadata"]["ita"]
    assert record["parameters"] == made.parameters and record["inputs"] == made.digests
    assert record["sources"] == {"scores/ผลITA.xlsx.csv": "ผลITA.xlsx", "peers.json": None}
    assert record["version"] == __version__ and record["commit"] == git_commit() and record["engine"] is None
    entry = load_manifest(tmp_path)["reports"][made.folder]
    assert entry["inputs"] == made.digests and entry["sources"] == record["sources"]
    assert entry["commit"] == git_commit() and entry["version"] == __version__
    assert (tmp_path / made.folder / "report.html").read_bytes() == b"<html></html>"  # pages are left as they are


def test_a_pdf_held_open_leaves_every_file_of_the_report_as_it_was(tmp_path, monkeypatch):
    """On Windows a PDF open in a reader cannot be replaced: the PDF is renamed in first, so that its
    failure leaves the HTML and the notebook of the last report too, not a mix of two reports."""
    import os

    report = Job("หน่วยงานสังเคราะห์-00001", 2566, {"threshold": 85.0}, (), ("html", "pdf"))
    out = OutputFolder(tmp_path)
    first = Rendered({"ipynb": b"{}", "html": b"<html>first</html>"}, figures=FIGURES)
    out.publish(report, first, lambda page, target: target.write_bytes(b"%PDF first"))
    replace = os.replace

    def held(source, target):
        if str(target).endswith(".pdf"):
            raise PermissionError(13, "The process cannot access the file", str(target))
        replace(source, target)

    monkeypatch.setattr(os, "replace", held)
    second = Rendered({"ipynb": b"{}", "html": b"<html>second</html>"}, figures=FIGURES)
    with pytest.raises(PermissionError):
        out.publish(report, second, lambda page, target: target.write_bytes(b"%PDF second"))
    folder = out.folder(report)
    assert (folder / "report.html").read_bytes() == b"<html>first</html>"
    assert (folder / "report.pdf").read_bytes() == b"%PDF first"
