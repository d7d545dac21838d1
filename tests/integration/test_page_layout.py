"""The printed report reads as an official document: its A4 pages are filled, a heading never ends a page,
no line is cut at a page's foot. Measured on the seed report's PDF as Chromium prints it (slow)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import BMA, REPO_ROOT, require
from ita_helpers.cli.main import main
from ita_helpers.render.pdf import find_chromium

PAGE_CSS = REPO_ROOT / "ita_helpers" / "render" / "templates" / "report.css"
A4_HEIGHT_MM = 297.0
MIN_FILL = 0.60  # of the text area, on every page but the last of a part and the last of the document
DPI = 40  # enough to see a line of text; a chart is vector graphics, so ink rows catch it as they catch text
INK = 245  # a grey level darker than this is printed (table heads are #e8eef4, 235)
SLIVER_MM = 2.5  # ink this short at the very foot of the text area, apart from what is above it, is the
# tops of a line printed on the next page (a whole line of the smallest type is taller)
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Page:
    number: int
    fill: float  # how far down the text area the lowest printed block reaches, 0..1
    slivers: list[float]  # the heights (mm) of stray marks below that block
    lines: list[str]  # the page's lines of text inside the text area, top to bottom


def text_area_mm() -> tuple[float, float]:
    """The top and bottom of the page's text area (mm from the sheet's top), from report.css's @page."""
    margins = re.search(r"@page\s*{[^}]*?margin:\s*([\d.]+)mm\s+[\d.]+mm\s+([\d.]+)mm", PAGE_CSS.read_text())
    assert margins, "report.css sets @page { margin: TOP RIGHT BOTTOM LEFT } in mm"
    top, bottom = map(float, margins.groups())
    return top, A4_HEIGHT_MM - bottom


def ink_blocks(pdf: Path) -> list[tuple[float, list[float]]]:
    """Per page: the lowest printed row of the text area as a share of its height, and the stray marks
    under it. The page is rendered as a small grey image: its lowest rows with ink, text or chart alike."""
    top_mm, bottom_mm = text_area_mm()
    with tempfile.TemporaryDirectory(prefix="ita-pages-") as scratch:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), f"{scratch}/p"], check=True)
        images = sorted(Path(scratch).glob("p-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = []
        for image in images:
            pixels = np.asarray(Image.open(image))
            px_per_mm = pixels.shape[0] / A4_HEIGHT_MM
            area = pixels[round(top_mm * px_per_mm):round(bottom_mm * px_per_mm)]
            rows = np.flatnonzero((area < INK).any(axis=1))
            runs = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1) if rows.size else []
            slivers = []
            while len(runs) > 1 and len(runs[-1]) / px_per_mm < SLIVER_MM and runs[-1][-1] >= len(area) - 2:
                slivers.append(round(len(runs.pop()) / px_per_mm, 1))  # marks cut at the text area's foot
            pages.append((0.0 if not runs else (runs[-1][-1] + 1) / len(area), slivers))
        return pages


def text_lines(pdf: Path) -> list[list[str]]:
    """Per page: its lines of text inside the text area (the page number below it left out), top to bottom,
    as poppler's `pdftotext -bbox-layout` places them."""
    top_mm, bottom_mm = text_area_mm()
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    pages = []
    for page in ET.fromstring(layout).iter(f"{XHTML}page"):
        pt_per_mm = float(page.get("height")) / A4_HEIGHT_MM
        top, bottom = top_mm * pt_per_mm - 2, bottom_mm * pt_per_mm + 2
        lines = [(float(line.get("yMin")), " ".join(w.text or "" for w in line.iter(f"{XHTML}word")))
                 for line in page.iter(f"{XHTML}line")
                 if top <= float(line.get("yMin")) and float(line.get("yMax")) <= bottom]
        pages.append([text for _y, text in sorted(lines, key=lambda yl: yl[0])])
    return pages


def measure(pdf: Path) -> list[Page]:
    blocks, lines = ink_blocks(pdf), text_lines(pdf)
    assert len(blocks) == len(lines)
    return [Page(n, fill, slivers, text) for n, ((fill, slivers), text) in enumerate(zip(blocks, lines), 1)]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", text)))


def headings(page_html: str, level: int, where: str = "") -> list[str]:
    return [squeezed(text) for text in re.findall(rf"<h{level}\b[^>]*{where}[^>]*>(.*?)</h{level}>", page_html, re.S)]


def starts_with_one_of(line: str, texts: list[str]) -> bool:
    line = squeezed(line)
    return bool(line) and any(text.startswith(line) for text in texts)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[list[Page], str]:
    """The seed report (BMA, FY2566) as Chromium prints it: its pages measured, and its HTML."""
    require(find_chromium(), "Chromium")
    require(shutil.which("pdftoppm") and shutil.which("pdftotext"), "poppler-utils")
    out = tmp_path_factory.mktemp("pages")
    assert main(["report", "--org", BMA, "--year", "2566", "--out", str(out), "--engine", "chromium"]) == 0
    folder = out / "2566" / BMA
    return measure(folder / "report.pdf"), (folder / "report.html").read_text(encoding="utf-8")


def test_every_page_is_filled_but_the_last_of_a_part(printed):
    """A part (the numbered h2 sections ๑-๔) may end on a short page, and so may the document; no other page
    is less than 60% full. (Lab's print rules kept every output whole, so a table that did not fit in what
    was left of a page moved on and left it half or three quarters empty.)"""
    pages, page_html = printed
    parts = headings(page_html, 2, "id=['\"]part-")
    assert len(parts) == 4
    appendix = headings(page_html, 2, "id=['\"]ita-appendix")  # on a sheet of its own: part ๔ ends before it
    starts = [n for n, page in enumerate(pages, 1)
              if page.lines and starts_with_one_of(page.lines[0], parts + appendix)]
    short = [(page.number, f"{page.fill:.0%}") for page in pages[:-1]
             if page.fill < MIN_FILL and page.number + 1 not in starts]
    assert short == [], f"pages under {MIN_FILL:.0%} full: {short}; fill: {[f'{p.fill:.0%}' for p in pages]}"
    assert all(page.fill > 0 for page in pages), "an empty page"


def test_no_line_is_cut_at_a_pages_foot(printed):
    """Thai marks above a heading that starts a page stay on that page (Lab's headings had line-height 1 and
    left the tops of their tone marks at the foot of the page before)."""
    pages, _html = printed
    assert [(page.number, page.slivers) for page in pages if page.slivers] == []


def test_a_heading_never_ends_a_page(printed):
    """A part's or a chart's heading is printed on the page of what it heads; a table caption too."""
    pages, page_html = printed
    titles = headings(page_html, 2) + headings(page_html, 3) + [
        squeezed(c) for c in re.findall(r"<caption>(.*?)</caption>", page_html, re.S)]
    ends = [(page.number, page.lines[-1]) for page in pages[:-1]
            if page.lines and starts_with_one_of(page.lines[-1], titles)]
    assert ends == []


def test_a_table_never_begins_with_its_header_alone_at_a_pages_foot(printed):
    """A table's caption and header row go to the next page with its first rows (Chromium left them behind)."""
    pages, page_html = printed
    header_cells = {squeezed(cell) for head in re.findall(r"<thead>(.*?)</thead>", page_html, re.S)
                    for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)}
    alone = [page.number for page in pages[:-1]
             if len(page.lines) > 1 and {squeezed(line) for line in page.lines[-2:]} <= header_cells]
    assert alone == []


def test_a_table_that_goes_on_repeats_its_header_row(printed):
    """The action table (part ๓) runs over pages: each page it goes on to starts with its header row."""
    pages, page_html = printed
    header = squeezed(re.search(r"<table class='ita actions'><thead><tr><th>(.*?)</th>", page_html).group(1))
    last_part = headings(page_html, 2, "id=['\"]part-")[-1]
    first = next(p.number for p in pages if any(squeezed(line).startswith(header) for line in p.lines))
    # the page where part ๔ begins (its title is also in the contents, on page 1)
    after = max(p.number for p in pages if any(starts_with_one_of(line, [last_part]) for line in p.lines))
    continued = [p for p in pages if first < p.number <= after and not starts_with_one_of(p.lines[0], [last_part])]
    assert continued, "the action table fits on one page: nothing to check"
    assert [p.number for p in continued if not squeezed(p.lines[0]).startswith(header)] == []
