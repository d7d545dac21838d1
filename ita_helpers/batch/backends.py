"""Backends run many report jobs and hand back each job's `Rendered` as it completes.

- `LocalBackend`: worker processes on this machine, each keeping a kernel booted ahead.
- `DaskBackend`: the workers of a Dask distributed cluster (`tcp://HOST:8786`, or a `LocalCluster`
  started here for `local`). Each job carries its agency's slice of the data and workers return
  bytes, so they need no disk shared with this machine; they do need the same ita-helpers installed,
  which is checked before any job is sent.

Both are used the same way: `submit(jobs)`, then iterate `completed()`; `close()` always, `abort()`
on Ctrl-C. What runs in a worker imports `execute` (papermill, nbformat, a kernel client) when it runs:
the main process never imports it."""

from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ProcessPoolExecutor, wait
from typing import Protocol

from ..core import interrupt
from ..core.errors import ClusterUnavailable
from ..core.i18n import _
from ..core.timeline import mark
from ..render.pdf import pdf_engine_name
from .forkserver import default_isolation, fork_available, fork_server, kill_fork_server
from .jobs import Job, Rendered, renderer_digest

CHECK_SECONDS = 0.25  # how often a batch waiting for its reports looks for a Ctrl-C that Python dropped
STOP_SECONDS = 5.0  # how long an interrupted batch waits for its workers, then for the pool's thread
RESOURCE_TRACKER_WARNINGS = "ignore::UserWarning:multiprocessing.resource_tracker"  # a -W option


class Backend(Protocol):
    name: str

    def warm(self, formats: tuple[str, ...]) -> None: ...

    def submit(self, jobs: list[Job]) -> None: ...

    def completed(self) -> Iterator[tuple[Job, Rendered]]: ...

    def abort(self) -> None: ...

    def close(self) -> None: ...


def _lost(err: BaseException) -> Rendered:
    """A job whose worker died or that could not run at all."""
    return Rendered(error=_("the worker running this report stopped or could not run it ({error})").format(
        error=f"{type(err).__name__}: {err}"))


# ---- local worker processes ------------------------------------------------------------------------

def _render(job: Job, engine_name: str, prestart: bool = True, isolation: str = "fresh") -> Rendered:
    from .execute import render_job

    return render_job(job, engine_name, prestart, isolation)


def formats_of(jobs: list[Job]) -> tuple[str, ...]:
    """Every format some job of a batch is written in: a worker's first kernel draws for all of them."""
    return tuple(sorted({fmt for job in jobs for fmt in job.formats}))


def _worker_init(isolation: str, engine_name: str, formats: tuple[str, ...]) -> None:
    """Workers ignore Ctrl-C (the main process decides) and, when terminated, kill their kernels first.
    The first kernel and the HTML template are made while the main process still plans; the kernel
    template (forkserver) starts first, so that it imports while this worker does."""
    mark("worker: started")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    interrupt.let_through()  # started under interrupt.held(); its template and kernels inherit SIG_IGN, as before
    signal.signal(signal.SIGTERM, _on_terminate)
    _die_with_parent()
    if isolation == "fork" and fork_available():
        fork_server()
    from ..render.page import html_exporter
    from .execute import charts_for, kernel_pool

    atexit.register(kernel_pool().kill_all)
    charts_for(engine_name, formats)
    kernel_pool().prestart(isolation)
    mark("worker: first kernel started")
    html_exporter()
    mark("worker: HTML template ready")


def _die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM when the main process dies, however it dies."""
    try:

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: an orphaned worker ends when its task queue closes


def _on_terminate(signum, frame) -> None:
    """Kill every kernel and leave at once. No waiting here: the handler may have interrupted a wait
    on the same process, and a second wait would deadlock on its lock. Nothing is imported here either:
    a worker stopped while it still imports (a report refused, or up to date, as its worker starts) would
    meet its half-imported modules. Kernels exist only once `execute` is imported; the kernel template,
    started before, is killed at once (its forked kernels die with it)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kernel_pool = getattr(sys.modules.get(f"{__package__}.execute"), "kernel_pool", None)
    if kernel_pool is not None:
        kernel_pool().kill_all(wait=False)
    kill_fork_server()
    os._exit(128 + signum)


class LocalBackend:
    name = "local"

    def __init__(self, workers: int, engine_name: str, isolation: str):
        self.workers = workers
        self.engine_name = engine_name
        self.isolation = isolation
        self.pool: ProcessPoolExecutor | None = None
        self.started: dict[Future, Job] = {}

    def warm(self, formats: tuple[str, ...]) -> None:
        """Start the workers now, before the jobs are known: their first kernels boot while the main process
        reads the data, which the first reports would otherwise wait for (the timeline of benchmarks/single.py)."""
        self._start(self.workers, formats)

    def _start(self, workers: int, formats: tuple[str, ...]) -> None:
        """Every worker is started here, with Ctrl-C held back: a worker's Python cut as it starts would print
        "Fatal Python error: init_import_site" and its traceback. A process inherits the blocked signal; each
        worker ignores Ctrl-C, then unblocks it (`_worker_init`). This process gets a Ctrl-C typed meanwhile
        as soon as the workers are started: held back, not lost."""
        if self.pool is not None:
            return
        self.workers = workers
        _quiet_resource_tracker()
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_worker_init, initargs=(self.isolation, self.engine_name, formats))
        with interrupt.held():
            for _worker in range(workers):
                self.pool.submit(int)  # the pool starts a worker for each call while none is idle

    def submit(self, jobs: list[Job]) -> None:
        if not jobs:
            return
        self._start(max(1, min(self.workers, len(jobs))), formats_of(jobs))
        for position, job in enumerate(jobs):
            last_round = position >= len(jobs) - self.workers  # no job will follow: no spare kernel
            try:
                future = self.pool.submit(_render, job, self.engine_name, not last_round, self.isolation)
            except BrokenExecutor as err:  # a worker started ahead that could not start: each job fails so
                future = Future()
                future.set_exception(err)
            self.started[future] = job

    def completed(self) -> Iterator[tuple[Job, Rendered]]:
        pending = set(self.started)
        while pending:
            done, pending = wait(pending, timeout=CHECK_SECONDS, return_when=FIRST_COMPLETED)
            interrupt.check()  # a Ctrl-C that Python dropped stops the batch here, within CHECK_SECONDS
            for future in done:
                try:
                    rendered = future.result()
                except Exception as err:  # a worker that died or could not start the notebook
                    rendered = _lost(err)
                yield self.started.pop(future), rendered

    def abort(self) -> None:
        """Stop at once: workers terminated (each kills its kernels), the pool left in a bounded time."""
        if self.pool:
            stop_pool(self.pool)
        self.pool = None

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


def make_backend(scheduler: str | None, workers: int | None, engine_name: str, isolation: str) -> Backend:
    """Local worker processes, or a Dask cluster (`local` starts one on this machine)."""
    workers = workers or os.cpu_count() or 1
    if scheduler:
        return DaskBackend(scheduler, workers, engine_name, isolation)
    return LocalBackend(workers, engine_name, isolation)


def engine_name_for(formats: tuple[str, ...], engine_choice: str) -> str:
    return pdf_engine_name(engine_choice) if "pdf" in formats else "-"


def warm_backend(formats: tuple[str, ...], engine_choice: str = "auto", isolation: str | None = None) -> Backend:
    """A local backend for one report whose worker starts now: its kernel boots while the data is read. `run`
    closes it if it renders with it; `abort()` it afterwards in any case (then a no-op): the data may be bad,
    or the report up to date."""
    backend = make_backend(None, 1, engine_name_for(formats, engine_choice), isolation or default_isolation())
    try:
        backend.warm(formats)
    except BaseException:  # Ctrl-C held back while the worker started comes here: the worker is stopped
        backend.abort()
        raise
    mark("main: worker started ahead")
    return backend


def _quiet_resource_tracker() -> None:
    """Keep multiprocessing's resource tracker from printing English warnings after Ctrl-C: a worker cut
    while it unlinked one of the pool's semaphores leaves the tracker a name it cannot clean up, and it
    says so ("resource_tracker: ... No such file or directory") after the batch's own Thai message. The
    tracker, started with the pool's first semaphore, takes this process's -W options
    (multiprocessing.util._args_from_interpreter_flags)."""
    if RESOURCE_TRACKER_WARNINGS not in sys.warnoptions:
        sys.warnoptions.append(RESOURCE_TRACKER_WARNINGS)


def stop_pool(pool: ProcessPoolExecutor, grace: float = STOP_SECONDS) -> None:
    """Stop `pool` however its workers were cut, in at most about twice `grace` seconds.

    Workers are terminated (each kills its kernels) and killed if still alive after `grace`. A worker cut
    while it was sending its result leaves half a message in the result pipe, and the pool's thread
    waits for the rest for ever; the interpreter joins that thread when it exits, so the command printed
    its summary and never ended. Closing this process's end of the pipe, the last writer once the
    workers are gone, ends that wait. A thread still stuck after that is abandoned: the process then
    leaves at exit without joining it, with the exit code of Ctrl-C. (The pool's private parts are
    used because `shutdown` itself waits on that thread.)"""
    deadline = time.monotonic() + grace
    # What shutdown() forgets: the pool's thread, workers and queues.
    thread = getattr(pool, "_executor_manager_thread", None)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    calls, results = getattr(pool, "_call_queue", None), getattr(pool, "_result_queue", None)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(max(deadline - time.monotonic(), 0))
    for process in processes:
        if process.is_alive():  # blocked where SIGTERM is not handled
            process.kill()
            process.join(grace)
    pool.shutdown(wait=False, cancel_futures=True)
    if calls is not None:
        calls.cancel_join_thread()  # its feeder may be blocked writing to workers now dead
    if results is not None:
        results._writer.close()
    if thread is not None:
        try:
            thread.join(grace)
            stuck = thread.is_alive()
        except RuntimeError:  # Ctrl-C came as the pool was starting its thread: it may yet start, and wait
            stuck = True
        if stuck:
            threading._register_atexit(_leave_now)  # runs before the interpreter joins the stuck thread


def _leave_now() -> None:
    """At exit, with a thread that will never end: what was printed is flushed and the process ends."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(128 + signal.SIGINT)


# ---- Dask distributed ------------------------------------------------------------------------------

def _drop_spare_kernel() -> None:
    """Run on each Dask worker at the end of a batch: no kernel is left waiting for a next job (the
    kernels of another client's jobs running there are left alone)."""
    from .execute import kernel_pool

    kernel_pool().drop_spare()


def _worker_code() -> tuple[str, str]:
    from .. import __version__

    return __version__, renderer_digest()


class DaskBackend:
    """Jobs as Dask tasks: `pure=False` (every job runs), retried once when a task raises or its worker
    is lost, then reported failed with the reason. One thread per worker process: each job owns a kernel."""

    name = "dask"

    def __init__(self, scheduler: str, workers: int, engine_name: str, isolation: str):
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterUnavailable(_("--scheduler needs Dask: pip install 'ita-helpers[dask]'")) from None
        self.engine_name = engine_name
        self.isolation = isolation
        self.cluster = None
        # A lost worker's task is tried on one other worker, then reported failed. For a cluster started
        # elsewhere this is its scheduler's own setting (distributed.scheduler.allowed-failures).
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            if scheduler == "local":
                try:
                    self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                dashboard_address=None)
                except Exception as err:  # noqa: BLE001 - no port, no memory, no permission...
                    reason = _("cannot start a local Dask cluster: {error}").format(error=err)
                    raise ClusterUnavailable(reason) from None
                self.client = Client(self.cluster)
            else:
                try:
                    self.client = Client(scheduler, timeout=30)
                except (OSError, TimeoutError, ValueError) as err:
                    raise ClusterUnavailable(_("cannot reach the Dask scheduler {address}: {error}").format(
                        address=scheduler, error=err)) from None
                self._check_workers()
        self.futures: dict = {}

    def _check_workers(self) -> None:
        """Every worker must run this very code: another version would render other reports under the
        same resume keys."""
        here = _worker_code()
        others = {address: code for address, code in self.client.run(_worker_code).items() if code != here}
        if others:
            self.client.close()
            found = ", ".join(_("{address} has {version}").format(address=address, version=code[0])
                              for address, code in sorted(others.items()))
            raise ClusterUnavailable(_("Dask workers run other ita-helpers code than this machine (version "
                                       "{version}): {found}; install the same on every worker").format(
                                           version=here[0], found=found))

    def warm(self, formats: tuple[str, ...]) -> None:
        """Nothing to start ahead: the cluster's workers are running already."""

    def submit(self, jobs: list[Job]) -> None:
        futures = self.client.map(_render, jobs, engine_name=self.engine_name, isolation=self.isolation,
                                  pure=False, retries=1)
        self.futures = dict(zip(futures, jobs))

    def completed(self) -> Iterator[tuple[Job, Rendered]]:
        from distributed import as_completed

        for future in as_completed(list(self.futures)):
            interrupt.check()
            try:
                rendered = future.result()
            except Exception as err:  # retried once already: a lost worker or an exception in the job
                rendered = _lost(err)
            job = self.futures.pop(future)
            future.release()
            yield job, rendered

    def abort(self) -> None:
        self.client.cancel(list(self.futures), force=True)
        self.close()

    def close(self) -> None:
        try:
            self.client.run(_drop_spare_kernel)
        except Exception:
            pass  # workers already gone: their kernels die with them (ipykernel watches its parent)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
