"""Freed memory handed back: a national file's chunks, freed once joined, must leave the process's RSS."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO_ROOT

# Many 64 KB blocks (under glibc's mmap threshold, so on its heap) freed below one still held: free() alone
# cannot shrink the heap past the held block, malloc_trim returns the pages in between.
SCRIPT = """
import psutil
from ita_helpers.core.memory import release_freed_memory
def rss(): return psutil.Process().memory_info().rss
blocks = [bytearray(b"x" * 65536) for _ in range(3000)]
held = bytearray(b"y" * 65536)
del blocks
freed = rss()
release_freed_memory()
print(freed - rss())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator (Linux)")
def test_freed_pages_leave_the_process():
    returned = int(subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True,
                                  check=True).stdout)
    assert returned > 150e6  # of the 197 MB freed

