"""One report (`ita report`): its worker starts before the data is read, every phase is on the timeline
(ITA_TIMELINE, benchmarks/single.py), and a worker started ahead and not needed is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from test_runner import AGENCIES, make_data, no_processes_left

from conftest import REPO_ROOT, require
from ita_helpers.batch.backends import LocalBackend
from ita_helpers.batch.jobs import Job
from ita_helpers.cli.main import main
from ita_helpers.core.timeline import ENV, read_timeline
from ita_helpers.render.pdf import find_chromium

pytestmark = pytest.mark.slow


def report(data, out, *extra: str) -> int:
    return main(["report", "--org", AGENCIES[0], "--year", "2566", "--data", str(data), "--out", str(out), *extra])


def test_the_worker_starts_before_the_data_is_read_and_every_phase_is_timed(tmp_path, monkeypatch):
    require(find_chromium(), "a Chromium-family browser")
    data = make_data(tmp_path / "data", AGENCIES[:2])
    timeline = tmp_path / "timeline.tsv"
    monkeypatch.setenv(ENV, str(timeline))
    assert report(data, tmp_path / "out") == 0
    marks = read_timeline(timeline)
    phases = [phase for _moment, _pid, phase in marks]
    assert phases.index("main: worker started ahead") < phases.index("main: data read and planned")
    assert phases.index("worker: started") < phases.index("main: report received")
    assert phases.index("main: report published (PDF printed)") < phases.index("main: browser closed") < phases.index(
        "main: manifest and index written") < phases.index("main: workers ended") == len(phases) - 1
    pid_of = {phase: pid for _moment, pid, phase in marks}
    main_pid, worker, template = os.getpid(), pid_of["worker: started"], pid_of["template: imports done, ready to fork"]
    assert len({main_pid, worker, template}) == 3  # three processes, each telling its own phases
    assert {pid_of[p] for p in phases if p.startswith("main:")} == {main_pid}
    assert {pid_of[p] for p in phases if p.startswith("worker:")} == {worker}
    assert (tmp_path / "out" / "2566" / AGENCIES[0] / "report.pdf").read_bytes().startswith(b"%PDF")
    assert no_processes_left() == []


def test_a_worker_started_ahead_and_not_needed_is_stopped(tmp_path, monkeypatch, capsys):
    data = make_data(tmp_path / "data", AGENCIES[:2])
    out = tmp_path / "out"
    assert report(data, out, "--formats", "html") == 0
    capsys.readouterr()
    timeline = tmp_path / "timeline.tsv"
    monkeypatch.setenv(ENV, str(timeline))
    assert report(data, out, "--formats", "html") == 0  # up to date: nothing to render
    assert capsys.readouterr().out.startswith("0 rendered")
    assert report(data, out, "--formats", "html", "--year", "2563") == 2  # no such year: refused
    phases = [phase for _moment, _pid, phase in read_timeline(timeline)]
    assert phases.count("main: worker started ahead") == 2 and "main: report received" not in phases
    assert no_processes_left(deadline=1.0) == []  # its kernel template killed with it, not left to finish importing


def test_a_worker_started_ahead_that_cannot_start_fails_the_reports_not_the_command(monkeypatch):
    import multiprocessing.spawn

    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", b"/bin/false")  # a worker whose Python cannot start
    backend = LocalBackend(1, "-", "fresh")
    backend.warm(("html",))
    deadline = time.monotonic() + 60
    while not backend.pool._broken and time.monotonic() < deadline:
        time.sleep(0.1)
    assert backend.pool._broken  # broken before the jobs came, as meant
    jobs = [Job(org, 2566, {}, (), ("html",)) for org in AGENCIES[:2]]
    backend.submit(jobs)
    failed = {job.org: rendered.error for job, rendered in backend.completed()}
    backend.close()
    assert sorted(failed) == sorted(AGENCIES[:2])
    assert all("BrokenProcessPool" in error for error in failed.values())


def test_ctrl_c_while_the_worker_starts_ends_the_report_quietly(tmp_path):
    """Ctrl-C to the whole process group (as a terminal sends it) the moment the worker has been started, while
    the data is read: our one line, no worker's traceback, nothing left running. A try whose Ctrl-C left this
    test only after the report had come (this process held up on a loaded machine) tested nothing: it is tried
    again, at most twice."""
    data = make_data(tmp_path / "data", AGENCIES[:2])
    for attempt, delay in enumerate((0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)):  # through the worker's Python start-up
        for again in range(3):
            timeline = tmp_path / f"timeline{attempt}-{again}.tsv"
            report, sent = _interrupted_report(data, tmp_path / "out", timeline, delay)
            _out, err = report.communicate(timeout=60)
            marks = read_timeline(timeline)
            received = [moment for moment, _pid, phase in marks if phase == "main: report received"]
            if not received or received[0] > sent:
                break
        assert not received, (sent, marks, err)  # the interrupt came before the report, as meant
        # 130; or, under `python -m` only (not the `ita` script), death by SIGINT after exit(130), which a shell
        # shows as 130 too: CPython 3.11 keeps a flag when an interrupt passes through a string exec (a
        # dataclass building its methods as a module is imported), and `Py_RunMain` then re-raises SIGINT.
        assert report.returncode in (130, -signal.SIGINT) and err.rstrip().endswith("ita report: interrupted"), err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert no_processes_left() == []


def _interrupted_report(data, out, timeline, delay: float) -> tuple[subprocess.Popen, float]:
    """`ita report` given Ctrl-C `delay` seconds after its worker was started; with the moment it was sent."""
    command = [sys.executable, "-m", "ita_helpers.cli.main", "report", "--org", AGENCIES[0], "--year", "2566",
               "--data", str(data), "--out", str(out), "--formats", "html", "--force"]
    report = subprocess.Popen(command, cwd=REPO_ROOT, env=os.environ | {ENV: str(timeline)}, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while "main: worker started ahead" not in (timeline.read_text() if timeline.exists() else ""):
        assert time.monotonic() < deadline and report.poll() is None
        time.sleep(0.005)
    time.sleep(delay)
    sent = time.time()
    os.killpg(report.pid, signal.SIGINT)
    return report, sent
