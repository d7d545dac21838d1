"""Fork-server kernels: a template process imports the report's stack once, and each report's kernel
is a child forked from it, so a kernel starts with pandas, matplotlib, seaborn and ita_helpers
already loaded (about 1.2 s of CPU per report saved on this machine).

Isolation is kept: every report still runs in a new process, forked from a template that never ran a
report. The template holds no threads and no ZMQ context when it forks (it checks before it says it
is ready); BLAS runs one thread (in fresh kernels too, so both compute alike); the child gets its own
connection file and IPC sockets, a session of its own, numpy's global random state reseeded, and dies
with the template however the template ends. Prior art: SageMathCell forks kernels
from a preloaded parent; ipykernel has no such mode, so it is a kernel provisioner of ours
(`ita-fork`, an entry point of jupyter_client, in `provisioner`).

Only where `os.fork` is safe and exits can be watched without being the parent (Linux, pidfd), and
the provisioner is installed: elsewhere (or when the template cannot start), and with `--isolation
fresh`, kernels are started fresh.

The template and the process that uses it speak JSON lines over the template's stdin and stdout:
`{"argv": [...], "cwd": "...", "env": {...}}` in, `{"pid": N}` out. Children are reaped by the
template at each request and when it ends; when its stdin closes (its user ended, however it ended)
it kills the kernels still alive and leaves."""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO

from ..core.i18n import _
from ..core.resources import BUNDLED_DATA, NOTEBOOKS
from ..core.timeline import mark

ISOLATIONS = ("fork", "fresh")
PROVISIONER = "ita-fork"  # the entry point in pyproject.toml
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
INLINE = "module://matplotlib_inline.backend_inline"  # what ipykernel sets before a kernel imports matplotlib
# What a kernel imports while it starts (its debugger, pdb, the history database) and the report's stack.
PRELOADED = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython.core.debugger",
             "sqlite3", "faulthandler", "pandas", "seaborn")


@functools.cache
def fork_available() -> bool:
    """Forking a preloaded template is safe and watchable here (Linux with pidfds that the kernel and the
    sandbox allow) and the `ita-fork` provisioner is installed."""
    from importlib.metadata import entry_points

    if not (sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and hasattr(signal, "pidfd_send_signal")):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:  # ENOSYS before Linux 5.3, EPERM under some seccomp profiles
        return False
    return bool(entry_points(group="jupyter_client.kernel_provisioners", name=PROVISIONER))


def default_isolation() -> str:
    return "fork" if fork_available() else "fresh"


def template_environment() -> dict[str, str]:
    """The template's environment: the kernel's, plus one BLAS thread and the inline backend chosen
    before matplotlib is imported (as ipykernel does in a fresh kernel)."""
    return dict(os.environ) | ONE_THREAD | {"MPLBACKEND": INLINE}


# ---- the template process (python -m ita_helpers.forkserver) ------------------------------------------

def preload() -> None:
    """Import what a report imports, parse the bundled methodology, register Sarabun and draw one figure
    (fonts and Agg warmed up).
    The figure is drawn without pyplot, so the inline backend is loaded by each kernel's own first
    chart, after its shell exists, exactly as in a fresh kernel."""
    import importlib
    import io

    from matplotlib.figure import Figure

    for module in PRELOADED:
        importlib.import_module(module)

    from ..analysis import report  # noqa: F401 (what a report's kernel imports)
    from ..core.fonts import FAMILY, register_for_matplotlib
    from ..document import narrative, plots, sections  # noqa: F401
    from ..domain.methodology import load_methodology

    load_methodology(BUNDLED_DATA / "methodology.yaml")  # a report's slice carries the same text, parsed here once
    register_for_matplotlib()
    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "ผลการประเมิน ITA ๒๕๖๖", family=FAMILY)
    figure.savefig(io.BytesIO(), format="png")


def unsafe_to_fork() -> str | None:
    """Why this process must not fork kernels, or None."""
    import zmq

    threads = len(os.listdir("/proc/self/task"))
    if threads != 1:
        return f"the template has {threads} threads"
    if getattr(zmq.Context, "_instance", None) is not None:
        return "the template has a ZMQ context"
    return None


def die_with_parent() -> None:
    """Have Linux kill this process when its parent ends (PR_SET_PDEATHSIG), however it ends. Safe in a
    kernel forked from the template, whose one thread is the parent."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def become_kernel(line: bytes, protocol: tuple[int, ...]) -> None:
    """In the forked child: die with the template, shed its pipes and signal settings, then run an IPython
    kernel as `python -m ipykernel_launcher -f CONNECTION` would. Never returns."""
    code = 1
    try:
        die_with_parent()
        request = json.loads(line)
        for fd in protocol:
            os.close(fd)
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # as jupyter_client starts kernels: a session and process group of its own
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        if sys.path and Path(sys.path[0]) == Path.cwd():  # as ipykernel_launcher drops the folder it ran in
            del sys.path[0]
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        arguments = [*request["argv"][3:], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = [request["argv"][0], *arguments]
        import numpy

        numpy.random.seed()  # a fresh kernel starts from fresh entropy, not the template's state
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance(argv=arguments)
        code = 0
    finally:
        os._exit(code)


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The template's loop: one forked kernel per request line, until `requests` closes."""
    children: set[int] = set()

    def reap() -> None:
        for pid in list(children):
            if os.waitpid(pid, os.WNOHANG)[0]:
                children.discard(pid)

    def reply(message: dict) -> None:
        replies.write(json.dumps(message).encode() + b"\n")
        replies.flush()

    preload()
    unsafe = unsafe_to_fork()
    if unsafe:  # say so and fork nothing
        reply({"error": unsafe})
        return
    gc.freeze()  # the preloaded objects are never collected, so children do not copy their pages to do it
    mark("template: imports done, ready to fork")
    reply({"ready": os.getpid()})
    try:
        for line in requests:
            reap()
            pid = os.fork()
            if pid == 0:
                become_kernel(line, (requests.fileno(), replies.fileno()))
            children.add(pid)
            reply({"pid": pid})
    except OSError:  # the asker is gone (a broken pipe) or no process can be forked: end, as below
        pass
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def main() -> None:
    """Entry of the template process: the protocol on stdin and a private copy of stdout; anything
    else printed goes to stderr, so nothing a library prints can corrupt a reply."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process to decide
    # No PDEATHSIG here: it follows the thread that started the template (a Dask worker's thread may end
    # while its process goes on). The end of stdin follows the process: it comes however the process ends.
    serve(sys.stdin.buffer, replies)


# ---- the side that asks for kernels ------------------------------------------------------------------

class ForkServerError(RuntimeError):
    pass


class ForkServer:
    """One template process, started on first use without waiting for it (it imports while its starter
    goes on); asked for kernels from any thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.errors = tempfile.TemporaryFile()  # what the template says when it cannot start
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ita_helpers.batch.forkserver"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.errors, cwd=NOTEBOOKS, env=template_environment())
        self.ready = False

    def wait_ready(self) -> None:
        """Wait for the template's first reply (under the lock): ready, or why it cannot fork."""
        if self.ready:
            return
        ready = self._reply()
        if "ready" not in ready:
            self.close()
            raise ForkServerError(_("the kernel template cannot fork kernels: {reason}").format(reason=ready["error"]))
        self.ready = True

    def _reply(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.errors.seek(0)
            said = [text for text in self.errors.read().decode(errors="replace").splitlines() if text.strip()]
            raise ForkServerError(_("the kernel template ended (exit code {code}){said}").format(
                code=self.process.wait(), said=f": {said[-1]}" if said else ""))
        return json.loads(line)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, argv: list[str], cwd: str, env: dict[str, str]) -> ForkedKernel:
        """A new kernel process forked from the template. Its pidfd is opened before another request can
        reap it, so it names this very process."""
        with self.lock:
            self.wait_ready()
            try:
                self.process.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env}).encode() + b"\n")
                self.process.stdin.flush()
            except OSError:  # the template is gone: its reply (none) says how
                pass
            return ForkedKernel(self._reply()["pid"])

    def close(self) -> None:
        """End the template, which kills the kernels it forked that are still alive (and they die with it
        if it has to be killed)."""
        try:
            self.process.stdin.close()
        except OSError:  # a broken pipe: the template is gone already
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.errors.close()


_server: ForkServer | None = None
_server_lock = threading.Lock()


def fork_server() -> ForkServer:
    """This process's template, started on first use and again if it has died."""
    global _server
    with _server_lock:
        if _server is None or not _server.alive:
            _server = ForkServer()
        return _server


def kill_fork_server() -> None:
    """Kill this process's template now, without waiting or locking (from a signal handler): a template still
    importing would see its stdin close only once its imports are done, after its worker is gone."""
    server = _server
    if server is not None:
        server.process.kill()


def close_fork_server() -> None:
    global _server
    with _server_lock:
        server, _server = _server, None
    if server is not None:
        server.close()


class ForkedKernel:
    """A forked kernel seen from the process that asked for it (not its parent): a Popen-like handle
    on a pidfd, which cannot signal another process that later got the same pid."""

    def __init__(self, pid: int):
        self.pid = pid
        # Open as long as this handle lives: a thread may wait on it while another kills the kernel.
        self.pidfd = os.pidfd_open(pid)
        self.returncode: int | None = None

    def _ended(self, timeout: float | None) -> bool:
        if self.returncode is None and select.select([self.pidfd], [], [], timeout)[0]:
            self.returncode = 0  # its exit status is its parent's (the template's) to know
        return self.returncode is not None

    def poll(self) -> int | None:
        self._ended(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if not self._ended(timeout) and timeout is not None:
            raise subprocess.TimeoutExpired(str(self.pid), timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            signal.pidfd_send_signal(self.pidfd, signum)
        except ProcessLookupError:  # ended since: nothing to signal
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def __del__(self) -> None:
        os.close(self.pidfd)

    stdin = stdout = stderr = None  # LocalProvisioner.wait closes these when set


if __name__ == "__main__":
    main()
