"""The interface language: Thai by default, English with `ita --lang en` or the environment variable
ITA_LANG=en (which local workers and kernels inherit; each job also carries it to Dask workers).

Messages are written in English in the code, marked with `_()`, and looked up in the gettext catalog
compiled into `ita_helpers/locale/th/LC_MESSAGES/ita.mo`. `make messages` extracts them with Babel,
merges them into the Thai catalog and compiles it; a test fails when a message lacks a translation or
the compiled catalog is older than its source."""

from __future__ import annotations

import argparse
import functools
import gettext
import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "ita"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("th", "en")
ENVIRONMENT = "ITA_LANG"


def N_(message: str) -> str:
    """Marks a message to translate where it is used, not where it is written (Babel extracts it)."""
    return message


def language() -> str:
    """`th` unless ITA_LANG asks for another known language (`en`, `en_US.UTF-8`, ...)."""
    asked = os.environ.get(ENVIRONMENT, "").strip().lower()[:2]
    return asked if asked in LANGUAGES else "th"


def set_language(lang: str) -> None:
    """Use `lang` here and in every process started from now on (workers, kernels)."""
    os.environ[ENVIRONMENT] = lang


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """argparse says "usage:", "options" and its errors through gettext's global domain: for the time of
    parsing, point that at our catalog in the interface language, so `ita --help` and usage errors are
    Thai too; then put back what was there (a host process, a kernel, a test session keep theirs)."""
    domain, languages = gettext.textdomain(), os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = language()
    gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
    gettext.textdomain(DOMAIN)
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if languages is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = languages


# argparse's own messages that users meet, translated in our catalog (see argparse_in_language).
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("the following arguments are required: %s"), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("unrecognized arguments: %s"), N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()  # the messages are written in English
    return gettext.translation(DOMAIN, LOCALE_DIR, [lang])


def _(message: str, lang: str | None = None) -> str:
    """`message` in the interface language (or in `lang`: documents such as the index are Thai)."""
    return catalog(lang or language()).gettext(message)



def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` (Thai has one; English two)."""
    return catalog(language()).ngettext(singular, plural, count)


class HelpFormatter(argparse.HelpFormatter):
    """Help lines broken only at spaces: Thai writes a phrase without them, and argparse's break inside one
    cuts a word in two or parts a vowel from its letter. A phrase longer than the line runs past it."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_long_words=False, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser with `HelpFormatter`, for every subcommand too (subparsers take the class of
    their parent)."""

    def __init__(self, *args, formatter_class: type[argparse.HelpFormatter] = HelpFormatter, **kwargs):
        super().__init__(*args, formatter_class=formatter_class, **kwargs)
