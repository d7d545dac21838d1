"""Sarabun, the Thai official-document typeface, from the fontpkg-sarabun package.

The machines that open our reports may have no Thai font at all, so every chart, HTML page
and PDF uses these files, embedded."""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

import fontpkg_sarabun

from .usercache import cached_text

FAMILY = fontpkg_sarabun.FAMILY
FACES = {  # file stem -> (CSS weight, CSS style)
    "Sarabun-Regular": (400, "normal"),
    "Sarabun-Bold": (700, "normal"),
    "Sarabun-Italic": (400, "italic"),
    "Sarabun-BoldItalic": (700, "italic"),
}


def font_path(stem: str) -> Path:
    return fontpkg_sarabun.ROOT / "files" / f"{stem}.ttf"


@cache
def _woff2_base64(stem: str) -> str:
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(stem))
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _font_faces() -> str:
    return "\n".join(f"@font-face {{ font-family: '{FAMILY}'; font-weight: {weight}; font-style: {style}; "
                     f"src: url(data:font/woff2;base64,{_woff2_base64(stem)}) format('woff2'); }}"
                     for stem, (weight, style) in FACES.items())


@cache
def font_face_css() -> str:
    """@font-face rules with the four faces inlined as base64 WOFF2: no file or network needed.
    WOFF2 compression costs ~0.75 s, so the result is kept in the user's cache folder."""
    return cached_text("sarabun.css", b"".join(font_path(stem).read_bytes() for stem in FACES), _font_faces)


# JupyterLab's own font stacks (its theme's --jp-ui-font-family and --jp-content-font-family) with Sarabun
# before the generic family: Latin keeps Lab's face, and each Thai character falls through to Sarabun on a
# machine with no Thai font (a server's Lab, Chromium on Linux), where it would otherwise be a box.
LAB_STACK = ('system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, '
             f"'{FAMILY}', sans-serif")


def lab_font_css() -> str:
    """Sarabun for all of JupyterLab's page, set from a notebook's output: markdown cells, tables, file
    names, menus and widget labels, and form controls (drop-downs, text boxes), which do not inherit a
    font by default. Lab keeps a trusted output's <style>, and these rules last until the page reloads."""
    return (f"{font_face_css()}\n:root {{ --jp-ui-font-family: {LAB_STACK}; --jp-content-font-family: {LAB_STACK}; }}\n"
            ".jp-LabShell select, .jp-LabShell input, .jp-LabShell textarea, .jp-LabShell button "
            "{ font-family: var(--jp-ui-font-family); }")


def register_for_matplotlib() -> None:
    """Make Sarabun the default matplotlib font (matplotlib >= 3.11 shapes Thai correctly)."""
    from matplotlib import font_manager, rcParams

    for stem in FACES:
        font_manager.fontManager.addfont(str(font_path(stem)))
    rcParams["font.family"] = FAMILY
