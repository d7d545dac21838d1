"""Fork-server kernels: each report's kernel is forked from a preloaded template, and nothing one
report does reaches the next; a kernel that dies fails alone; charts are those of a fresh kernel;
no process outlives its batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import DeadKernelError
from test_runner import kernels_and_browsers, make_data, no_processes_left, run_batch, statuses, wait_mid_batch

from conftest import BMA, require
from ita_helpers.batch.execute import KernelPool, execute
from ita_helpers.batch.forkserver import ForkServer, fork_available, fork_server
from ita_helpers.core.resources import NOTEBOOKS, REPORT_NOTEBOOK
from ita_helpers.document.parts import PART_MIME
from ita_helpers.inputs.dataset import BUNDLED_DATA

pytestmark = pytest.mark.slow
require(fork_available(), "forked kernels (Linux: fork and pidfd)", allow_module_level=True)

# What one report leaves behind, for the next to look for: a global, an rcParams change, a module's
# state and a monkeypatch of a library. Before leaving them, the cell reports what it found.
LEAKY = """\
import json, os, signal, sys
preloaded = "seaborn" in sys.modules and "ita_helpers.document.plots" in sys.modules
import matplotlib, pandas
import ita_helpers.document.plots as plots
print(json.dumps({"global": "LEFT" in globals(), "rc": matplotlib.rcParams["lines.linewidth"],
                  "module": hasattr(plots, "LEFT"), "patch": hasattr(pandas.DataFrame, "left"),
                  "preloaded": preloaded, "pid": os.getpid(), "ppid": os.getppid(),
                  "blas": os.environ.get("OPENBLAS_NUM_THREADS"), "sigpipe": str(signal.getsignal(signal.SIGPIPE)),
                  "path": [p for p in sys.path if p.rstrip("/").endswith("notebooks")], "cwd": os.getcwd(),
                  "history": get_ipython().history_manager.enabled}))
LEFT = 1
matplotlib.rcParams["lines.linewidth"] = 9.0
plots.LEFT = 1
pandas.DataFrame.left = lambda self: 1
"""


def notebook(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "probe.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("step = 0", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def printed(nb: nbformat.NotebookNode) -> dict:
    return json.loads(nb.cells[-1].outputs[0]["text"])


@pytest.fixture
def pool():
    pool = KernelPool(NOTEBOOKS)
    yield pool
    pool.kill_all()


def run_in(pool: KernelPool, path: Path, tmp_path: Path, isolation: str = "fork", step: int = 0):
    km = pool.take(isolation, prestart=False)
    try:
        return execute(path, tmp_path / f"out-{step}.ipynb", {"step": step}, NOTEBOOKS, km=km)
    finally:
        pool.release(km)


def test_nothing_one_report_does_reaches_the_next(tmp_path, pool):
    path = notebook(tmp_path, LEAKY)
    first, second = (printed(run_in(pool, path, tmp_path, step=n)) for n in (1, 2))
    clean = {"global": False, "rc": 1.5, "module": False, "patch": False, "preloaded": True}
    assert {k: first[k] for k in clean} == clean  # the template's libraries were there before any import
    assert {k: second[k] for k in clean} == clean
    assert first["pid"] != second["pid"] and first["ppid"] == second["ppid"] != os.getpid()


def test_a_forked_kernel_runs_as_a_fresh_one_does_but_for_what_is_preloaded(tmp_path, pool):
    path = notebook(tmp_path, LEAKY)
    forked, fresh = (printed(run_in(pool, path, tmp_path, isolation, step))
                     for step, isolation in enumerate(("fork", "fresh")))
    assert (forked.pop("preloaded"), fresh.pop("preloaded")) == (True, False)
    same = ("rc", "blas", "sigpipe", "path", "cwd", "global", "module", "patch", "history")
    assert {k: forked[k] for k in same} == {k: fresh[k] for k in same}
    assert fresh["blas"] == "1" and fresh["path"] == [] and fresh["cwd"] == str(NOTEBOOKS)
    assert fresh["history"] is False  # no shared SQLite file written by every report


def test_a_kernel_that_dies_fails_alone_and_the_next_runs(tmp_path, pool):
    crash = notebook(tmp_path, "import os\nos._exit(3)")
    with pytest.raises(DeadKernelError):
        run_in(pool, crash, tmp_path, step=1)
    path = notebook(tmp_path, LEAKY)
    assert printed(run_in(pool, path, tmp_path, step=2))["preloaded"] is True


def test_the_template_has_one_thread_and_one_blas_thread():
    server = ForkServer()  # it refuses to start when it finds more than one thread before forking
    try:
        server.wait_ready()
        tasks = os.listdir(f"/proc/{server.process.pid}/task")
        environment = Path(f"/proc/{server.process.pid}/environ").read_bytes().split(b"\0")
    finally:
        server.close()
    assert len(tasks) == 1
    assert {b"OPENBLAS_NUM_THREADS=1", b"OMP_NUM_THREADS=1"} <= set(environment)
    assert server.process.returncode == 0


def test_kernels_die_with_their_template_however_it_ends(tmp_path, pool):
    km = pool.take("fork", prestart=False)
    kernel = km.provisioner.process
    template = fork_server().process
    assert kernel.poll() is None
    os.kill(template.pid, signal.SIGKILL)  # no chance to kill its kernels itself
    template.wait()
    assert kernel.wait(timeout=10) is not None
    pool.release(km)
    second = pool.take("fork", prestart=False)  # a new template is started for the next report
    try:
        assert second.provisioner.process.poll() is None and fork_server().process.pid != template.pid
    finally:
        pool.release(second)


def chart_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """The charts' parts as the page shows them (their inline SVG)."""
    return [output["data"]["text/html"] for cell in nb.cells for output in cell.get("outputs", [])
            if output.get("data", {}).get(PART_MIME, {}).get("kind") == "chart"]


def test_charts_of_forked_kernels_are_those_of_fresh_kernels(tmp_path, pool):
    parameters = {"org": BMA, "fiscal_year": 2566, "data_dir": str(BUNDLED_DATA)}
    charts = {}
    for isolation in ("fork", "fresh"):
        km = pool.take(isolation, prestart=False)
        try:
            nb = execute(REPORT_NOTEBOOK, tmp_path / f"{isolation}.ipynb", parameters, NOTEBOOKS, km=km)
        finally:
            pool.release(km)
        charts[isolation] = chart_outputs(nb)
    assert len(charts["fork"]) == 6
    assert charts["fork"] == charts["fresh"]


def test_a_batch_in_either_isolation_gives_the_same_reports_and_leaves_no_process(tmp_path):
    data = make_data(tmp_path / "data")
    pages = {}
    for isolation in ("fork", "fresh"):
        out = tmp_path / isolation
        assert run_batch(data, out, "--isolation", isolation) == 0
        assert set(statuses(out).values()) == {"warnings"}
        pages[isolation] = sorted(p.relative_to(out).as_posix() for p in out.rglob("report.ipynb"))
        assert no_processes_left() == []
    assert pages["fork"] == pages["fresh"] and len(pages["fork"]) == 3


def test_an_interrupted_batch_leaves_no_template_or_kernel(tmp_path):
    data = make_data(tmp_path / "data", [f"หน่วยงานสังเคราะห์-{n}" for n in range(6)])
    command = [sys.executable, "-m", "ita_helpers.cli.main", "run", "--all", "--data", str(data), "--out",
               str(tmp_path / "out"), "--formats", "html", "--jobs", "2", "--isolation", "fork"]
    batch = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        at_cut = wait_mid_batch(batch, tmp_path / "out", 6)  # templates and kernels are at work
        alive = kernels_and_browsers()
        os.kill(batch.pid, signal.SIGTERM)  # the main process only: what it does must end the rest
        batch.communicate(timeout=60)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    assert 0 < at_cut < 6
    assert any("ita_helpers.batch.forkserver" in command for command in alive)  # a template to end
    assert batch.returncode == 130
    assert no_processes_left() == []


@pytest.mark.parametrize("isolation", ["fork", "fresh"])
def test_the_report_kernel_client_gets_ready_runs_code_and_tells_a_dead_kernel(tmp_path, isolation):
    from jupyter_core.utils import run_sync

    from ita_helpers.batch.execute import start_kernel, stop_kernel
    from ita_helpers.batch.forkserver import close_fork_server
    from ita_helpers.batch.kernel_client import ReadyKernelClient

    km = start_kernel(tmp_path, isolation)
    try:
        ready = km.client()
        assert isinstance(ready, ReadyKernelClient)
        ready.start_channels()
        run_sync(ready.wait_for_ready)(timeout=60)
        reply = run_sync(ready.execute_interactive)("6 * 7", store_history=False, timeout=60)  # it answers
        assert reply["content"]["status"] == "ok"
        ready.stop_channels()
        run_sync(km.signal_kernel)(signal.SIGKILL)
        while run_sync(km.is_alive)():
            time.sleep(0.05)
        late = km.client()
        late.start_channels()
        with pytest.raises(RuntimeError, match="the report's kernel ended before it answered"):
            run_sync(late.wait_for_ready)(timeout=60)
        late.stop_channels()
    finally:
        stop_kernel(km)
        close_fork_server()  # this process's kernel template, started for the forked kernel
    assert kernels_and_browsers() == []
