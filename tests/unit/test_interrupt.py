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
