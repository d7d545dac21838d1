"""A batch's reports as jobs (`Job`: an agency-year with its parameters, its slice of the data and its
formats) and what a worker hands back for each (`Rendered`).

A worker needs only `Job` and `Input`, and imports nothing that reads data: `plan` (batch.plan) does,
in the main process, so that workers start without importing pandas."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..core.errors import Problem
from ..core.i18n import language
from ..core.paths import folder_name
from ..core.resources import GROUP_NOTEBOOK, PACKAGE, PROGRESS_NOTEBOOK, REPORT_NOTEBOOK

FORMATS = ("html", "pdf", "docx")  # every format a report can be written in
DEFAULT_FORMATS = ("html", "pdf")
# The documents of an agency-year: the notebook that makes each, and the name of its files in the agency's
# folder (`<year>/<agency>/report.html` beside `progress.html`); the group report's in the group's
# (`<year>/<group>/group.html`).
DOCUMENTS: dict[str, tuple[Path, str]] = {"measures": (REPORT_NOTEBOOK, "report"),
                                          "progress": (PROGRESS_NOTEBOOK, "progress"),
                                          "group": (GROUP_NOTEBOOK, "group")}
DEFAULT_DOCUMENT = "measures"
GROUP_DOCUMENT = "group"  # one report per group and year, not per agency-year


def entry_key(folder: str, document: str = DEFAULT_DOCUMENT) -> str:
    """A report's key in the manifest: its folder for the measures document (as before there were two),
    `<folder>#<document>` for another."""
    return folder if document == DEFAULT_DOCUMENT else f"{folder}#{document}"


@dataclass(frozen=True)
class Input:
    """One file of a report's slice: its name inside the slice (`scores/bma.csv`), bytes and SHA-256."""

    name: str
    data: bytes
    sha256: str

    @classmethod
    def of(cls, name: str, data: bytes) -> Input:
        return cls(name, data, hashlib.sha256(data).hexdigest())

    def write(self, folder: Path) -> None:
        target = folder / self.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.data)


@dataclass(frozen=True)
class Job:
    org: str
    fiscal_year: int
    parameters: dict  # every parameter of the report notebook (contract.resolve)
    inputs: tuple[Input, ...]  # the agency's slice of the data folder and its standing that year: all it reads
    formats: tuple[str, ...] = DEFAULT_FORMATS
    problems: tuple[Problem, ...] = ()  # why its inputs are unusable: the report fails without a kernel
    lang: str = field(default_factory=language)  # the interface language its errors are told in
    document: str = DEFAULT_DOCUMENT  # a key of DOCUMENTS

    @property
    def folder(self) -> str:
        """Where the report goes under the output folder: `<year>/<safe folder name of the agency>`."""
        return f"{self.fiscal_year}/{folder_name(self.org)}"

    @property
    def notebook(self) -> Path:
        return DOCUMENTS[self.document][0]

    @property
    def stem(self) -> str:
        """The name of the report's files: `report` (.html, .pdf, ...) or `progress`."""
        return DOCUMENTS[self.document][1]

    @property
    def entry(self) -> str:
        return entry_key(self.folder, self.document)

    @property
    def digests(self) -> dict[str, str]:
        return {i.name: i.sha256 for i in self.inputs}

    @property
    def key(self) -> str:
        return report_key(self.parameters, self.digests, self.formats, self.document)


def report_key(parameters: dict, digests: dict[str, str], formats: tuple[str, ...],
               document: str = DEFAULT_DOCUMENT) -> str:
    """What a report depends on: parameters (but where the data sits), inputs, package version, renderer,
    formats; and which document it is. (Also made again from a published notebook's provenance.)"""
    shown = {k: v for k, v in parameters.items() if k != "data_dir"}
    described = [shown, digests, __version__, renderer_digest(DOCUMENTS[document][0]), tuple(formats)]
    if document != DEFAULT_DOCUMENT:  # the measures report's keys stay those of before
        described.append(document)
    blob = json.dumps(described, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def notebook_digest(path: Path) -> str:
    """What of a notebook makes its reports: each cell's type, source and tags, in order (markdown cells
    are part of the document). Not its outputs, execution counts, cell ids or other metadata, which
    JupyterLab rewrites when the notebook is opened and saved or exported: such a save re-renders nothing.
    Read as JSON, not through nbformat (1.1 s to import in some environments)."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    code = [[cell.get("cell_type"), _source(cell.get("source", "")), list((cell.get("metadata") or {}).get("tags", []))]
            for cell in cells]
    return hashlib.sha256(json.dumps(code, ensure_ascii=False).encode()).hexdigest()


def _source(source: str | list[str]) -> str:
    """A cell's source as one string: a notebook file may hold it as a list of lines."""
    return source if isinstance(source, str) else "".join(source)


@functools.cache
def renderer_digest(notebook: Path = REPORT_NOTEBOOK) -> str:
    """The report notebook's code (`notebook_digest`), the package's code and its templates: an edit
    re-renders, even between releases. Hashed once per process, so a mid-batch edit cannot split one
    batch's keys."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json"))
    digests = [notebook_digest(notebook).encode(), *(hashlib.sha256(p.read_bytes()).hexdigest().encode()
                                                           for p in files)]
    return hashlib.sha256(b"".join(digests)).hexdigest()


@dataclass
class Rendered:
    """What a worker hands back: the report's files as bytes, or why there are none."""

    files: dict[str, bytes] = field(default_factory=dict)  # "ipynb", "html", "docx"
    error: str | None = None
    cell: int | None = None  # the failing cell's execution count
    warnings: list[str] = field(default_factory=list)
    figures: dict | None = None  # total, rating, change, weak (report.Report.figures)
    seconds: float = 0.0  # spent in the worker

    @classmethod
    def refused(cls, problems: tuple[Problem, ...]) -> Rendered:
        """A report that its inputs' problems stop before any kernel: failed, with them."""
        return cls(error="; ".join(map(str, problems)))

    @property
    def failed(self) -> bool:
        return self.error is not None
