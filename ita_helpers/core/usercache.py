"""Results worth keeping between runs, in the user's cache folder (`~/.cache/ita-helpers`), each named by
a digest of what it was computed from: changed inputs get a new name, never a stale result. A folder that
cannot be written only means computing again next time."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ita-helpers"


def cached_text(name: str, inputs: bytes, compute: Callable[[], str]) -> str:
    """The text `compute()` returns for `inputs`, computed once per machine: `name-DIGEST` in the cache."""
    path = cache_folder() / f"{name}-{hashlib.sha256(inputs).hexdigest()[:16]}"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home: compute again next time
    return text
