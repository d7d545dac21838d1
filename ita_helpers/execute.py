"""Running a parameterized notebook in-process with papermill, in a fresh kernel of this Python.

Two papermill defaults are changed here: parameter strings keep their Thai letters (papermill
escapes them to \\uXXXX), and the kernel is always this interpreter (`sys.executable`), whatever
`python3` kernelspec happens to be installed."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import nbformat
import papermill
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec
from jupyter_core.utils import run_sync
from papermill.translators import PythonTranslator, papermill_translators


class ReadableThaiTranslator(PythonTranslator):
    """Python literals with Thai kept readable: `org = "กรุงเทพมหานคร"`, not `"\\u0e01..."`."""

    @classmethod
    def translate_str(cls, val: str) -> str:
        return repr(val)


papermill_translators.register("python", ReadableThaiTranslator)


class CurrentPythonKernelManager(AsyncKernelManager):
    """A kernel of the interpreter running us, never another environment's."""

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} ({sys.executable})",
            language="python",
        )


def start_kernel(cwd: Path, registry: set | None = None) -> CurrentPythonKernelManager:
    """Launch a kernel now and return without waiting for it: it boots while other work goes on.
    The manager joins `registry` before the process exists, so a cleanup never misses it."""
    # IPC sockets under a name of their own: TCP ports are picked by binding and releasing, and two
    # kernels started at the same moment can be handed the same port (the client then waits forever).
    km = CurrentPythonKernelManager(transport="ipc",
                                    ip=str(Path(tempfile.gettempdir()) / f"ita-kernel-{uuid.uuid4().hex}"))
    if registry is not None:
        registry.add(km)
    # What cells print or raise is captured in the executed notebook; the kernel's own log is noise.
    run_sync(km.start_kernel)(cwd=str(cwd), stderr=subprocess.DEVNULL)
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
