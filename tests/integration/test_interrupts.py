"""Probe finding (issue 19): after Ctrl-C, `ita run` could print its summary and never end (2 of 29
interrupts; one waited 1,084 s). A real batch is interrupted 30 times at varied moments of its work; each
time it must end within a bound, with exit code 130, and leave no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from test_runner import make_data, reports_done

from conftest import REPO_ROOT

INTERRUPTS = 30
AGENCIES = [f"หน่วยงานสังเคราะห์-{n}" for n in range(24)]  # a batch longer than the latest cut, loaded or not
BOUND = 30.0  # seconds from Ctrl-C to the end of the process (stop_pool waits at most about 2 x 5 s)


def processes_marked(mark: bytes) -> dict[int, str]:
    """The processes (pid: command line) whose environment carries `mark`: one batch's own, whoever their
    parent is now."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and mark in (proc / "environ").read_bytes().split(b"\0"):
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            pass
    return found


def workers_up(mark: bytes) -> bool:
    return any("spawn_main" in command for command in processes_marked(mark).values())


def test_ctrl_c_always_ends_the_batch_with_130_and_no_process_left(tmp_path):
    data = make_data(tmp_path / "data", AGENCIES)
    times, moments = [], []
    for attempt in range(INTERRUPTS):
        out = tmp_path / f"out{attempt}"
        run_id = uuid.uuid4().hex
        mark = f"ITA_TEST_RUN={run_id}".encode()
        env = os.environ | {"ITA_TEST_RUN": run_id, "PYTHONPATH": str(REPO_ROOT)}
        batch = subprocess.Popen(
            [sys.executable, "-m", "ita_helpers.cli.main", "run", "--all", "--data", str(data), "--out", str(out),
             "--formats", "html", "--jobs", "2"],
            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            end = time.monotonic() + 120
            while not workers_up(mark) and batch.poll() is None and time.monotonic() < end:
                time.sleep(0.02)
            # From workers still booting to reports coming back: 0 to 3.8 s after the workers appear.
            time.sleep((attempt * 0.2) % 4)
            done = len(reports_done(out))
            assert batch.poll() is None and workers_up(mark) and done < len(AGENCIES), (attempt, done)
            os.killpg(batch.pid, signal.SIGINT)
            cut = time.monotonic()
            stdout, stderr = batch.communicate(timeout=BOUND)
            times.append(time.monotonic() - cut)
        finally:
            if batch.poll() is None:
                os.killpg(batch.pid, signal.SIGKILL)
                batch.communicate()
        moments.append(done)
        assert batch.returncode == 130, (attempt, stderr.decode()[-2000:])
        # It ends with the reason, and multiprocessing's resource tracker adds no English warning after it
        # (a worker cut while it unlinked a semaphore: backends._quiet_resource_tracker). No worker's Python
        # is cut as it starts (they start with Ctrl-C blocked), so none says "Fatal Python error".
        assert stderr.decode().splitlines()[-1] == "ita run: interrupted", (attempt, stderr.decode()[-2000:])
        assert "resource_tracker" not in stderr.decode(), (attempt, stderr.decode()[-2000:])
        assert "Fatal Python error" not in stderr.decode(), (attempt, stderr.decode()[-2000:])
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        not_attempted = manifest["not_attempted"]["reports"]
        assert manifest["not_attempted"]["reason"] == "interrupted" and 0 < len(not_attempted) <= len(AGENCIES)
        assert "STOPPED before" in stdout.decode()  # the summary was printed, then the process ended
        left = time.monotonic() + 10
        while (leftovers := processes_marked(mark)) and time.monotonic() < left:
            time.sleep(0.2)
        assert leftovers == {}, (attempt, leftovers)
    print(f"{INTERRUPTS} interrupts, reports done at the cut {sorted(moments)}, 0 to 3.8 s after the workers; "
          f"exit after Ctrl-C: worst {max(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s")
    assert len(times) == INTERRUPTS and max(times) < BOUND
