"""Probe finding (issue 19): after Ctrl-C, `ita run` could print its summary and never end. A worker cut
while sending its result leaves half a message in the pool's result pipe; the pool's thread waits for the
rest for ever and the interpreter joins that thread at exit. `stop_pool` ends the wait, or abandons the
thread and leaves at exit with the exit code of Ctrl-C. Each case runs in a process of its own (no kernel)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import REPO_ROOT

SCRIPT = """
import multiprocessing, os, struct, sys, threading, time
from concurrent.futures import ProcessPoolExecutor
from ita_helpers.batch.backends import stop_pool

if __name__ == "__main__":
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    futures = [pool.submit(time.sleep, 60) for _ in range(4)]
    while len(pool._processes) < 2 or not all(p.pid for p in pool._processes.values()):
        time.sleep(0.05)
    time.sleep(0.5)
    writer = pool._result_queue._writer.fileno()
    if {keep_writer}:  # another writer the pool does not know of: the thread's wait cannot be ended
        os.dup(writer)
    os.write(writer, struct.pack("!i", 1000) + b"cut" * 3)  # a result promised 1,000 bytes, 9 sent
    time.sleep(0.3)
    started = time.monotonic()
    stop_pool(pool, grace=1.0)
    print(f"stopped in {{time.monotonic() - started:.1f}} s", "pool thread alive" if any(
        thread.name.startswith("Thread-") for thread in threading.enumerate()) else "pool thread ended")
    print("summary")
    sys.exit(130)
"""


@pytest.mark.parametrize("keep_writer, thread", [(False, "pool thread ended"), (True, "pool thread alive")])
def test_a_pool_cut_mid_result_is_stopped_and_the_process_ends(tmp_path, keep_writer, thread):
    script = tmp_path / "cut.py"
    script.write_text(SCRIPT.format(keep_writer=keep_writer), encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    took = time.monotonic() - started
    lines = done.stdout.splitlines()
    assert done.returncode == 130 and lines[1:] == ["summary"], (done.stdout, done.stderr)
    assert lines[0].endswith(thread)
    stopped = float(lines[0].split()[2])
    assert stopped <= (2.5 if keep_writer else 0.5)  # terminate at once; an abandoned thread costs the grace
    assert took < 20


TRACKER_SCRIPT = """
import multiprocessing, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker
from ita_helpers.batch.backends import _quiet_resource_tracker

if __name__ == "__main__":
    if {quiet}:
        _quiet_resource_tracker()  # as LocalBackend.submit does before its pool
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(time.sleep, 0).result()
    # what a worker cut by Ctrl-C leaves: the tracker holds the name of a semaphore already unlinked
    resource_tracker.register("/mp-ita-test-gone", "semaphore")
"""


@pytest.mark.parametrize("quiet", [False, True])
def test_the_resource_tracker_says_nothing_in_english_after_a_batch(quiet):
    done = subprocess.run([sys.executable, "-c", TRACKER_SCRIPT.format(quiet=quiet)], capture_output=True, text=True,
                          env=os.environ | {"PYTHONPATH": str(REPO_ROOT)}, timeout=60)
    assert done.returncode == 0
    if quiet:
        assert done.stderr == ""
    else:  # the event it silences happens
        assert "resource_tracker: '/mp-ita-test-gone': [Errno 2] No such file or directory" in done.stderr


UNSTARTED_SCRIPT = """
import multiprocessing, sys, threading, time
from concurrent.futures import ProcessPoolExecutor
from ita_helpers.batch.backends import stop_pool

if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    # Ctrl-C inside submit(), as the pool starts its thread: the thread object is there, not yet started
    pool._executor_manager_thread = threading.Thread(target=time.sleep, args=(60,))
    stop_pool(pool, grace=1.0)
    print("summary")
    sys.exit(130)
"""


def test_a_pool_interrupted_while_it_starts_its_thread_is_stopped_without_an_internal_error():
    """Seen in 3 of 40 Ctrl-C at the moment the workers appeared: stop_pool joined the pool's thread before it
    had started, and `ita run` ended with "unexpected error (RuntimeError)", exit 3, instead of its summary."""
    done = subprocess.run([sys.executable, "-c", UNSTARTED_SCRIPT], capture_output=True, text=True, timeout=60,
                          env=os.environ | {"PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 130 and done.stdout.splitlines() == ["summary"], done.stderr
    assert "RuntimeError" not in done.stderr


# A worker terminated while it still imports (ita report refused, or up to date, as its worker starts): the
# SIGTERM handler runs in the middle of render.page's import.
TERMINATED_WHILE_IMPORTING = """
import os, signal, sys
from ita_helpers.batch import backends

class StopHere:
    def find_spec(self, name, path=None, target=None):
        if name == "ita_helpers.render.colophon" and "ita_helpers.render.page" in sys.modules:
            os.kill(os.getpid(), signal.SIGTERM)
        return None

signal.signal(signal.SIGTERM, backends._on_terminate)
sys.meta_path.insert(0, StopHere())
from ita_helpers.render import page
print("not stopped")
"""


def test_a_worker_terminated_while_importing_leaves_quietly():
    done = subprocess.run([sys.executable, "-c", TERMINATED_WHILE_IMPORTING], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=60)
    assert "not stopped" not in done.stdout  # the signal came mid-import, as meant
    assert (done.returncode, done.stderr) == (128 + 15, "")
