"""Handing freed memory back to the system. A national score file is read in chunks that are freed once joined;
glibc's allocator keeps such freed pages for later use, so they stay counted against the machine (about a
quarter of the peak of benchmarks/wide_csv.py) unless it is asked to return them."""

from __future__ import annotations

import ctypes
import functools


@functools.cache
def _trim():
    """glibc's malloc_trim, or None where the C library is another (macOS, Windows, musl)."""
    try:
        return ctypes.CDLL(None).malloc_trim  # the libraries the process has loaded
    except (OSError, AttributeError, TypeError):  # TypeError: Windows cannot load None
        return None


def release_freed_memory() -> None:
    """Return the allocator's free pages to the system; nothing happens where that cannot be asked."""
    if (trim := _trim()) is not None:
        trim(0)
