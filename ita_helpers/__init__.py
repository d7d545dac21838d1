"""ITA notebook analysis suite: load, score and report Thai ITA results."""

from __future__ import annotations

import functools
import sys


def _skip_uri_grammar() -> None:
    """jsonschema, which nbformat imports, builds the grammar of the rfc3987-syntax package at import when
    that package is installed (JupyterLab brings it): 0.9 s of CPU in each process that reads a notebook,
    for URI formats that no notebook schema checks. Unless jsonschema is loaded already, it finds the
    package absent and skips that check."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


_skip_uri_grammar()


@functools.cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ita-helpers")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    """`__version__` looked up when asked for: importlib.metadata costs `ita score` a twentieth of its second."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
