"""Types of the `ita` command's options, and the options several commands share: a bad value is a usage error
naming the option and what it takes, before any file is read. Light to import: the parser is built before
anything heavy."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from ..core.i18n import _
from ..core.thai import LOWEST_BE_YEAR, to_arabic_digits
from ..domain.names import clean_name, name_problem


def score(text: str) -> float:
    """A score from 0 to 100, e.g. `--threshold 85` (Thai digits accepted; nan and inf are not scores)."""
    try:
        value = float(to_arabic_digits(text).strip())
    except ValueError:
        value = math.nan
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(_("{value} is not a score from 0 to 100").format(value=repr(text)))
    return value


def _whole_number(text: str) -> int | None:
    """`text` as a whole number (Thai digits accepted), or None."""
    try:
        return int(to_arabic_digits(text).strip())
    except ValueError:
        return None


def year(text: str) -> int:
    """A fiscal year in the Buddhist Era, e.g. `--year 2566` or `--year ๒๕๖๖`."""
    value = _whole_number(text)
    if value is None or value < LOWEST_BE_YEAR:
        raise argparse.ArgumentTypeError(_("{value} is not a fiscal year of the Buddhist Era (B.E.), e.g. 2566").format(
            value=repr(text)))
    return value


def workers(text: str) -> int:
    """A number of parallel workers: a whole number, 1 or more."""
    value = _whole_number(text)
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(_("{value} is not a whole number of 1 or more").format(value=repr(text)))
    return value


def port(text: str) -> int:
    """A TCP port, 0 (any free port) to 65535."""
    value = _whole_number(text)
    if value is None or not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(_("{value} is not a port from 0 to 65535").format(value=repr(text)))
    return value


def agency(text: str) -> str:
    """An agency's name as the score files' names are read (`names.clean_name`)."""
    name = clean_name(text)
    rule = name_problem(name) if name else _("the name is empty")
    if rule:
        raise argparse.ArgumentTypeError(_("{value}: {rule}").format(value=repr(text), rule=rule))
    return name


def path(text: str) -> Path:
    """A file or folder name; the NUL character names none."""
    if "\0" in text:
        raise argparse.ArgumentTypeError(_("{value} cannot name a file: it holds the character NUL").format(
            value=repr(text)))
    return Path(text)


def agency_year(parser: argparse.ArgumentParser) -> None:
    """--org and --year, both required: the agency-year a command makes one document of."""
    parser.add_argument("--org", required=True, type=agency, help=_("agency, as named in the score files"))
    parser.add_argument("--year", required=True, type=year, help=_("results fiscal year (B.E.)"))
