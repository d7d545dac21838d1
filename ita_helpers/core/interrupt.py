"""Ctrl-C (and SIGTERM) that is never lost.

Python raises KeyboardInterrupt wherever the main thread happens to be. Inside a weakref callback or a
finalizer (the lock of a module being imported, collected as the import ends) Python cannot raise it: it
prints "Exception ignored in ..." and goes on, and the command then ran to its end (seen in CI: `ita report`
Ctrl-C'd as it read its data printed that traceback and rendered the report). Within `remembered()`, an
interrupt is also noted; `check()` raises it again where waiting is done, and the note printed for the
dropped one is kept back."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_noted = threading.Event()


def _on_signal(signum, frame) -> None:
    _noted.set()
    raise KeyboardInterrupt


@contextmanager
def remembered(*signals: int) -> Iterator[None]:
    """Within the block, `signals` (SIGINT unless given) raise KeyboardInterrupt and are noted for `check()`;
    the handlers and hook there before are put back after it. Only the main thread can set handlers: from
    another thread the block changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _noted.clear()
    previous = {number: signal.signal(number, _on_signal) for number in signals or (signal.SIGINT,)}
    hook = sys.unraisablehook

    def unraisable(dropped) -> None:
        if not isinstance(dropped.exc_value, KeyboardInterrupt):  # a dropped interrupt is noted: check() tells
            hook(dropped)

    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for number, handler in previous.items():
            signal.signal(number, handler)


def check() -> None:
    """Raise KeyboardInterrupt if an interrupt came within `remembered()`, even one Python dropped."""
    if _noted.is_set():
        raise KeyboardInterrupt
