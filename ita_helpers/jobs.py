"""Planning a batch: which reports to render, each with everything its result depends on.

Runs in the main process, before any kernel starts: the data folder is read and validated once,
score files that fail validation are returned as problems (their agencies cannot be rendered),
and the rest go on."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .contract import SET_BY_RUNNER, resolve
from .dataset import DataFolder, file_sha256
from .errors import ITADataError, Problem
from .paths import folder_name
from .report import check_values
from .resources import PACKAGE, REPORT_NOTEBOOK

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Input:
    """A file a report reads: its name inside a data folder, where it is now, and its SHA-256."""

    name: str  # e.g. "scores/bma.csv", "methodology.yaml"
    path: str
    sha256: str


@dataclass(frozen=True)
class Job:
    org: str
    fiscal_year: int
    parameters: dict  # every parameter of the report notebook (contract.resolve)
    inputs: tuple[Input, ...]
    formats: tuple[str, ...] = FORMATS

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
    return hashlib.sha256(b"".join(file_sha256(p).encode() for p in [REPORT_NOTEBOOK, *files])).hexdigest()


def _input_name(folder: DataFolder, path: Path) -> str:
    """A file's name as a data folder lays it out; bundled reference files keep their own name."""
    return path.relative_to(folder.root).as_posix() if path.is_relative_to(folder.root) else path.name


def plan(folder: DataFolder, years: set[int] | None = None, orgs: list[str] | None = None,
         formats: tuple[str, ...] = FORMATS, overrides: dict | None = None) -> tuple[list[Job], list[Problem]]:
    """Agency-years to render from the data, each with its parameters and input hashes.
    `overrides` sets notebook parameters for every report (checked against the notebook)."""
    overrides = dict(overrides or {})
    set_here = sorted(set(overrides) & set(SET_BY_RUNNER))
    if set_here:
        raise ITADataError(f"{', '.join(set_here)} is set by the batch itself (use --org, --years, --data)")
    defaults = resolve(overrides)
    check_values(defaults["plan_year"], defaults["threshold"], defaults["digits"])
    problems = folder.score_problems()
    pairs = folder.agency_years()
    known_orgs = sorted({o for o, _ in pairs})
    unknown = [o for o in orgs or [] if o not in known_orgs]
    if unknown:
        raise ITADataError(problems + [Problem(str(folder.root), f"no indicator scores for {', '.join(unknown)}; "
                                                                 f"agencies in the data: {', '.join(known_orgs)}")])
    eligible = [(o, y) for o, y in pairs if not orgs or o in orgs]
    chosen = [(o, y) for o, y in eligible if not years or y in years]
    if years and not chosen:
        have = ", ".join(map(str, sorted({y for _, y in eligible})))
        raise ITADataError(problems + [Problem(
            str(folder.root), f"no indicator scores for year(s) {', '.join(map(str, sorted(years)))}"
                              f"{' of ' + ', '.join(orgs) if orgs else ''}; years in the data: {have}")])
    inputs_of: dict[str, tuple[Input, ...]] = {}
    jobs = []
    for org, year in chosen:
        if org not in inputs_of:
            inputs_of[org] = tuple(Input(_input_name(folder, Path(path)), path, digest)
                                   for path, digest in folder.digests(org).items())
        parameters = defaults | {"org": org, "fiscal_year": year, "data_dir": str(folder.root)}
        jobs.append(Job(org, year, parameters, inputs_of[org], formats))
    return jobs, problems
