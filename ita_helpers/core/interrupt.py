"""Ctrl-C (and SIGTERM) that is neither lost nor half-done.

- `remembered()`: Python raises KeyboardInterrupt wherever the main thread happens to be. Inside a weakref
  callback or a finalizer (the lock of a module being imported, collected as the import ends) it cannot: it
  prints "Exception ignored in ..." and goes on, and the command then ran to its end (seen in CI: `ita
  report` Ctrl-C'd as it read its data printed that traceback and rendered the report). Within the block an
  interrupt is also noted; `check()`, called where the command waits, raises it again, and the print for
  the dropped one is kept back.
- `held()`: Ctrl-C held back for a block and delivered when it ends: files renamed whole, a worker process
  started whole (a process inherits a blocked signal, so its Python is not cut as it starts)."""

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
    a signal ignored on entry stays ignored (a job a script started in the background), and the handlers and
    hook there before are put back after it. Only the main thread can set handlers: from another thread the
    block changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handled = [number for number in signals or (signal.SIGINT,) if signal.getsignal(number) is not signal.SIG_IGN]
    previous = {number: signal.signal(number, _on_signal) for number in handled}
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
        _noted.clear()  # one command's interrupt does not stop the next one in this process


def came() -> bool:
    """Whether an interrupt came within `remembered()`, even one Python dropped or a library turned into
    another error."""
    return _noted.is_set()


def check() -> None:
    """Raise KeyboardInterrupt if an interrupt came within `remembered()`, even one Python dropped."""
    if came():
        raise KeyboardInterrupt


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C waits until the block ends, then comes as the handler there before would have had it. A process
    started in the block inherits SIGINT blocked (the signal mask of the thread that starts it), so its
    Python is not cut as it starts (`let_through` undoes that there). Only the main thread sets handlers,
    and Windows has no masks: there the block holds back what it can."""
    came: list[int] = []
    previous = None
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hasattr(signal, "pthread_sigmask") else None
    try:
        yield
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # one held by the mask comes now, to the lambda
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if came:
            if callable(previous):
                previous(signal.SIGINT, None)
            raise KeyboardInterrupt


def let_through() -> None:
    """Unblock SIGINT in a process started under `held()`, once it has chosen what Ctrl-C does there."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
