"""Safe folder names for agency names from users' files, a check that a path stays inside its root, and the
files a folder gathers that are nobody's data."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from .errors import Problem
from .i18n import _

MAX_BYTES = 200  # UTF-8 bytes before the hash suffix; filesystems allow 255
HASH_DIGITS = 16  # 64 bits: a chance collision needs ~4 billion changed names (10 digits allowed ~1 million)
FORBIDDEN = set('/\\<>:"|?*')  # Linux and macOS forbid '/' only; Windows the rest
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            *(f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³")}
LOOKS_HASHED = re.compile(rf"-[0-9a-f]{{{HASH_DIGITS}}}\Z")


def folder_name(name: str) -> str:
    """`name` as one path component safe on Linux, macOS and Windows; unchanged if it already is.

    Any change appends `-` and the start of the SHA-256 of `name`, so distinct names get distinct
    folders, also on case-insensitive filesystems (names that are not already case-folded count
    as changed, as do names that already end like a hash suffix).
    """
    text = " ".join(_clean(unicodedata.normalize("NFC", name)).split()).rstrip(". ")
    text = _cut(text, MAX_BYTES).rstrip(". ")
    if not text:
        text = "_"
    if text.split(".", 1)[0].rstrip(" ").upper() in RESERVED:
        text = "_" + text
    if text == name and text == text.casefold() and not LOOKS_HASHED.search(text):
        return text
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{text}-{digest[:HASH_DIGITS]}"


def inside(root: Path, *parts: str) -> Path:
    """`root` joined with `parts`, resolved; ValueError unless it lies strictly inside `root`."""
    base = Path(root).resolve()
    path = base.joinpath(*parts).resolve()
    if path == base or not path.is_relative_to(base):
        raise ValueError(f"{path} is not inside {base}")
    return path


def _clean(text: str) -> str:
    """Whitespace becomes a space; separators, Windows-forbidden and invisible characters `_`.

    All format characters go, ZWJ/ZWNJ included: Thai needs none, and they make look-alike names.
    """
    return "".join(
        " " if char.isspace()
        else "_" if char in FORBIDDEN or unicodedata.category(char) in ("Cc", "Cf", "Cs")
        else char
        for char in text)


def _cut(text: str, limit: int) -> str:
    """The longest prefix within `limit` UTF-8 bytes that keeps each base character with its marks."""
    if len(text.encode()) <= limit:
        return text
    end = len(text.encode()[:limit].decode(errors="ignore"))
    keep = end
    while keep > 0 and unicodedata.category(text[keep]).startswith("M"):
        keep -= 1  # text[keep] is a mark of the character before it: cut before that base too
    return text[:keep or end]


def is_clutter(path: Path) -> bool:
    """Files a folder gathers that are nobody's data: Excel's `~$` lock files, hidden and system files."""
    return path.name.startswith(("~$", ".")) or path.name.lower() in ("thumbs.db", "desktop.ini")


def special_file(path: Path) -> bool:
    """Whether a path is neither a regular file nor a folder (a pipe, a device, a link to /dev/zero): reading
    one may wait for ever or never end, so it is refused by name before it is opened."""
    return path.exists() and not path.is_file() and not path.is_dir()


def special_file_problem(path: Path) -> Problem:
    return Problem(str(path), _("not a regular file (a pipe, a device or a link to one): save the data as "
                                "an ordinary file"))


def write_named(path: Path, data: bytes) -> None:
    """Write `path` whole, or remove what was written and raise an OSError that names it: a write that
    fails (ENOSPC, EDQUOT, EIO) raises one without a file name, so the message could not say where."""
    try:
        path.write_bytes(data)
    except OSError as err:
        path.unlink(missing_ok=True)
        if err.filename is None:
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise
