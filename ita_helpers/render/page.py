"""Executed notebook -> offline HTML (nbconvert, our own template) -> A4 PDF (Chromium or WeasyPrint).

Chromium is preferred when one is installed: WeasyPrint's text layer loses the nikhahit of ำ
(pdftotext reads สำนักงาน as สานักงาน), so copy and search fail on such words. WeasyPrint needs
only pip packages, so it is the fallback that always works."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .. import __version__
from ..core import thai
from ..core.errors import EngineUnavailable
from ..core.fonts import font_face_css
from ..core.i18n import _
from ..core.thai import BANGKOK, thai_date
from ..document.html import COMPONENTS_CSS
from ..document.parts import PART_MIME, PREVIEW_TAG, REMOVE_TAG, Title
from ..inputs.sources import REPORTED_TOTALS, is_bundled, source_name
from . import pagecss
from .blocks import digits_of, with_contents

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATES = Path(__file__).resolve().parent / "templates"
LAB_CSS = "/* JupyterLab's stylesheet, as much as the page uses */"  # replaced once the page is made
_RENDERING = threading.Lock()  # Dask workers and notebook exporters may render from several threads
BROWSER_ENV = "ITA_CHROMIUM"  # path of a Chromium-family browser to use for PDF
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
                 "microsoft-edge", "microsoft-edge-stable", "msedge")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]


@cache
def git_commit() -> str | None:
    """The commit of the source tree the package runs from, when it is a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=TEMPLATES.parent, capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return (out.stdout.strip() or None) if out.returncode == 0 else None


@cache
def html_exporter():
    from traitlets.config import Config

    from .exporters import PageExporter

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.language_code = "th"
    config.TagRemovePreprocessor.remove_cell_tags = [REMOVE_TAG]
    config.TagRemovePreprocessor.remove_single_output_tags = [PREVIEW_TAG]  # the page has its own styles
    config.TagRemovePreprocessor.enabled = True
    exporter = PageExporter(config=config, template_name="ita_report", extra_template_basedirs=[str(TEMPLATES)])
    return exporter


def to_html(notebook: NotebookNode, parameters: dict, inputs: dict[str, str], engine: str) -> str:
    """The executed notebook as one self-contained HTML page; `inputs` maps the files the report read (a
    batch's slice: `Job.digests`) to their SHA-256, empty when the notebook is exported by itself."""
    resources = {"ita": {
        "lab_css": LAB_CSS, "font_css": font_face_css(),
        "report_css": "\n".join(p.read_text(encoding="utf-8") for p in (TEMPLATES / "report.css", COMPONENTS_CSS)),
        **colophon(notebook, parameters, inputs, engine),
    }, "metadata": {"name": f"ITA {parameters.get('org', '')} {parameters.get('fiscal_year', '')}"}}
    with _RENDERING:  # one exporter per process, whose filters are bound to each call's resources
        exporter = html_exporter()
        page, _resources = exporter.from_notebook_node(with_contents(notebook), resources=resources)
    return page.replace(LAB_CSS, pagecss.for_page(lab_stylesheet(exporter), page), 1)


# ---- what the page says of itself: a footer for its readers, an appendix for those who check it ----

# The report's parameters as the appendix names them. Another notebook's parameter is named by the comment
# after it in its `parameters` cell, or left out: the appendix never shows a Python name.
PARAMETER_LABELS = {
    "org": "หน่วยงานที่ได้รับการประเมิน",
    "fiscal_year": "ปีงบประมาณของผลการประเมิน",
    "plan_year": "ปีงบประมาณของมาตรการ",
    "threshold": "เกณฑ์ตัวชี้วัดที่ต้องปรับปรุง",
    "digits": "ตัวเลขในเนื้อความ",
    "formats": "รูปแบบที่จัดทำ",
}
DIGIT_NAMES = {"thai": "เลขไทย", "arabic": "เลขอารบิก"}
FORMAT_NAMES = {"html": "HTML", "pdf": "PDF", "docx": "Word"}
ROWS_NOTE = ("ค่า SHA-256 ของไฟล์คะแนนคำนวณจากแถวของหน่วยงานนี้ที่ตัดจากไฟล์ (ในรูปแบบ CSV) "
             "ไม่ใช่จากทั้งไฟล์")
NO_INPUTS_NOTE = ("ไม่มีรายการไฟล์ข้อมูลและค่า SHA-256 เพราะส่งออกจากสมุดบันทึกโดยตรง "
                  "ไม่ได้จัดทำด้วยคำสั่ง ita")
_PARAMETER_COMMENT = re.compile(r"^(\w+)\s*(?::[^=]*)?=.*#\s*(.+?)\s*$")


def colophon(notebook: NotebookNode, parameters: dict, inputs: dict[str, str], engine: str,
             moment: datetime | None = None) -> dict:
    """What the template's footer and appendix show, in Thai and in the document's digits: who made the
    report, when, from which of the agency's own files (the names it knows them by); then, for whoever
    checks it, the values it was made with, each file's SHA-256, the package and the PDF engine."""
    style = parameters["digits"] if parameters.get("digits") in DIGIT_NAMES else digits_of(notebook)
    moment = moment or datetime.now(BANGKOK)
    files = [_input_row(name, digest) for name, digest in inputs.items()]
    return {
        "producer": _author(notebook) or parameters.get("org") or None,
        "date": thai_date(moment, style),
        "time": f"{thai_date(moment, style)} เวลา {thai.digits(f'{moment:%H:%M}', style)} น.",
        "timestamp": moment.isoformat(timespec="seconds"),
        "sources": thai_list([f"ไฟล์{row['kind']} “{row['name']}”" for row in files if row["supplied"]]),
        "parameters": _parameter_rows(notebook, parameters, style),
        "files": files,
        "rows_note": ROWS_NOTE if any(row["rows"] for row in files) else None,
        "no_inputs_note": None if inputs else NO_INPUTS_NOTE,
        "version": __version__, "commit": git_commit(),
        "engine": engine if engine and engine != "-" else None,
    }


def thai_list(items: list[str]) -> str:
    """Items as Thai official prose joins them: `ก ข และค` (as document.narrative does, which needs pandas)."""
    return " ".join(items[:-1]) + " และ" + items[-1] if len(items) > 1 else "".join(items)


def _author(notebook: NotebookNode) -> str | None:
    """The unit the document's title part names as its publisher (parts.Title.author), if it has one."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            part = output.get("data", {}).get(PART_MIME, {})
            if part.get("kind") == Title.kind and part.get("author"):
                return str(part["author"])
    return None


def _input_row(name: str, digest: str) -> dict:
    """One file a batch's report read: what it is, the name the agency knows it by, whether the agency
    supplied it (not the suite's bundled copy of a reference file, nor a standing the suite computed)."""
    kinds = {"methodology.yaml": "เกณฑ์การประเมิน", "national_averages.csv": "ค่าเฉลี่ยระดับประเทศ",
             REPORTED_TOTALS: "คะแนนรวมที่ประกาศ"}
    folder = name.split("/")[0] if "/" in name else ""
    kind = {"scores": "คะแนนรายตัวชี้วัด", "measures": "มาตรการ"}.get(folder) or kinds.get(name, "ข้อมูล")
    known = source_name(name)
    bundled = is_bundled(name, digest)
    if known is None:
        kind, origin = "อันดับในกลุ่มหน่วยงานปีเดียวกัน", "คำนวณโดยชุดโปรแกรมจากไฟล์คะแนน"
    else:
        origin = "ฉบับของชุดโปรแกรม" if bundled else ""
    rows = folder == "scores" or name == REPORTED_TOTALS  # the agency's rows, cut from its file
    return {"kind": kind, "name": known or "", "origin": origin, "sha256": digest,
            "supplied": known is not None and not bundled, "rows": rows}


def _parameter_rows(notebook: NotebookNode, parameters: dict, style: str) -> list[tuple[str, str]]:
    """(Thai label, value) of each parameter that is set, in the notebook's order."""
    comments = {}
    for cell in notebook.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            comments = {m[1]: m[2] for line in cell.source.splitlines() if (m := _PARAMETER_COMMENT.match(line))}
    rows = []
    for name, value in parameters.items():
        label = PARAMETER_LABELS.get(name) or comments.get(name)
        if value is None or value == "" or not label:
            continue
        rows.append((label, _parameter_value(name, value, style)))
    return rows


def _parameter_value(name: str, value: object, style: str) -> str:
    if name == "digits":
        return DIGIT_NAMES.get(str(value), str(value))
    if name == "threshold" and isinstance(value, int | float):
        return f"คะแนนต่ำกว่า {_parameter_value('', value, style)}"
    if name == "formats":
        return ", ".join(FORMAT_NAMES.get(f, f) for f in str(value).split(",") if f)
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, int | float):  # a number in the document's digits, 85.0 as 85
        return thai.digits(int(value) if float(value).is_integer() else value, style)
    return str(value)  # a name is shown as it is written, digits included


def lab_stylesheet(exporter) -> str:
    """JupyterLab's stylesheet as the lab template would inline it (its light theme)."""
    env = exporter.environment
    return "\n".join(env.loader.get_source(env, f"static/{name}")[0] for name in ("index.css", "theme-light.css"))


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
    Such text costs Chromium a third of the PDF time that glyph outlines cost, and makes HTML and PDF a
    quarter the size (benchmarks/charts.py)."""
    return not engine_name.startswith(WeasyPrintEngine.name)


def pdf_engine_name(choice: str = "auto") -> str:
    """The name `pdf_engine(choice)` will have, known without starting a browser."""
    browser = _browser_for(choice)
    return ChromiumEngine.name_for(browser) if browser else WeasyPrintEngine.name


def pdf_engine(choice: str = "auto") -> PdfEngine:
    """`auto`: Chromium when one is installed, else WeasyPrint; or force `chromium` / `weasyprint`."""
    browser = _browser_for(choice)
    return ChromiumEngine(browser) if browser else WeasyPrintEngine()
