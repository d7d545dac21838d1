"""Executed notebook -> one offline HTML page (nbconvert, our own template `ita_report`): code hidden,
Sarabun embedded, nothing fetched from a network, only the part of JupyterLab's stylesheet it uses, and
the footer and appendix for its readers (colophon). render.pdf prints it."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from ..core.fonts import font_face_css
from ..document.html import COMPONENTS_CSS
from ..document.parts import PREVIEW_TAG, REMOVE_TAG
from . import pagecss
from .blocks import with_contents
from .colophon import colophon

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATES = Path(__file__).resolve().parent / "templates"
LAB_CSS = "/* JupyterLab's stylesheet, as much as the page uses */"  # replaced once the page is made
_RENDERING = threading.Lock()  # Dask workers and notebook exporters may render from several threads


class PageExporter(HTMLExporter):
    """nbconvert's HTML exporter without the pass nbconvert 7 makes over the finished page: it parses the
    whole page again with BeautifulSoup (two thirds of an export's CPU) to give images without alt text
    a placeholder and every output area a tab stop. Our charts are inline SVG that carry their titles
    (plots.Chart), and only a table that scrolls takes a tab stop (sections._scrolling), not each of the
    page's forty paragraphs. The steps before that pass are HTMLExporter's own (nbconvert 7.16-7.17)."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@cache
def html_exporter() -> PageExporter:
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



def lab_stylesheet(exporter) -> str:
    """JupyterLab's stylesheet as the lab template would inline it (its light theme)."""
    env = exporter.environment
    return "\n".join(env.loader.get_source(env, f"static/{name}")[0] for name in ("index.css", "theme-light.css"))


