"""Running a parameterized notebook in-process with papermill, in a fresh kernel of this Python,
and rendering one report job: a job in, the report's files as bytes and a status out.

Two papermill defaults are changed here: parameter strings keep their Thai letters (papermill
escapes them to \\uXXXX), and the kernel is always this interpreter (`sys.executable`), whatever
`python3` kernelspec happens to be installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nbformat
import papermill
from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec
from jupyter_core.utils import run_sync
from papermill.exceptions import PapermillExecutionError
from papermill.translators import PythonTranslator, papermill_translators
from traitlets import Type, Unicode

from ..core.errors import ITADataError
from ..core.i18n import _, set_language
from ..core.resources import NOTEBOOKS
from ..core.timeline import mark
from ..document.chart_forms import CHART_PNG_ENV, SVG_TEXT_ENV
from ..document.parts import STATUS_MIME
from ..render.colophon import FORMAT_NAMES
from ..render.exporters import export, worker_outputs
from ..render.pdf import svg_text_for
from .contract import STATUS_SCHEMAS, status_problem
from .forkserver import ONE_THREAD, PROVISIONER, ForkServerError, close_fork_server, fork_available
from .jobs import Job, Rendered
from .kernel_client import ReadyKernelClient


class ReadableThaiTranslator(PythonTranslator):
    """Python literals with Thai kept readable: `org = "กรุงเทพมหานคร"`, not `"\\u0e01..."`."""

    @classmethod
    def translate_str(cls, val: str) -> str:
        return repr(val)


papermill_translators.register("python", ReadableThaiTranslator)


class CurrentPythonKernelManager(AsyncKernelManager):
    """A kernel of the interpreter running us, never another environment's: a new interpreter
    (`fresh`), or forked from this process's preloaded template (`fork`, see forkserver)."""

    isolation = Unicode("fresh")
    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)  # kernel_client: no 0.2 s wait per report

    @property
    def kernel_spec(self) -> KernelSpec:
        provisioner = {"kernel_provisioner": {"provisioner_name": PROVISIONER}} if self.isolation == "fork" else {}
        return KernelSpec(
            # No input history: a report's kernel is never asked for it, and saving each cell to the one
            # shared SQLite file costs time on every cell, more when kernels wait on its lock.
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                  "--HistoryManager.enabled=False"],
            display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} ({sys.executable})",
            language="python", metadata=provisioner,
        )


CHART_ENV: dict[str, str] = {}  # what kernels of this process are told about chart text (charts_for)


def new_kernel_manager(isolation: str = "fresh") -> CurrentPythonKernelManager:
    """IPC sockets under a name of their own: TCP ports are picked by binding and releasing, and two
    kernels started at the same moment can be handed the same port (the client then waits forever).
    Windows has no IPC sockets: there, TCP on the loopback, as Jupyter itself does."""
    if os.name == "posix":
        return CurrentPythonKernelManager(transport="ipc", isolation=isolation,
                                          ip=str(Path(tempfile.gettempdir()) / f"ita-kernel-{uuid.uuid4().hex}"))
    return CurrentPythonKernelManager(isolation=isolation)


def start_kernel(cwd: Path, isolation: str = "fresh", registry: set | None = None) -> CurrentPythonKernelManager:
    """Launch a kernel now and return without waiting for it: it boots while other work goes on.
    The manager joins `registry` before the process exists, so a cleanup never misses it."""
    km = new_kernel_manager(isolation)
    if registry is not None:
        registry.add(km)
    # What cells print or raise is captured in the executed notebook; the kernel's own log is noise.
    # BLAS runs one thread in every kernel, forked or fresh, so that both compute alike.
    run_sync(km.start_kernel)(cwd=str(cwd), stderr=subprocess.DEVNULL, env=dict(os.environ) | ONE_THREAD | CHART_ENV)
    return km


def remove_kernel_files(km: CurrentPythonKernelManager) -> None:
    """The sockets and connection file of a kernel that was killed rather than shut down."""
    ports = (km.shell_port, km.iopub_port, km.stdin_port, km.hb_port, km.control_port)
    for path in [f"{km.ip}-{port}" for port in ports] + [km.connection_file]:
        try:
            os.unlink(path)
        except (FileNotFoundError, TypeError):
            pass


def stop_kernel(km: CurrentPythonKernelManager) -> None:
    """Kill the kernel at once: its state is never needed again, so a polite shutdown only costs time."""
    if km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)


def execute(notebook: Path, output: Path, parameters: dict, cwd: Path,
            km: CurrentPythonKernelManager | None = None) -> nbformat.NotebookNode:
    """Execute `notebook` with `parameters`, writing the executed copy to `output` (also when a cell
    fails: papermill then marks the failing cell and raises PapermillExecutionError)."""
    own = km is None
    km = km or start_kernel(cwd)
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, cwd=str(cwd), progress_bar=False,
            request_save_on_cell_execute=False, km=km, kernel_manager_class=CurrentPythonKernelManager,
        )
    finally:
        if own:
            stop_kernel(km)


class KernelPool:
    """This process's kernels: the next report's kernel boots while the current one runs, and every
    kernel still alive can be killed at once (on exit, on SIGTERM)."""

    def __init__(self, cwd: Path = NOTEBOOKS):
        self.cwd = cwd
        self.live: set[CurrentPythonKernelManager] = set()
        self.spare: CurrentPythonKernelManager | None = None
        self.lock = threading.RLock()  # a Dask worker may run several jobs in threads
        self.fork_refused: str | None = None  # why kernels cannot be forked in this process, once seen

    def usable(self, isolation: str) -> str:
        """`isolation`, or fresh where kernels cannot be forked (this system, or a template that failed)."""
        return "fresh" if isolation == "fork" and (self.fork_refused or not fork_available()) else isolation

    def prestart(self, isolation: str) -> None:
        """Start the next report's kernel now, so that it boots while other work goes on."""
        with self.lock:
            isolation = self.usable(isolation)
            if self.spare is not None and self.spare.isolation != isolation:
                self.drop_spare()
            if self.spare is not None:
                return
            try:
                self.spare = start_kernel(self.cwd, isolation, registry=self.live)
            except (ForkServerError, OSError) as err:
                if isolation != "fork":
                    raise
                self.fork_refused = str(err)
                print(_("kernels cannot be forked here ({reason}); each report starts a new Python").format(
                    reason=err), file=sys.stderr)
                self.spare = start_kernel(self.cwd, "fresh", registry=self.live)

    def take(self, isolation: str, prestart: bool = True) -> CurrentPythonKernelManager:
        """The kernel started ahead (or one started now). With `prestart`, a fresh kernel for the next
        report starts at once: it boots alongside this report. A forked kernel is ready in about a third
        of a fresh one's time (benchmarks/kernels.py), so the next one is started after this report's
        (`start_next`): two never idle side by side."""
        with self.lock:
            self.prestart(isolation)
            km, self.spare = self.spare, None
            if prestart and self.usable(isolation) == "fresh":
                self.start_next(isolation)
            return km

    def start_next(self, isolation: str) -> None:
        """Start the next report's kernel unless one is waiting; why it cannot start is for take() to say."""
        try:
            self.prestart(isolation)
        except Exception:  # noqa: BLE001 - this report has its kernel already
            pass

    def drop_spare(self) -> None:
        with self.lock:
            km, self.spare = self.spare, None
        if km is not None:
            stop_kernel(km)
            self.live.discard(km)

    def release(self, km: CurrentPythonKernelManager) -> None:
        """Kill a used kernel in the background: its state is never needed again."""
        def stop() -> None:
            stop_kernel(km)
            self.live.discard(km)

        threading.Thread(target=stop).start()

    def kill_all(self, wait: bool = True) -> None:
        """Kill every kernel of this process, and its kernel template."""
        self.spare = None
        for km in list(self.live):
            process = getattr(getattr(km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                try:
                    process.kill()  # SIGKILL, or TerminateProcess on Windows
                except ProcessLookupError:
                    pass
                if wait:
                    process.wait()
            remove_kernel_files(km)
            self.live.discard(km)
        if wait:  # else this process is about to exit, which closes the template's stdin: it ends then
            close_fork_server()


_pool: KernelPool | None = None


def kernel_pool() -> KernelPool:
    """The kernel pool of this process (a local worker or a Dask worker), made on first use."""
    global _pool
    if _pool is None:
        _pool = KernelPool()
    return _pool


def _report_status(notebook: nbformat.NotebookNode, document: str = "measures") -> tuple[dict, str | None]:
    """What the report said of itself (sections.status): warning codes and headline figures, and why
    that is not a valid status (none shown, several, or one the contract's schema refuses), if it is not."""
    found = [output["data"][STATUS_MIME] for cell in notebook.cells for output in cell.get("outputs", [])
             if STATUS_MIME in output.get("data", {})]
    problem = status_problem(found, STATUS_SCHEMAS[document])
    return ({} if problem else found[0]), problem


def _as_published(notebook: nbformat.NotebookNode, private: str, data_dir: str) -> nbformat.NotebookNode:
    """The executed notebook names the data folder the user gave, not the private slice the kernel read
    (in parameters, papermill's metadata and any error text), so it can be run again from JupyterLab;
    and the cell papermill injects gets a fixed id instead of a random one, so the same inputs give the
    same report."""
    text = nbformat.writes(notebook).replace(json.dumps(private)[1:-1], json.dumps(data_dir)[1:-1])
    published = nbformat.reads(text, as_version=4)
    for cell in published.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = "\n".join(f"data_dir = {data_dir!r}" if line.startswith("data_dir = ") else line
                                    for line in cell.source.splitlines())
            cell.id = "injected-parameters"
    return published


def charts_for(engine_name: str, formats: tuple[str, ...] = ("html", "pdf")) -> None:
    """Kernels this process starts from now on draw chart text in the form that `engine_name` prints
    best (render.svg_text_for), and a PNG of each chart only when a Word file is among `formats`."""
    CHART_ENV[SVG_TEXT_ENV] = "1" if svg_text_for(engine_name) else "0"
    CHART_ENV[CHART_PNG_ENV] = "1" if "docx" in formats else "0"


def render_job(job: Job, engine_name: str, prestart: bool = True, isolation: str = "fresh") -> Rendered:
    """Execute one report's notebook in a new kernel and convert it to HTML and Word. Runs in a worker
    (a local process or a Dask worker): nothing is written outside a private temporary folder."""
    started = time.perf_counter()
    set_language(job.lang)  # a Dask worker elsewhere tells its errors in the language of the batch
    charts_for(engine_name, job.formats)
    rendered = _render(job, engine_name, prestart, isolation)
    rendered.seconds = time.perf_counter() - started
    return rendered


def _render(job: Job, engine_name: str, prestart: bool, isolation: str) -> Rendered:
    pool = kernel_pool()
    user_data = job.parameters["data_dir"]
    with tempfile.TemporaryDirectory(prefix="ita-job-") as scratch:
        data = Path(scratch) / "data"
        for item in job.inputs:
            item.write(data)
        km = pool.take(isolation, prestart)
        mark("worker: kernel taken")
        output = Path(scratch) / "report.ipynb"
        try:
            notebook = execute(job.notebook, output, job.parameters | {"data_dir": str(data)}, NOTEBOOKS, km=km)
            mark("worker: notebook executed")
        except PapermillExecutionError as err:
            failed = _as_published(nbformat.read(output, as_version=4), str(data), user_data)
            error = f"{err.ename}: {err.evalue}".replace(str(data), user_data)
            return Rendered({"ipynb": nbformat.writes(failed).encode()}, error, err.exec_count)
        finally:
            pool.release(km)
            if prestart:
                pool.start_next(isolation)
        notebook = _as_published(notebook, str(data), user_data)
        status, problem = _report_status(notebook, job.document)
        if problem:  # fails closed: a report that did not say how it went is not recorded as good
            return Rendered({"ipynb": nbformat.writes(notebook).encode()}, problem)
    files = {"ipynb": nbformat.writes(notebook).encode()}
    # The page's appendix names the slice's files and digests, not where they were on this machine.
    resources = {"ita_inputs": job.digests, "ita_engine": engine_name,
                 "ita_parameters": {k: v for k, v in job.parameters.items() if k != "data_dir"}
                 | {"formats": ",".join(job.formats)}}
    for fmt in worker_outputs(job.formats):
        try:
            files[fmt] = export(fmt, notebook, resources)
        except Exception as err:  # the executed notebook is kept, as when a PDF fails
            told = str(err) if isinstance(err, ITADataError) else f"{type(err).__name__}: {err}"
            reason = told.replace(str(data), user_data)
            return Rendered({"ipynb": files["ipynb"]}, _("{format} file: {error}").format(
                format=FORMAT_NAMES[fmt], error=reason))
    mark("worker: files exported")
    return Rendered(files, warnings=status["warnings"], figures=status["figures"])
