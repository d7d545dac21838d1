"""Batch runs: isolated failures, resume keyed on inputs, nothing half-written, no leftover processes."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import RenderingBackend, lab_saved, report_notebook, write

from conftest import REPO_ROOT, SESSION_MARK, require
from ita_helpers.analysis.peers import Standing
from ita_helpers.batch import jobs
from ita_helpers.batch.plan import plan
from ita_helpers.batch.publish import load_manifest
from ita_helpers.batch.runner import run
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ITADataError
from ita_helpers.document import narrative
from ita_helpers.inputs.dataset import DataFolder

AGENCIES = ["หน่วยงานสังเคราะห์-ก", "หน่วยงานสังเคราะห์-ข", "หน่วยงานสังเคราะห์-ค"]


def make_data(folder: Path, agencies: list[str] = AGENCIES) -> Path:
    """A SYNTHETIC data folder: invented agencies, one score file each, FY2566."""
    (folder / "scores").mkdir(parents=True)
    (folder / "measures").mkdir()
    shutil.copy(REPO_ROOT / "data" / "methodology.yaml", folder)
    for number, org in enumerate(agencies):
        scores = ",".join(str(80 + number + i) for i in range(10))
        (folder / "scores" / f"agency{number}.csv").write_text(
            f"org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n{org},2566,{scores}\n", encoding="utf-8")
    return folder


def html_body(path: Path) -> str:
    """The report page without its generation time and commit (footer and appendix), which may differ
    between runs."""
    return re.sub(r"<time\b[^>]*>[^<]*</time>|<code class=\"commit\">\w+</code>", "", path.read_text(encoding="utf-8"))


def run_batch(data: Path, out: Path, *extra: str) -> int:
    return main(["run", "--all", "--data", str(data), "--out", str(out), "--formats", "html", "--jobs", "2", *extra])


def statuses(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["org"]: entry["status"] for entry in manifest["reports"].values()}


def durations(out: Path) -> dict[str, float]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["org"]: entry["duration"] for entry in manifest["reports"].values()}


def _cmdline(pid: str) -> str:
    try:
        return (Path("/proc") / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _of_this_session(pid: str) -> bool:
    """Whether the process inherited this test session's mark (conftest.SESSION_MARK): it was started by
    this session or by a batch of it, even if it has since lost its parent. Other runs on the same machine
    (other checkouts' tests, with the same interpreter) start kernels and browsers too."""
    try:
        return SESSION_MARK in (Path("/proc") / pid / "environ").read_bytes().split(b"\0")
    except OSError:
        return False


def kernels_and_browsers() -> list[str]:
    """Command lines of this session's kernels (this interpreter), kernel templates and Playwright-driven
    browsers now alive."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            command = _cmdline(proc.name)
            kernel = command.startswith(sys.executable) and any(
                name in command for name in ("ipykernel_launcher", "ita_helpers.batch.forkserver"))
            browser = "--headless" in command and "playwright" in command
            if (kernel or browser) and _of_this_session(proc.name):
                found.append(command)
    return found


def no_processes_left(deadline: float = 10.0) -> list[str]:
    end = time.monotonic() + deadline
    while (left := kernels_and_browsers()) and time.monotonic() < end:
        time.sleep(0.2)
    return left


def test_a_broken_agency_fails_alone(tmp_path, capsys):
    data = make_data(tmp_path / "data")
    (data / "measures" / "broken.yaml").write_text(
        f"unit: x\nscores_org: {AGENCIES[1]}\nresults_year: 2566\nplan_year: 2567\n"
        "issues:\n  - title: t\n    indicators: [11]\n    measures: [m]\n    responsible: r\n    steps: [s]\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch(data, out) == 2  # bad input (its measures file), as ita validate says
    summary = capsys.readouterr().out
    assert summary.count("indicators must be indicator numbers 1-10") == 1  # once, found before any kernel
    assert f"FAILED 2566 {AGENCIES[1]}: {data.resolve()}/measures/broken.yaml: issue 1: indicators must be" in summary
    assert statuses(out) == {AGENCIES[0]: "warnings", AGENCIES[1]: "failed", AGENCIES[2]: "warnings"}
    failed = out / "2566" / AGENCIES[1]
    assert list(failed.iterdir()) == []  # no kernel ran: nothing to keep
    assert AGENCIES[1] in (out / "index.html").read_text(encoding="utf-8")
    assert no_processes_left() == []


def test_a_broken_score_file_is_named_and_the_rest_render(tmp_path, capsys):
    data = make_data(tmp_path / "data")
    (data / "scores" / "agency1.csv").write_text(f"org,fiscal_year,1\n{AGENCIES[1]},2566,abc\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch(data, out) == 2  # bad input, as ita validate says
    summary = capsys.readouterr().out
    assert "2 rendered (2 with warnings), 1 failed, 0 up to date\n" in summary  # only the rows' agency-year fails
    assert f"FAILED 2566 {AGENCIES[1]}: " in summary
    assert "agency1.csv, row 2, column '1': score is not a number" in summary
    assert statuses(out) == {AGENCIES[0]: "warnings", AGENCIES[1]: "failed", AGENCIES[2]: "warnings"}


def test_pdf_batch_leaves_no_browser(tmp_path):
    from ita_helpers.render.pdf import find_chromium

    require(find_chromium(), "a Chromium-family browser")
    data = make_data(tmp_path / "data", AGENCIES[:2])
    out = tmp_path / "out"
    assert main(["run", "--all", "--data", str(data), "--out", str(out), "--jobs", "2"]) == 0
    for org in AGENCIES[:2]:
        assert (out / "2566" / org / "report.pdf").read_bytes().startswith(b"%PDF")
    assert no_processes_left() == []


@pytest.mark.parametrize("dies", ["browser", "driver"])
def test_a_browser_that_dies_mid_batch_is_started_again_and_every_pdf_is_printed(tmp_path, capsys, monkeypatch,
                                                                                  dies):
    import psutil

    from ita_helpers.batch import backends
    from ita_helpers.render import pdf

    require(pdf.find_chromium(), "a Chromium-family browser")
    agencies = [f"หน่วยงานสังเคราะห์-{n}" for n in range(5)]
    data = make_data(tmp_path / "data", agencies)
    monkeypatch.setattr(backends, "make_backend", RenderingBackend)
    real, printed, killed = pdf.ChromiumEngine._print, [], []

    def dies_at_the_third(engine, html, target):  # Chromium (or Playwright's node driver) is killed
        if len(printed) == 2 and not killed:
            for proc in psutil.Process().children(recursive=True):
                name = proc.name()
                if ("node" in name) if dies == "driver" else ("chrom" in name and "node" in proc.parent().name()):
                    proc.kill()
                    killed.append(proc.pid)
            psutil.wait_procs([psutil.Process(pid) for pid in killed if psutil.pid_exists(pid)], timeout=10)
        real(engine, html, target)
        printed.append(html)

    monkeypatch.setattr(pdf.ChromiumEngine, "_print", dies_at_the_third)
    out = tmp_path / "out"
    code = main(["run", "--all", "--data", str(data), "--out", str(out), "--formats", "html,pdf", "--jobs", "2"])
    err = capsys.readouterr().err
    assert len(killed) == 1 and len(printed) == 5  # it died once, at the third report, which was printed again
    assert code == 0 and set(statuses(out).values()) == {"ok"}
    for org in agencies:
        assert (out / "2566" / org / "report.pdf").read_bytes().startswith(b"%PDF")
    assert err.count("The PDF browser stopped while printing 2566 ") == 1
    assert "Task was destroyed" not in err and "Traceback" not in err
    assert no_processes_left() == []


def test_a_browser_that_cannot_live_fails_the_reports_without_starting_for_ever(tmp_path, capsys, monkeypatch):
    from ita_helpers.batch import backends
    from ita_helpers.render import pdf

    require(pdf.find_chromium(), "a Chromium-family browser")
    agencies = [f"หน่วยงานสังเคราะห์-{n}" for n in range(3)]
    data = make_data(tmp_path / "data", agencies)
    monkeypatch.setattr(backends, "make_backend", RenderingBackend)
    launches = []
    real_launch = pdf.ChromiumEngine._launch

    def launch(engine):
        launches.append(engine)
        real_launch(engine)

    def dies_always(engine, html, target):
        engine._browser.close()  # gone before it prints anything, every time
        raise RuntimeError("Target page, context or browser has been closed")

    monkeypatch.setattr(pdf.ChromiumEngine, "_launch", launch)
    monkeypatch.setattr(pdf.ChromiumEngine, "_print", dies_always)
    out = tmp_path / "out"
    code = main(["run", "--all", "--data", str(data), "--out", str(out), "--formats", "html,pdf", "--jobs", "2"])
    summary = capsys.readouterr().out
    assert len(launches) == 2  # started, and started again once
    assert code == 1 and set(statuses(out).values()) == {"failed"}
    assert summary.count("PDF: RuntimeError: Target page, context or browser has been closed") == 3
    assert no_processes_left() == []


def test_rerun_renders_only_what_changed(tmp_path, capsys):
    data = make_data(tmp_path / "data")
    out = tmp_path / "out"
    assert run_batch(data, out) == 0
    first = durations(out)
    assert run_batch(data, out) == 0
    assert "0 rendered (0 with warnings), 0 failed, 3 up to date" in capsys.readouterr().out
    # 87.80 -> 88.00: still first, still in the 87.5-90 bar of the peer chart, so the others' reports stand
    (data / "scores" / "agency2.csv").write_text(
        f"org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n{AGENCIES[2]},2566,88,88,88,88,88,88,88,88,88,88\n", encoding="utf-8")
    assert run_batch(data, out) == 0
    assert "1 rendered (1 with warnings), 0 failed, 2 up to date" in capsys.readouterr().out
    after = durations(out)
    assert [org for org in AGENCIES if after[org] != first[org]] == [AGENCIES[2]]
    assert "๘๘.๐๐" in (out / "2566" / AGENCIES[2] / "report.html").read_text(encoding="utf-8")
    assert run_batch(data, out, "--force") == 0
    assert "3 rendered" in capsys.readouterr().out
    assert no_processes_left() == []


def test_a_report_notebook_saved_in_jupyterlab_leaves_the_batch_up_to_date(tmp_path, capsys, monkeypatch):
    """Opening the report notebook in Lab and saving or exporting it rewrites its outputs, ids and
    metadata, not its code: no report of the batch is rendered again (nationally 8,300)."""
    data = make_data(tmp_path / "data")
    out = tmp_path / "out"
    assert run_batch(data, out) == 0
    capsys.readouterr()
    monkeypatch.setitem(jobs.DOCUMENTS, "measures", (write(tmp_path / "saved.ipynb", lab_saved(report_notebook())),
                                                     "report"))
    jobs.renderer_digest.cache_clear()
    try:
        assert run_batch(data, out) == 0
        assert "0 rendered (0 with warnings), 0 failed, 3 up to date" in capsys.readouterr().out
    finally:
        jobs.renderer_digest.cache_clear()


def test_kernels_run_on_this_interpreter_whatever_kernelspec_is_installed(tmp_path):
    from jupyter_core.utils import run_sync

    from ita_helpers.batch.execute import start_kernel, stop_kernel

    km = start_kernel(tmp_path)
    client = km.client()
    printed: list[dict] = []
    try:
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        reply = run_sync(client.execute_interactive)("import sys; print(sys.executable, end='')", timeout=60,
                                                    output_hook=lambda msg: printed.append(msg))
        printed_text = "".join(m["content"].get("text", "") for m in printed if m["msg_type"] == "stream")
    finally:
        client.stop_channels()
        stop_kernel(km)
    assert reply["content"]["status"] == "ok"
    assert printed_text == sys.executable


def test_unknown_year_or_agency_is_refused_before_any_kernel(tmp_path):
    data = make_data(tmp_path / "data")
    with pytest.raises(ITADataError, match="years in the data: 2566"):
        plan(DataFolder(data), years={2563})
    with pytest.raises(ITADataError, match="agencies in the data: "):
        plan(DataFolder(data), orgs=["ไม่มี"])
    assert main(["run", "--years", "2563", "--data", str(data), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_a_report_for_named_agencies_reads_only_their_rows_and_still_names_every_agency(tmp_path):
    data = make_data(tmp_path / "data", AGENCIES[:2])
    with open(data / "scores" / "agency0.csv", "a", encoding="utf-8") as scores:  # another agency's broken row
        scores.write(f"{AGENCIES[2]},2566,{'x,' * 9}x\n")
    jobs, problems = plan(DataFolder(data, AGENCIES[:1]), orgs=AGENCIES[:1])
    assert [(job.org, job.fiscal_year, job.problems) for job in jobs] == [(AGENCIES[0], 2566, ())] and problems == []
    jobs, problems = plan(DataFolder(data))  # the whole folder: only the broken row's agency-year fails
    assert [(job.org, {(p.row, p.rule) for p in job.problems}) for job in jobs] == [
        (AGENCIES[0], set()), (AGENCIES[1], set()), (AGENCIES[2], {(3, "score is not a number")})] and problems == []
    with pytest.raises(ITADataError, match=f"agencies in the data: {AGENCIES[0]}, {AGENCIES[1]}$"):
        plan(DataFolder(data, ["ไม่มี"]), orgs=["ไม่มี"])


def complete_or_absent(out: Path) -> None:
    """Every file under a final name is whole: HTML ends its document, notebooks parse."""
    for page in out.rglob("report.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    for notebook in out.rglob("report.ipynb"):
        json.loads(notebook.read_text(encoding="utf-8"))
    assert not (out / ".partial").exists() or not any((out / ".partial").rglob("*.html"))


def reports_done(out: Path) -> dict[str, dict]:
    """The reports a batch has published so far, by folder: manifest.json with its journal replayed (the
    batch journals each report as it is published; manifest.json is written whole only now and then)."""
    return load_manifest(out)["reports"]


def wait_mid_batch(batch: subprocess.Popen, out: Path, total: int, deadline: float = 120.0) -> int:
    """Wait until the batch has published at least one report but not all `total`; how many it has."""
    end = time.monotonic() + deadline
    while batch.poll() is None and time.monotonic() < end:
        done = len(reports_done(out))
        if 0 < done < total:
            return done
        time.sleep(0.05)
    pytest.fail(f"no cut mid-batch: {len(reports_done(out))} of {total} reports done, batch exit {batch.poll()}")


@pytest.mark.parametrize("how", ["interrupt", "kill-worker"])
def test_interrupted_batch_leaves_nothing_half_written(tmp_path, capsys, how):
    agencies = [f"หน่วยงานสังเคราะห์-{n}" for n in range(8)]  # long enough to be cut in the middle
    data = make_data(tmp_path / "data", agencies)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ita_helpers.cli.main", "run", "--all", "--data", str(data), "--out", str(out),
               "--formats", "html", "--jobs", "2"]
    batch = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        at_cut = wait_mid_batch(batch, out, len(agencies))  # workers are up, some reports published
        if how == "interrupt":
            os.killpg(batch.pid, signal.SIGINT)
        else:
            children = subprocess.run(["pgrep", "-P", str(batch.pid)], capture_output=True, text=True).stdout.split()
            workers = [pid for pid in children if "spawn_main" in _cmdline(pid)]
            assert len(workers) == 2, "the batch has not its two worker processes"
            os.kill(int(workers[0]), signal.SIGKILL)
        after_cut = len(reports_done(out))
        stdout, stderr = batch.communicate(timeout=60)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    assert 0 < at_cut <= after_cut < len(agencies), (at_cut, after_cut)  # the cut came mid-batch
    complete_or_absent(out)
    assert no_processes_left() == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["org"]: entry for entry in manifest["reports"].values()}
    rendered = sorted(org for org, entry in entries.items() if entry["status"] == "warnings")
    assert len(rendered) >= at_cut  # what was done before the cut stays done
    for org in rendered:
        assert (out / entries[org]["outputs"]["html"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    if how == "interrupt":  # stopped: the rest is listed as not attempted, nothing is marked failed
        assert batch.returncode == 130 and stderr.decode().endswith("ita run: interrupted\n")
        assert sorted(entries) == rendered
        not_attempted = [report["org"] for report in manifest["not_attempted"]["reports"]]
        assert manifest["not_attempted"]["reason"] == "interrupted"
        assert sorted(rendered + not_attempted) == sorted(agencies) and len(not_attempted) > 0
    else:  # a lost worker breaks the local pool: every report not yet back fails with the reason
        assert batch.returncode == 1
        assert sorted(entries) == sorted(agencies) and "not_attempted" not in manifest
        failed = [entry for entry in entries.values() if entry["status"] == "failed"]
        assert len(failed) == len(agencies) - len(rendered) > 0
        assert all("the worker running this report stopped or could not run it" in e["error"] for e in failed)
        assert f"{len(rendered)} rendered ({len(rendered)} with warnings), {len(failed)} failed" in stdout.decode()
    # The next run renders only what the cut left, and then everything is there.
    assert run_batch(data, out) == 0
    left = len(agencies) - len(rendered)
    assert f"{left} rendered ({left} with warnings), 0 failed, {len(rendered)} up to date" in capsys.readouterr().out
    assert statuses(out) == {org: "warnings" for org in agencies}
    complete_or_absent(out)
    print(f"{how}: {at_cut} of {len(agencies)} reports done at the cut, {after_cut} just after, "
          f"{len(rendered)} rendered in all when the batch stopped")


HOSTILE = ["../../escaped", "a/b", "a_b", "..", "CON", "x:*?<>|y", "ก" * 100]  # control characters: refused


def test_hostile_agency_names_never_leave_the_output_folder(tmp_path):
    data = tmp_path / "data"
    (data / "scores").mkdir(parents=True)
    rows = "".join(f'"{org}",2566,{",".join(["90"] * 10)}\n' for org in HOSTILE)
    (data / "scores" / "hostile.csv").write_text("org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n" + rows, encoding="utf-8")
    out = tmp_path / "nested" / "out"
    assert run_batch(data, out) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "nested"]
    assert sorted(p.name for p in (tmp_path / "nested").iterdir()) == ["out"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["org"] for e in manifest["reports"].values()) == sorted(HOSTILE)
    for folder, entry in manifest["reports"].items():
        report = (out / folder / "report.html").resolve()
        assert report.is_relative_to(out.resolve()) and report.exists()
        assert entry["folder"] == folder and folder.count("/") == 1
        assert len(folder.split("/")[1].encode()) <= 255
    assert len({e["folder"] for e in manifest["reports"].values()}) == len(HOSTILE)
    index = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "../../escaped" in index and "ก" * 100 in index  # the real names, as text


def test_statuses_with_warnings_are_counted_with_reasons(tmp_path, capsys):
    data = make_data(tmp_path / "data", AGENCIES[:2])
    (data / "measures" / "a.yaml").write_text(
        f"unit: หน่วยงาน ก\nscores_org: {AGENCIES[0]}\nresults_year: 2566\nplan_year: 2567\nissues: []\n",
        encoding="utf-8")
    (data / "reported_totals.csv").write_text(f"org,fiscal_year,reported_total\n{AGENCIES[0]},2565,80.00\n",
                                              encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch(data, out) == 0
    summary = capsys.readouterr().out
    assert "2 rendered (1 with warnings), 0 failed, 0 up to date" in summary
    listed = [line.strip() for line in summary.splitlines() if line.strip().endswith("report.{ipynb,html}")]
    assert listed == [f"{out}/2566/{org}/report.{{ipynb,html}}" for org in AGENCIES[:2]]  # in plan order
    assert f"WARNING no measures file of the agency for this results year: 1 report(s): 2566 {AGENCIES[1]}" in summary
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["org"]: e for e in manifest["reports"].values()}
    assert entries[AGENCIES[0]]["status"] == "ok" and entries[AGENCIES[0]]["warnings"] == []
    assert entries[AGENCIES[1]]["status"] == "warnings"
    assert entries[AGENCIES[1]]["warnings"] == ["no_measures", "no_previous_total"]
    assert manifest["counts"] == {"ok": 1, "warnings": 1, "failed": 0, "stale": 0}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "สำเร็จ 1 รายงาน สำเร็จ มีข้อสังเกต 1 รายงาน ไม่สำเร็จ 0 รายงาน" in index
    assert "ไม่มีคะแนนรวมของปีก่อนหน้าให้เปรียบเทียบ" in index


def test_notebook_defaults_and_options_reach_the_rendered_report(tmp_path):
    data = make_data(tmp_path / "data", AGENCIES[:1])
    out = tmp_path / "out"
    assert run_batch(data, out, "--threshold", "83.5", "-p", "digits", "arabic") == 0
    html = (out / "2566" / AGENCIES[0] / "report.html").read_text(encoding="utf-8")
    assert "เกณฑ์ตัวชี้วัดที่ต้องปรับปรุง: คะแนนต่ำกว่า 83.5" in html and "ตัวเลขในเนื้อความ: เลขอารบิก" in html
    assert "ปีงบประมาณของมาตรการ" not in html and "None" not in html  # unset: left out of the appendix
    assert "ต่ำกว่า 83.5 คะแนน" in html  # the weak-indicator sentence, in Arabic digits
    notebook = (out / "2566" / AGENCIES[0] / "report.ipynb").read_text(encoding="utf-8")
    assert f"data_dir = {str(data.resolve())!r}\n" in json.loads(notebook)["cells"][2]["source"]


def test_a_report_reads_the_bytes_its_resume_key_was_made_of_even_if_the_file_changes_meanwhile(tmp_path):
    data = make_data(tmp_path / "data", AGENCIES[:1])
    out = tmp_path / "out"
    (job,), _ = plan(DataFolder(data), formats=("html",))
    scores = data / "scores" / "agency0.csv"
    planned = scores.read_text(encoding="utf-8")
    scores.write_text(planned.replace(",80,", ",55,"), encoding="utf-8")  # edited while the batch runs
    run([job], out)
    html = (out / "2566" / AGENCIES[0] / "report.html").read_text(encoding="utf-8")
    assert "๘๐.๐๐" in html and "๕๕.๐๐" not in html  # the numbers of the planned bytes, not a mix
    scores.write_text(planned, encoding="utf-8")  # restored: what was rendered is up to date
    assert [r.status for r in run(plan(DataFolder(data), formats=("html",))[0], out)] == ["skipped"]
    scores.write_text(planned.replace(",80,", ",55,"), encoding="utf-8")  # edited for good: rendered again
    (edited,) = run(plan(DataFolder(data), formats=("html",))[0], out)
    assert edited.status == "warnings" and "๕๕.๐๐" in (out / edited.job.folder / "report.html").read_text("utf-8")


def test_a_report_depends_on_its_slice_and_its_standing_not_on_how_the_folder_is_cut(tmp_path):
    """One national file, or the agency's file beside one of the other agencies: the same report, peer
    paragraph and chart included. From a folder of the agency alone: the same report without them."""
    org = "หน่วยงานสังเคราะห์-ระดับชาติ-17"
    header = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"
    rows = {f"หน่วยงานสังเคราะห์-ระดับชาติ-{n}": "".join(
        f"หน่วยงานสังเคราะห์-ระดับชาติ-{n},{year},{','.join(f'{50 + (n * 7 + i * 3 + year) % 50:.2f}' for i in range(10))}\n"
        for year in (2565, 2566)) for n in range(40)}
    others = "".join(text for name, text in rows.items() if name != org)
    measures = (f"unit: หน่วยงานสังเคราะห์\nscores_org: {org}\nresults_year: 2566\nplan_year: 2567\nissues:\n"
                "  - title: ปรับปรุง\n    indicators: [2]\n    measures: [m]\n    responsible: r\n    steps: [s]\n")
    folders = {"national": {"scores.csv": header + "".join(rows.values())},
               "split": {"scores.csv": header + rows[org], "others.csv": header + others},
               "alone": {"scores.csv": header + rows[org]}}
    for name, files in folders.items():
        data = tmp_path / name
        (data / "scores").mkdir(parents=True)
        (data / "measures").mkdir()
        for file, text in files.items():
            (data / "scores" / file).write_text(text, encoding="utf-8")
        (data / "measures" / "m.yaml").write_text(measures, encoding="utf-8")
        chosen = rows if name != "alone" else {org: rows[org]}
        totals = "".join(f"{o},2564,70.25,synthetic\n" for o in chosen)
        (data / "reported_totals.csv").write_text("org,fiscal_year,reported_total,source\n" + totals, encoding="utf-8")
        out = tmp_path / f"out_{name}"
        assert main(["report", "--org", org, "--year", "2566", "--data", str(data), "--out", str(out),
                     "--formats", "html"]) == 0
    national, split, alone = (html_body(tmp_path / f"out_{n}" / "2566" / org / "report.html") for n in folders)
    assert national == split and "ปรับปรุง" in national and "reported_totals.csv" in national
    table = DataFolder(tmp_path / "national").dataset().score_table()
    totals = table[table["fiscal_year"] == 2566].set_index("org")["official_total"]
    rank = int(totals.rank(method="min", ascending=False)[org])
    lower = int((totals < totals[org]).sum())
    assert (rank, lower) == (36, 0)  # the last five tie
    expected = narrative.peer_sentence(org, float(totals[org]), Standing(org, 2566, 40, rank, lower, ()))
    assert "อยู่ในลำดับที่ ๓๖ จาก ๔๐ หน่วยงานในข้อมูลชุดนี้ (คะแนนเท่ากับอีก ๔ หน่วยงาน)" in expected
    assert expected in html.unescape(national) and "หน่วยงานในข้อมูลชุดนี้" not in html.unescape(alone)
    charts = "<figure class='ita-chart'>"  # one per chart: the distribution chart comes with peers only
    assert national.count(charts) == 7 and alone.count(charts) == 6



@pytest.mark.parametrize("stop", ["full-disk", "interrupt"])
def test_a_batch_stopped_by_its_environment_lists_the_reports_not_attempted(tmp_path, capsys, monkeypatch, stop):
    import errno

    from ita_helpers.batch import backends, publish
    from ita_helpers.core.paths import folder_name

    agencies = [f"หน่วยงานสังเคราะห์-{n}" for n in range(4)]
    data = make_data(tmp_path / "data", agencies)
    monkeypatch.setattr(backends, "make_backend", RenderingBackend)
    real = publish.OutputFolder.publish

    def second_stops(self, job, rendered, pdf_writer=None):  # the disk fills (or Ctrl-C) at the second report
        if self.manifest["reports"]:
            if stop == "interrupt":
                raise KeyboardInterrupt
            raise OSError(errno.ENOSPC, "No space left on device", str(self.root / job.folder / "report.html"))
        return real(self, job, rendered, pdf_writer)

    monkeypatch.setattr(publish.OutputFolder, "publish", second_stops)
    code = run_batch(data, tmp_path / "out")
    out, err = capsys.readouterr()
    assert code == (2 if stop == "full-disk" else 130)
    assert out.splitlines()[:5] == ["1 rendered (0 with warnings), 0 failed, 0 up to date",
                                    "  STOPPED before 3 report(s), not attempted:",
                                    *[f"    2566 {org}" for org in agencies[1:]]]
    assert err.endswith(": the disk is full\n" if stop == "full-disk" else "ita run: interrupted\n")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["org"] for entry in manifest["reports"].values()] == agencies[:1]
    assert manifest["not_attempted"]["reports"] == [
        {"org": org, "fiscal_year": 2566, "folder": f"2566/{folder_name(org)}"} for org in agencies[1:]]
    monkeypatch.setattr(publish.OutputFolder, "publish", real)
    assert run_batch(data, tmp_path / "out") == 0  # the next run renders them, and the list is gone
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert "not_attempted" not in manifest and len(manifest["reports"]) == 4
