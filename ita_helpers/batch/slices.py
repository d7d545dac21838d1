"""What one agency's reports read, cut from a data folder once per batch: a small data folder of its own,
held as bytes.

A report's kernel reads its slice, never the folder it came from: a national file of 8,300 agencies
costs a report no more than a one-agency file, a Dask worker needs no path on the client's disk, the
kernel reads exactly the bytes the resume key was made of, and editing one agency's row changes only
that agency's slice (and, through `peer_inputs`, the standing of those it overtakes or falls behind).
The slice is laid out as a data folder, so the kernel reads it the one usual way (`DataFolder`), and it
is written the same whichever folder the agency's rows came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.peers import PEERS, folder_table, standings
from ..core.errors import Problem
from ..inputs.dataset import REPORTED_TOTALS, DataFolder, reported_total_clashes
from ..inputs.folder_checks import measures_twice
from ..inputs.loaders import Scores, scored_twice
from ..inputs.questions import CATALOGUE_NAME
from ..inputs.questions import FOLDER as QUESTIONS_FOLDER
from .csvtext import csv_lines
from .jobs import Input

SCORE_COLUMNS = ["org", "fiscal_year", "indicator", "score", "reported_total", "source"]


def slice_name(path: Path) -> str:
    """A score file's name in a slice: always CSV, and still telling which file the rows came from."""
    return f"scores/{path.name if path.suffix.lower() == '.csv' else path.name + '.csv'}"


def _csv_by_org(frame: pd.DataFrame) -> dict[str, bytes]:
    """Agency -> a CSV file of its rows of `frame` (which must be sorted by org), header included."""
    if frame.empty:
        return {}
    lines = csv_lines(frame)
    header = ",".join(frame.columns) + "\n"
    orgs = frame["org"].astype(str).to_numpy()
    starts = [0, *np.flatnonzero(orgs[1:] != orgs[:-1]) + 1, len(orgs)]
    return {orgs[a]: (header + "".join(lines[a:b])).encode("utf-8") for a, b in zip(starts, starts[1:])}


def score_rows(scores: Scores) -> dict[str, bytes]:
    """Agency -> its rows of one score file, in long form with the published totals given there."""
    totals = scores.reported_totals[["org", "fiscal_year", "reported_total"]].astype({"fiscal_year": "int64"})
    rows = scores.indicators.merge(totals, on=["org", "fiscal_year"], how="left")
    rows["source"] = rows["source"].where(rows["source"] != rows["file"], "")  # not the user's local path
    return _csv_by_org(rows.sort_values(["org", "fiscal_year", "indicator"], kind="stable")[SCORE_COLUMNS])


def reference_rows(table: pd.DataFrame) -> dict[str, bytes]:
    """Agency -> its rows of reported_totals.csv, every column kept."""
    return _csv_by_org(table.sort_values("org", kind="stable"))


@dataclass(frozen=True)
class Slices:
    """Agency -> its slice; agency -> why it has none; problems of files that belong to no agency;
    agency-year -> why its report fails although its agency has a slice (a broken file of that year only)."""

    inputs: dict[str, tuple[Input, ...]]
    unusable: dict[str, list[Problem]]
    problems: list[Problem]
    unusable_years: dict[tuple[str, int], list[Problem]] = field(default_factory=dict)


def agency_slices(folder: DataFolder, orgs: set[str]) -> Slices:
    """Each agency's slice. An agency whose own files are unusable (a broken measures file, the same
    agency-year in two score files, two different published totals) gets none, so only its reports
    fail; a broken shared file (the methodology, the reference tables) stops the batch, as every
    report would read it."""
    reported, _ = folder.reference_tables  # raises: every report reads them
    shared = [Input.of(*folder.methodology_slice)]  # with the folder's own framework years
    if folder.national_averages_file:
        shared.append(Input.of("national_averages.csv", folder.national_averages_file.read_bytes()))
    if folder.oit_items_file:
        shared.append(Input.of("oit_items.yaml", folder.oit_items_file.read_bytes()))
    question_lists = [Input.of(name, (folder.root / name).read_bytes())  # the folder's own, for question files
                      for name in ("questions.yaml", f"{QUESTIONS_FOLDER}/{CATALOGUE_NAME}")
                      if (folder.root / name).is_file()]
    own_totals = reference_rows(reported)
    problems = [p for m in folder.measure_files if m.org is None for p in m.problems]
    unusable: dict[str, list[Problem]] = {}
    unusable_years: dict[tuple[str, int], list[Problem]] = {}
    for measures in folder.measure_files:  # a broken file of one results year fails that year's report only
        if measures.org in orgs and measures.problems and measures.year is not None:
            unusable_years.setdefault((measures.org, measures.year), []).extend(measures.problems)
        elif measures.org in orgs and measures.problems:
            unusable.setdefault(measures.org, []).extend(measures.problems)
    problems += [p for q in folder.question_files if q.org is None for p in q.problems]
    for questions in folder.question_files:
        if questions.org in orgs and questions.problems:
            unusable.setdefault(questions.org, []).extend(questions.problems)
    score_files = [(f, score_rows(f.value)) for f in folder.score_files if f.value is not None]
    everyone = Scores.concat(f.value for f, _ in score_files)
    for org, clashes in [*reported_total_clashes(reported, everyone.reported_totals).items(),
                         *scored_twice(everyone.indicators).items(), *measures_twice(folder).items()]:
        if org in orgs:
            unusable.setdefault(org, []).extend(clashes)
    slices = {}
    for org in sorted(orgs - set(unusable)):
        parts = [Input.of(slice_name(f.path), rows[org]) for f, rows in score_files if org in rows]
        if org in own_totals:
            parts.append(Input.of(REPORTED_TOTALS, own_totals[org]))
        parts += [Input.of(f"measures/{m.path.name}", m.data) for m in folder.measure_files
                  if m.org == org and not m.problems]
        questions = [Input.of(f"{QUESTIONS_FOLDER}/{q.path.name}", q.path.read_bytes())
                     for q in folder.question_files if q.org == org]
        parts += [*question_lists, *questions] if questions else []
        slices[org] = (*shared, *parts)
    return Slices(slices, unusable, problems, unusable_years)


def folder_inputs(folder: DataFolder) -> tuple[Input, ...]:
    """What a group report reads: the folder's score files as they are (their column กลุ่ม included), its
    question workbooks, and the reference files every report reads (the folder's own or the bundled ones)."""
    named = [(REPORTED_TOTALS, folder.reported_totals_file),
             ("national_averages.csv", folder.national_averages_file), ("oit_items.yaml", folder.oit_items_file),
             ("questions.yaml", folder.reference_file("questions.yaml"))]
    own = [(str(p.relative_to(folder.root)), p) for p in [*(f.path for f in folder.score_files),
                                                          *(q.path for q in folder.question_files)]]
    catalogue = folder.root / QUESTIONS_FOLDER / CATALOGUE_NAME
    own += [(f"{QUESTIONS_FOLDER}/{CATALOGUE_NAME}", catalogue)] if catalogue.is_file() else []
    framework = Input.of(*folder.methodology_slice)  # with the folder's own framework years
    return (framework, *(Input.of(name, path.read_bytes()) for name, path in [*named, *own] if path is not None))


def peer_inputs(folder: DataFolder, pairs: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[Input, ...]]:
    """Agency-year -> its report's standing among the folder's agencies that year (peers.PEERS), for the
    years with more than one agency. Made once per batch; the bytes hold only what the report shows, so
    another agency's edit makes this report stale only when it changes the group's size, this agency's
    rank or the number below it, or a bar of the distribution."""
    if not pairs:
        return {}
    # A folder read for some agencies only (ita report, run --org) is read whole here: a report's standing
    # is the same however the batch was asked for.
    whole = folder if folder.orgs is None else DataFolder(folder.root, agency=folder.agency, year=folder.year)
    table = folder_table(whole, {year for _org, year in pairs})
    return {key: (Input.of(PEERS, standing.to_json()),) for key, standing in standings(table, pairs).items()}
