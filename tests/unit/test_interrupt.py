"""A Ctrl-C that Python drops (raised inside a weakref callback, as when an import's module lock is collected)
still stops the command: core/interrupt.py notes it, keeps back the "Exception ignored" print, and a batch
waiting for its reports raises it (backends.LocalBackend.completed)."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
import weakref
from concurrent.futures import Future

import pytest

from ita_helpers.batch.backends import CHECK_SECONDS, LocalBackend
from ita_helpers.batch.jobs import Job, Rendered
from ita_helpers.core import interrupt


class Collected:
    pass


def ctrl_c_inside_a_weakref_callback() -> list[str]:
    """SIGINT to this process while Python runs a weakref callback: its KeyboardInterrupt is dropped there.
    Returns where the callback got to, to show the interrupt came inside it."""
    reached = []

    def callback(_ref):
        reached.append("callback")
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between these bytecodes, inside the callback
            pass
        reached.append("callback ended")  # never: the KeyboardInterrupt ends the callback

    thing = Collected()
    ref = weakref.ref(thing, callback)
    del thing
    gc.collect()
    assert ref() is None
    reached.append("went on")
    return reached


def test_a_dropped_ctrl_c_is_noted_and_not_printed(capsys):
    with interrupt.remembered():
        reached = ctrl_c_inside_a_weakref_callback()
        assert reached == ["callback", "went on"]  # raised in the callback, dropped by Python: the code went on
        with pytest.raises(KeyboardInterrupt):
            interrupt.check()
    assert capsys.readouterr().err == ""  # no "Exception ignored in: <function ...callback>"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # pytest's hook reports it
def test_without_it_python_drops_the_ctrl_c():
    """What the module is for: under Python's own handler the same interrupt is lost; the code goes on."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert ctrl_c_inside_a_weakref_callback() == ["callback", "went on"]


def test_the_handlers_before_are_put_back():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with interrupt.remembered(signal.SIGINT, signal.SIGTERM):
        assert signal.getsignal(signal.SIGTERM) is signal.getsignal(signal.SIGINT) is not before[0]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_a_batch_waiting_for_its_reports_stops_at_a_dropped_ctrl_c():
    backend, report = LocalBackend(1, "-", "fresh"), Future()
    backend.started[report] = Job("หน่วยงาน", 2566, {}, (), ("html",))
    comes = threading.Timer(CHECK_SECONDS + 3, report.set_result, [Rendered()])  # without the check: this one
    with interrupt.remembered():
        ctrl_c_inside_a_weakref_callback()
        waited = time.monotonic()
        comes.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                next(backend.completed())
        finally:
            comes.cancel()
        assert time.monotonic() - waited < CHECK_SECONDS + 1


def test_one_commands_interrupt_does_not_stop_the_next():
    with pytest.raises(KeyboardInterrupt), interrupt.remembered():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)  # the KeyboardInterrupt comes here
    interrupt.check()  # the next command, in the same process (tests, a notebook), starts afresh


def test_a_signal_ignored_on_entry_stays_ignored():
    """A job a script started in the background (`ita run … &`) ignores Ctrl-C typed in the foreground."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupt.remembered(signal.SIGINT, signal.SIGTERM):
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)
            interrupt.check()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_held_delivers_the_ctrl_c_when_the_block_ends():
    steps = []
    with pytest.raises(KeyboardInterrupt), interrupt.remembered():
        with interrupt.held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
            steps.append("block done")  # a file renamed, a worker started: whole
        steps.append("after the block")  # never
    assert steps == ["block done"]


def test_ctrl_c_while_the_worker_starts_ahead_leaves_no_worker(monkeypatch):
    """`ita report` starts its worker ahead under interrupt.held(); a Ctrl-C held back there comes as the start
    ends, inside warm_backend, which stops that worker (it used to be left booting, and a second Ctrl-C hung)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ita_helpers.batch import backends

    submit = ProcessPoolExecutor.submit

    def submit_then_ctrl_c(pool, *args, **kwargs):
        future = submit(pool, *args, **kwargs)  # the worker is started by this call
        os.kill(os.getpid(), signal.SIGINT)
        return future

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt), interrupt.remembered():
        backends.warm_backend(("html",), isolation="fresh")
    assert multiprocessing.active_children() == []
