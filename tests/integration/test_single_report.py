"""One report (`ita report`): its worker starts before the data is read, every phase is on the timeline
(ITA_TIMELINE, benchmarks/single.py), and a worker started ahead and not needed is stopped."""

from __future__ import annotations

import os

import pytest
from test_runner import AGENCIES, make_data, no_processes_left

from conftest import require
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
    assert no_processes_left() == []
