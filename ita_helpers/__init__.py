"""ITA notebook analysis suite: load, score and report Thai ITA results."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ita-helpers")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
