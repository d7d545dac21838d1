"""nbconvert exporters of the report, so a notebook run in JupyterLab is published as `ita report` publishes it.

Registered as nbconvert exporters (entry points `ita_html` and `ita_pdf`, see pyproject.toml), they serve
JupyterLab's File > Save and Export Notebook As menu and `jupyter nbconvert --to ita_html NOTEBOOK`
(`--to ita_pdf`): the page `render.to_html` writes (our `ita_report` template: code hidden, Sarabun
embedded, nothing fetched from a network) with its footer, and the PDF of that page.

They never run the notebook: they publish the outputs it has (nbconvert's `--execute` runs it first, if
the user asks). The footer's parameters are papermill's record of the run, over the values of the
`parameters` cell; the inputs' SHA-256 are known only to a batch, so the footer lists none."""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbconvert.exporters import Exporter
from traitlets import Enum, default

from ..core.i18n import _
from ..inputs.sources import source_name
from .blocks import digits_of, document_parts
from .colophon import colophon
from .page import to_html
from .pdf import ThreadedEngine

if TYPE_CHECKING:
    from nbformat import NotebookNode

# Not shown in the footer, as in `ita report`: a folder of the machine that ran the report.
HIDDEN_PARAMETERS = ("data_dir",)
NO_PDF = "-"  # the footer's PDF engine for an HTML page, as in `ita run --formats html`
PYTHON_KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}

def _literal(text: str) -> object:
    """A default as Python reads it (`"กรุงเทพมหานคร"` -> กรุงเทพมหานคร, `None` -> None); else its source text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parameters_cell_values(notebook: NotebookNode) -> dict[str, object]:
    """The values of the notebook's `parameters` cell as `papermill.inspect_notebook` reads them; empty when
    there is no such cell or papermill cannot read it. Only that cell is written for papermill to read."""
    import nbformat
    from papermill import inspect_notebook
    from papermill.exceptions import PapermillException

    cell = next((c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    metadata = {"kernelspec": PYTHON_KERNEL} | dict(notebook.metadata)
    cell = nbformat.from_dict(dict(cell) | {"id": cell.get("id") or "parameters"})  # a v4.5 cell has an id
    only = nbformat.v4.new_notebook(cells=[cell], metadata=metadata)
    with tempfile.TemporaryDirectory(prefix="ita-export-") as scratch:
        path = Path(scratch) / "parameters.ipynb"
        nbformat.write(only, path)
        try:
            found = inspect_notebook(str(path))
        except (PapermillException, ValueError):
            return {}
    return {name: _literal(raw["default"]) for name, raw in found.items()}


def footer_parameters(notebook: NotebookNode) -> dict[str, object]:
    """What the footer lists: the `parameters` cell's values, overridden by those papermill records it ran
    with (`metadata.papermill.parameters`, all of them in a notebook from `ita report`)."""
    ran = notebook.metadata.get("papermill", {}).get("parameters") or {}
    values = parameters_cell_values(notebook) | dict(ran)
    return {name: value for name, value in values.items() if name not in HIDDEN_PARAMETERS}


def has_run(notebook: NotebookNode) -> bool:
    """Whether any code cell was run (a notebook without code cells counts as run)."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return not code or any(cell.get("outputs") or cell.get("execution_count") for cell in code)


class ITAReportExporter(Exporter):
    """The report page of a notebook: the preprocessors the user enabled (e.g. `--execute`) run first, then
    `render.to_html`, exactly as a batch renders a report."""

    def _warn_unrun(self, notebook: NotebookNode, resources: dict[str, Any]) -> None:
        if not has_run(notebook):
            name = resources.get("metadata", {}).get("name") or "notebook"
            self.log.warning(_("{name} has not been run: the report holds only its text. Run all its cells "
                               "first, or export with --execute.").format(name=name))

    def _report_html(self, notebook: NotebookNode, resources: dict[str, Any], engine: str) -> str:
        """The page; a batch says in `resources` what only it knows: `ita_parameters` (those the report
        was made with, formats included), `ita_inputs` (the files read, with their SHA-256) and
        `ita_engine` (the browser that will print it)."""
        self._warn_unrun(notebook, resources)
        parameters = resources.get("ita_parameters") or footer_parameters(notebook)
        return to_html(notebook, parameters, resources.get("ita_inputs", {}), resources.get("ita_engine", engine))


class ITAHTMLExporter(ITAReportExporter):
    """One self-contained HTML page: code hidden, Sarabun embedded, no external reference."""

    export_from_notebook = "ITA report (HTML)"
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
        notebook, resources = super().from_notebook_node(nb, resources, **kw)
        return self._report_html(notebook, resources, NO_PDF), resources


class ITADocxExporter(ITAReportExporter):
    """The document as a Word file, built from the parts the notebook shows (`blocks.document_parts`)."""

    export_from_notebook = "ITA report (Word)"
    output_mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".docx"

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[bytes, dict]:
        from .docx import docx_bytes  # python-docx: not while JupyterLab only lists the exporters

        notebook, resources = super().from_notebook_node(nb, resources, **kw)
        self._warn_unrun(notebook, resources)
        parameters = resources.get("ita_parameters") or footer_parameters(notebook)
        inputs = resources.get("ita_inputs", {})
        about = colophon(notebook, parameters, inputs, NO_PDF)
        values = {f"parameter {name}": str(value) for name, value in parameters.items()}
        values |= {f"sha256 {source_name(name) or name}": digest for name, digest in inputs.items()}
        footer = [text + date for text, date in about["footer"]]
        style = digits_of(parameters)  # as papermill ran it, or as the parameters cell says (JupyterLab)
        return docx_bytes(document_parts(notebook, style), style, values, footer), resources


class ITAPDFExporter(ITAReportExporter):
    """The report page printed to A4 PDF by `render.pdf_engine` (Chromium when found, else WeasyPrint)."""

    export_from_notebook = "ITA report (PDF)"
    output_mimetype = "application/pdf"

    engine = Enum(("auto", "chromium", "weasyprint"), default_value="auto",
                  help="PDF engine: Chromium when one is installed, else WeasyPrint (auto); or force one.",
                  ).tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[bytes, dict]:
        notebook, resources = super().from_notebook_node(nb, resources, **kw)
        engine = ThreadedEngine(self.engine)  # JupyterLab exports from a thread running the server's loop
        try:
            page = self._report_html(notebook, resources, engine.name)
            with tempfile.TemporaryDirectory(prefix="ita-export-") as scratch:
                target = Path(scratch) / "report.pdf"
                engine.write_pdf(page, target)
                return target.read_bytes(), resources
        finally:
            engine.close()


# The formats a report is written in, each by its exporter: `ita report`/`ita run --formats`, `jupyter
# nbconvert --to ita_<format>` and JupyterLab's export menu all go through these three.
EXPORTERS: dict[str, type[ITAReportExporter]] = {"html": ITAHTMLExporter, "pdf": ITAPDFExporter,
                                                 "docx": ITADocxExporter}
# What a batch's worker writes for a format: a PDF is the page, printed by the main process's one browser.
MADE_FROM = {"pdf": "html"}


def worker_outputs(formats: tuple[str, ...]) -> list[str]:
    """The files a worker writes for `formats`, in order: the page once for HTML and PDF alike."""
    return list(dict.fromkeys(MADE_FROM.get(fmt, fmt) for fmt in formats))


def export(fmt: str, notebook: NotebookNode, resources: dict[str, Any]) -> bytes:
    """The executed notebook as a file of `fmt`, by that format's exporter."""
    output = EXPORTERS[fmt]().from_notebook_node(notebook, resources=dict(resources))[0]
    return output.encode() if isinstance(output, str) else output
