"""Planning a batch: which reports to render, each with everything its result depends on.

Runs in the main process, before any kernel starts: the data folder is read and validated once and
each agency's slice cut from it. Score files that fail validation are returned as problems (their
agencies cannot be named, let alone rendered); an agency whose own files are unusable gets jobs that
carry the problems and fail without a kernel; the rest go on.

A worker needs only `Job` and `Input`: what `plan` reads the data with is imported when it runs, so
that workers start without pandas (0.3 s and 40 MB each)."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core.errors import ITADataError, Problem
from ..core.i18n import _, language
from ..core.paths import folder_name
from ..core.resources import PACKAGE, REPORT_NOTEBOOK
from .contract import SET_BY_RUNNER, resolve

if TYPE_CHECKING:
    from ..inputs.dataset import DataFolder

FORMATS = ("html", "pdf", "docx")  # every format a report can be written in
DEFAULT_FORMATS = ("html", "pdf")


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

    @property
    def folder(self) -> str:
        """Where the report goes under the output folder: `<year>/<safe folder name of the agency>`."""
        return f"{self.fiscal_year}/{folder_name(self.org)}"

    @property
    def digests(self) -> dict[str, str]:
        return {i.name: i.sha256 for i in self.inputs}

    @property
    def key(self) -> str:
        """What the report depends on: parameters (but where the data sits), inputs, package version,
        renderer, formats."""
        shown = {k: v for k, v in self.parameters.items() if k != "data_dir"}
        blob = json.dumps([shown, self.digests, __version__, renderer_digest(), self.formats],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()


@functools.cache
def renderer_digest() -> str:
    """The report notebook, the package's code and its templates: an edit re-renders, even between
    releases. Hashed once per process, so a mid-batch edit cannot split one batch's keys."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json"))
    digests = (hashlib.sha256(p.read_bytes()).hexdigest().encode() for p in [REPORT_NOTEBOOK, *files])
    return hashlib.sha256(b"".join(digests)).hexdigest()


def plan(folder: DataFolder, years: set[int] | None = None, orgs: list[str] | None = None,
         formats: tuple[str, ...] = DEFAULT_FORMATS, overrides: dict | None = None) -> tuple[list[Job], list[Problem]]:
    """Agency-years to render from the data, each with its parameters and input hashes.
    `overrides` sets notebook parameters for every report (checked against the notebook)."""
    from ..analysis.report import check_values
    from .slices import agency_slices, peer_inputs

    overrides = dict(overrides or {})
    set_here = sorted(set(overrides) & set(SET_BY_RUNNER))
    if set_here:
        raise ITADataError(_("{names} is set by the batch itself (use --org, --years, --data)").format(
            names=", ".join(set_here)))
    defaults = resolve(overrides)
    check_values(defaults["plan_year"], defaults["threshold"], defaults["digits"])
    problems = folder.score_problems()
    pairs = folder.agency_years()
    if not folder.score_files and not problems:
        raise ITADataError(_("no score files in {paths} (a data folder keeps them in scores/)").format(
            paths=folder.root))
    known_orgs = sorted({o for o, _year in pairs})
    unknown = [o for o in orgs or [] if o not in known_orgs]
    if unknown and folder.orgs is not None:  # the agencies in the data, read for the message
        known_orgs = sorted({o for o, _year in type(folder)(folder.root).agency_years()})
    if unknown:
        raise ITADataError(problems + [Problem(str(folder.root), _(
            "no indicator scores for {orgs}; agencies in the data: {known}").format(
                orgs=", ".join(unknown), known=", ".join(known_orgs) or _("no agency")))])
    eligible = [(o, y) for o, y in pairs if not orgs or o in orgs]
    chosen = [(o, y) for o, y in eligible if not years or y in years]
    if years and not chosen:
        have = ", ".join(map(str, sorted({y for _org, y in eligible})))
        asked = ", ".join(map(str, sorted(years)))
        rule = (_("no indicator scores of {orgs} for year(s) {years}; years in the data: {have}") if orgs else
                _("no indicator scores for year(s) {years}; years in the data: {have}"))
        raise ITADataError(problems + [Problem(str(folder.root), rule.format(
            orgs=", ".join(orgs or []), years=asked, have=have))])
    slices = agency_slices(folder, {o for o, _year in chosen})
    peers = peer_inputs(folder, [(o, y) for o, y in chosen if o in slices.inputs])
    jobs = [Job(org, year, defaults | {"org": org, "fiscal_year": year, "data_dir": str(folder.root)},
                slices.inputs.get(org, ()) + peers.get((org, year), ()), formats, tuple(slices.unusable.get(org, ())))
            for org, year in chosen]
    return jobs, problems + slices.problems


@dataclass
class Rendered:
    """What a worker hands back: the report's files as bytes, or why there are none."""

    files: dict[str, bytes] = field(default_factory=dict)  # "ipynb", "html", "docx"
    error: str | None = None
    cell: int | None = None  # the failing cell's execution count
    warnings: list[str] = field(default_factory=list)
    figures: dict | None = None  # total, rating, change, weak (report.Report.figures)
    seconds: float = 0.0  # spent in the worker

    @property
    def failed(self) -> bool:
        return self.error is not None
