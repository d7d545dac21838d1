"""The page printed to A4 PDF: Chromium (through Playwright, one browser kept open for a batch) or WeasyPrint.

Chromium is preferred when one is installed: WeasyPrint's text layer loses the nikhahit of ำ
(pdftotext reads สำนักงาน as สานักงาน), so copy and search fail on such words. WeasyPrint needs
only pip packages, so it is the fallback that always works. Nothing here imports nbconvert: the main
process of a batch prints every PDF."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Protocol

from ..core.errors import EngineUnavailable
from ..core.i18n import _

BROWSER_ENV = "ITA_CHROMIUM"  # path of a Chromium-family browser to use for PDF
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
                 "microsoft-edge", "microsoft-edge-stable", "msedge")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]


def find_chromium() -> str | None:
    """A Chromium-family browser: the one named by $ITA_CHROMIUM, else the first found on PATH."""
    named = os.environ.get(BROWSER_ENV)
    if named:
        return named if Path(named).exists() else shutil.which(named)
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


class PdfEngine(Protocol):
    name: str

    def write_pdf(self, html: str, target: Path) -> None: ...

    def close(self) -> None: ...


class WeasyPrintEngine:
    name = "WeasyPrint"

    def write_pdf(self, html: str, target: Path) -> None:
        from weasyprint import HTML

        HTML(string=html).write_pdf(target)

    def close(self) -> None:
        pass


class ChromiumEngine:
    """One headless browser kept open for every PDF of a batch, driven through Playwright."""

    def __init__(self, executable: str):
        from playwright.sync_api import sync_playwright

        self.executable = executable
        self.name = self.name_for(executable)
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as err:
            self._playwright.stop()
            raise EngineUnavailable(_("cannot start {browser}: {error}").format(
                browser=executable, error=str(err).splitlines()[0])) from None
        self._page = None

    @staticmethod
    def name_for(executable: str) -> str:
        return f"Chromium ({Path(executable).name})"

    def _fresh_page(self):
        """One page serves every PDF (a new page starts a renderer process: ~1 s of CPU each)."""
        page = self._browser.new_page()
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("data:")
                   else route.continue_())
        return page

    def write_pdf(self, html: str, target: Path) -> None:
        self._page = self._page or self._fresh_page()
        try:
            self._page.set_content(html, wait_until="load")
            self._page.evaluate("document.fonts.ready.then(() => true)")
            self._page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        except Exception:
            self._page.close()
            self._page = None  # the next report starts on a clean page
            raise

    def close(self) -> None:
        """Close the browser; after Ctrl-C the driver may already be gone, which is fine."""
        try:
            self._browser.close()
            self._playwright.stop()
        except Exception:
            pass


def _browser_for(choice: str) -> str | None:
    """The browser that `choice` (auto, chromium, weasyprint) uses, or None for WeasyPrint."""
    browser = find_chromium() if choice != "weasyprint" else None
    if choice == "chromium" and not browser:
        raise EngineUnavailable(_("no Chromium-family browser found; install one or set {variable}").format(
            variable=BROWSER_ENV))
    return browser


def svg_text_for(engine_name: str) -> bool:
    """Whether a batch's charts may keep their text as SVG <text>, set in the page's embedded Sarabun: yes,
    unless WeasyPrint prints the page (it lays SVG text out letter by letter and drops stacked Thai marks).
    Such text makes the page smaller and quicker for Chromium to print than glyph outlines
    (benchmarks/page_weight.py, benchmarks/charts.py)."""
    return not engine_name.startswith(WeasyPrintEngine.name)


def pdf_engine_name(choice: str = "auto") -> str:
    """The name `pdf_engine(choice)` will have, known without starting a browser."""
    browser = _browser_for(choice)
    return ChromiumEngine.name_for(browser) if browser else WeasyPrintEngine.name


def pdf_engine(choice: str = "auto") -> PdfEngine:
    """`auto`: Chromium when one is installed, else WeasyPrint; or force `chromium` / `weasyprint`."""
    browser = _browser_for(choice)
    return ChromiumEngine(browser) if browser else WeasyPrintEngine()
