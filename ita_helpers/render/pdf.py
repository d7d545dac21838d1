"""The page printed to A4 PDF: Chromium (through Playwright, one browser kept open for a batch) or WeasyPrint.

Chromium is preferred when one is installed: WeasyPrint's text layer loses the nikhahit of ำ
(pdftotext reads สำนักงาน as สานักงาน), so copy and search fail on such words. WeasyPrint needs
only pip packages, so it is the fallback that always works. Nothing here imports nbconvert: the main
process of a batch prints every PDF."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
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
    restarts: int  # how many times the engine was started again after dying mid-batch

    def write_pdf(self, html: str, target: Path) -> None: ...

    def close(self) -> None: ...


class WeasyPrintEngine:
    name = "WeasyPrint"
    restarts = 0

    def write_pdf(self, html: str, target: Path) -> None:
        from weasyprint import HTML

        HTML(string=html).write_pdf(target)

    def close(self) -> None:
        pass


class ChromiumEngine:
    """One headless browser kept open for every PDF of a batch, driven through Playwright. A browser (or
    its Playwright driver) that dies mid-batch is started again, and the report it was printing retried:
    the first time, and again only after the new browser printed a PDF, so that a browser that cannot
    live fails the reports instead of starting for ever."""

    def __init__(self, executable: str):
        self.executable = executable
        self.name = self.name_for(executable)
        self.restarts = 0  # how many times a dead browser was started again
        self._printed = False  # a PDF printed since the browser (re)started
        self._launch()

    def _launch(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)
            self._page = self._fresh_page()  # its renderer starts now, while the first report is computed
        except Exception as err:
            self._playwright.stop()
            raise EngineUnavailable(_("cannot start {browser}: {error}").format(
                browser=self.executable, error=str(err).splitlines()[0])) from None

    @staticmethod
    def name_for(executable: str) -> str:
        return f"Chromium ({Path(executable).name})"

    def _fresh_page(self):
        """One page serves every PDF (a new page starts a renderer process: ~1 s of CPU each)."""
        page = self._browser.new_page()
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("data:")
                   else route.continue_())
        return page

    def _print(self, html: str, target: Path) -> None:
        self._page = self._page or self._fresh_page()  # none after a page that failed
        self._page.set_content(html, wait_until="load")
        self._page.evaluate("document.fonts.ready.then(() => true)")
        self._page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        self._printed = True

    def write_pdf(self, html: str, target: Path) -> None:
        try:
            self._print(html, target)
        except Exception:
            if self._browser_alive() or (self.restarts and not self._printed):
                raise  # the page's own failure, or a restarted browser that died before printing anything
            self.restarts += 1
            self.close()
            self._launch()
            self._printed = False
            self._print(html, target)

    def _browser_alive(self) -> bool:
        """After a failure: whether the browser still answers (it opens the clean page the next report
        starts on)."""
        try:
            self._page and self._page.close()
        except Exception:
            pass
        try:
            self._page = self._fresh_page()
            return True
        except Exception:
            self._page = None
            return False

    def close(self) -> None:
        """Close the browser; after Ctrl-C, or when it died, the driver may already be gone, which is fine."""
        with _quiet_asyncio():
            for stop in (self._browser.close, self._playwright.stop):
                try:
                    stop()
                except Exception:
                    pass


@contextlib.contextmanager
def _quiet_asyncio():
    """Playwright's event loop, when its driver died, leaves English asyncio complaints ("Task was
    destroyed but it is pending!", "Future exception was never retrieved") that say nothing to a user:
    the report's own failure or restart is told in Thai."""
    logger = logging.getLogger("asyncio")
    level, logger.level = logger.level, logging.CRITICAL
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            yield
            gc.collect()
    finally:
        logger.setLevel(level)


class ThreadedEngine:
    """A PDF engine driven from one thread of its own, for a process that also drives kernels: Playwright's
    sync API refuses a thread running an asyncio loop, and leaves one set on the thread that used it, which
    would change how jupyter_client then runs a kernel in that thread. The engine starts in that thread while
    the caller goes on; a browser that cannot start is told at the first use of the engine."""

    def __init__(self, choice: str = "auto"):
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ita-pdf")
        self._started = self._thread.submit(pdf_engine, choice)

    @property
    def name(self) -> str:
        return self._started.result().name

    @property
    def restarts(self) -> int:
        return self._started.result().restarts

    def write_pdf(self, html: str, target: Path) -> None:
        self._thread.submit(lambda: self._started.result().write_pdf(html, target)).result()

    def close(self) -> None:
        try:
            if not self._started.exception():
                self._thread.submit(self._started.result().close).result()
        finally:
            self._thread.shutdown()


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
