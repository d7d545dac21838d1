"""The Dask backend gives what the local backend gives, and a worker lost mid-batch loses no report."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from test_runner import html_body, make_data, no_processes_left

from conftest import require
from ita_helpers.batch import backends
from ita_helpers.batch.plan import plan
from ita_helpers.batch.publish import load_manifest
from ita_helpers.batch.runner import run
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ClusterUnavailable
from ita_helpers.inputs.dataset import DataFolder

try:
    import distributed
except ImportError:  # the optional [dask] extra; make and CI install it, so there it is a failure
    distributed = None
require(distributed, "dask[distributed] (the [dask] extra)", allow_module_level=True)

AGENCIES = [f"หน่วยงานสังเคราะห์-ดาสก์-{n}" for n in range(4)]
VOLATILE = ("duration", "engine", "files", "generated")  # timing, PDF engine (none: HTML only), when made


@pytest.fixture
def cluster():
    """A 2-worker cluster of single-threaded worker processes, as `--scheduler tcp://...` would reach."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield local, client


def batch(data: Path, out: Path, *extra: str) -> int:
    return main(["run", "--all", "--data", str(data), "--out", str(out), "--formats", "html", "--jobs", "2", *extra])


def stable_manifest(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {folder: {k: v for k, v in entry.items() if k not in VOLATILE}
            for folder, entry in manifest["reports"].items()}


def test_dask_cluster_gives_the_same_reports_and_manifest_as_local_workers(tmp_path, cluster, capsys):
    local_cluster, _ = cluster
    data = make_data(tmp_path / "data", AGENCIES)
    assert batch(data, tmp_path / "local") == 0
    assert batch(data, tmp_path / "dask", "--scheduler", local_cluster.scheduler_address) == 0
    assert stable_manifest(tmp_path / "dask") == stable_manifest(tmp_path / "local")
    assert len(stable_manifest(tmp_path / "local")) == len(AGENCIES)
    for entry in stable_manifest(tmp_path / "local").values():
        for path in entry["outputs"].values():
            if path.endswith(".html"):
                assert html_body(tmp_path / "dask" / path) == html_body(tmp_path / "local" / path)
    # resume is shared: the Dask run's manifest makes a local rerun skip everything
    capsys.readouterr()
    assert batch(data, tmp_path / "dask") == 0
    assert f"0 rendered (0 with warnings), 0 failed, {len(AGENCIES)} up to date" in capsys.readouterr().out
    assert stable_manifest(tmp_path / "dask") == stable_manifest(tmp_path / "local")


def test_scheduler_local_starts_and_stops_its_own_cluster(tmp_path, capsys):
    data = make_data(tmp_path / "data", AGENCIES[:2])
    assert batch(data, tmp_path / "out", "--scheduler", "local") == 0
    assert "2 rendered (2 with warnings), 0 failed, 0 up to date" in capsys.readouterr().out
    assert no_processes_left() == []


def reports_done(out: Path) -> int:
    """Reports the batch has published so far: the manifest with its journal, where each is noted as it ends."""
    return len(load_manifest(out)["reports"])


FRESH = 0.3  # seconds


def _executing(dask_worker) -> list[str]:
    """Run on each Dask worker: the keys of the tasks it is executing now."""
    return [str(task.key) for task in dask_worker.state.executing]


def test_a_worker_killed_while_running_a_report_loses_no_report(tmp_path, cluster, capsys):
    local_cluster, client = cluster
    agencies = [f"หน่วยงานสังเคราะห์-ฆ่า-{n}" for n in range(8)]
    data = make_data(tmp_path / "data", agencies)
    out = tmp_path / "out"
    codes = []
    runner = threading.Thread(target=lambda: codes.append(batch(data, out, "--scheduler",
                                                                local_cluster.scheduler_address)))
    runner.start()
    # The cut: some reports published, not all, and a worker that started a report less than FRESH seconds
    # ago (a report takes about a second here), so it is still running when the worker is killed.
    pids = client.run(os.getpid)
    deadline, done, running, first_seen, looks = time.monotonic() + 180, 0, {}, {}, 0
    while runner.is_alive() and time.monotonic() < deadline:
        done = reports_done(out)
        now = time.monotonic()
        executing = client.run(_executing)
        for key in (key for keys in executing.values() for key in keys):
            first_seen.setdefault(key, now if looks else -math.inf)  # at the first look: of unknown age
        looks += 1
        running = {address: keys for address, keys in executing.items()
                   if keys and all(now - first_seen[key] < FRESH for key in keys)}
        if 0 < done < len(agencies) and running:
            break
        time.sleep(0.02)
    assert 0 < done < len(agencies) and running, f"no cut mid-batch: {done} reports done, executing {running}"
    victim_address, victim_keys = sorted(running.items())[0]
    lost = [local_cluster.scheduler.tasks[key] for key in victim_keys]  # the scheduler's records of those tasks
    os.kill(pids[victim_address], signal.SIGKILL)
    done_after_kill = reports_done(out)
    runner.join(timeout=300)
    assert not runner.is_alive() and codes
    print(f"killed worker {pids[victim_address]} running {victim_keys}: {done} of {len(agencies)} reports done "
          f"before the kill, {done_after_kill} just after")
    assert 0 < done <= done_after_kill < len(agencies)  # the kill came mid-batch: reports done and not done
    # The scheduler lost the report that was executing on the worker with it, and ran it again elsewhere.
    assert [task.suspicious for task in lost] == [1] * len(victim_keys)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert sorted(e["org"] for e in manifest.values()) == sorted(agencies)  # none lost, those not done at the kill too
    for entry in manifest.values():
        assert entry["status"] in ("warnings", "failed")
        if entry["status"] == "failed":
            assert entry["error"]  # reported with its reason
        else:
            assert (out / entry["outputs"]["html"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert codes[0] == (1 if any(e["status"] == "failed" for e in manifest.values()) else 0)


def test_an_unreachable_scheduler_is_a_clean_error(tmp_path, capsys):
    data = make_data(tmp_path / "data", AGENCIES[:1])
    assert batch(data, tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9") == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in capsys.readouterr().err


def test_workers_need_no_path_on_the_clients_disk(tmp_path, cluster):
    local_cluster, _ = cluster
    data = make_data(tmp_path / "data", AGENCIES[:2])
    jobs, _ = plan(DataFolder(data), formats=("html",))
    shutil.rmtree(data)  # as far from the workers as another machine's disk
    results = run(jobs, tmp_path / "out", scheduler=local_cluster.scheduler_address)
    assert [r.status for r in results] == ["warnings", "warnings"]


def test_workers_running_other_code_are_refused_before_any_job():
    class Client:
        closed = False

        def run(self, function):
            return {"tcp://10.0.0.7:40000": ("0.0.1", "old"), "tcp://10.0.0.8:40000": backends._worker_code()}

        def close(self):
            self.closed = True

    backend = backends.DaskBackend.__new__(backends.DaskBackend)
    backend.client = Client()
    with pytest.raises(ClusterUnavailable, match=r"tcp://10\.0\.0\.7:40000 has 0\.0\.1; install the same"):
        backend._check_workers()
    assert backend.client.closed
