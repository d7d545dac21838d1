"""The progress files of a data folder (its `progress/`): whose each is, and the one an implementation report
reads, with the measures it reports on (read through inputs.measures, as the measures report reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.paths import is_clutter, special_file
from .measures_draft import MeasurePlan

PROGRESS_FOLDER = "progress"


@dataclass(frozen=True)
class ProgressFile:
    """A progress file of a data folder as first looked at: whose, which year and round (None where it
    cannot be told), and its bytes, handed to the agency's report as they are."""
    path: Path
    org: str | None
    results_year: int | None
    months: int | None
    data: bytes = field(default=b"", repr=False)


def progress_paths(data_dir: Path | str) -> list[Path]:
    folder = Path(data_dir) / PROGRESS_FOLDER
    return sorted(p for p in folder.glob("*.xlsx") if not p.is_dir() and not is_clutter(p))  # a pipe: told


def progress_files(data_dir: Path | str) -> list[ProgressFile]:
    """Every progress workbook of a folder with its agency, year and round, read leniently: a file whose
    header cannot be read names none (its report tells why)."""
    from .progress_xlsx import header_of  # openpyxl only where a folder has progress files

    found = []
    for path in progress_paths(data_dir):
        org, year, months = header_of(path)
        found.append(ProgressFile(path, org, year, months, b"" if special_file(path) else path.read_bytes()))
    return found


def progress_for(data_dir: Path | str, org: str, results_year: int, months: int | None = None,
                 required: bool = True) -> Path | None:
    """The progress file of an agency-year (of round `months`, else its latest round); ITADataError naming
    what the folder has when there is none (None instead when not `required` and the agency-year has no
    file of any round), or two of one round."""
    files = [f for f in progress_files(data_dir) if f.org == org and f.results_year == results_year]
    chosen = [f for f in files if months is None or f.months == months]
    if not files and not required:
        return None
    if not chosen:
        folder = Path(data_dir) / PROGRESS_FOLDER
        rule = (_("no progress file of {org} for the results year {year} in round {months}; the rounds it has: "
                  "{rounds}").format(org=org, year=results_year, months=months,
                                     rounds=", ".join(str(f.months) for f in files))
                if files else
                _("no progress file of {org} for the results year {year}: make one with ita template progress "
                  "--org \"{org}\" --year {year}, fill it in and save it in this folder").format(
                      org=org, year=results_year))
        raise ITADataError(Problem(str(folder), rule))
    latest = max(f.months or 0 for f in chosen)
    twice = [f for f in chosen if (f.months or 0) == latest]
    if len(twice) > 1:
        raise ITADataError(Problem(", ".join(str(f.path) for f in twice), _(
            "{org}, {year}, round {months} has more than one progress file: keep one").format(
                org=org, year=results_year, months=latest)))
    return twice[0].path


def measures_of(data: Path, org: str, year: int) -> MeasurePlan:
    """The agency's measures of a results year in a data folder; ITADataError with what to do when its file
    is broken or missing."""
    from .dataset import DataFolder

    folder = DataFolder(data)
    files = [m for m in folder.measure_files if m.org == org]
    broken = [p for m in files for p in m.problems]
    if broken:
        raise ITADataError(broken)
    plans = [m.value for m in files if m.value is not None and m.value.results_year == year]
    if not plans:
        years = sorted({m.value.results_year for m in files if m.value is not None})
        rule = (_("no measures of {org} for the results year {year} in measures/; the years it has: "
                  "{years}").format(org=org, year=year, years=", ".join(map(str, years))) if years else
                _("no measures of {org} in measures/: make them first with ita template measures --org \"{org}\" "
                  "--year {year}").format(org=org, year=year))
        raise ITADataError(Problem(str(folder.root), rule))
    if len(plans) > 1:
        raise ITADataError(Problem(", ".join(p.file for p in plans), _(
            "{org}, {year} has measures in more than one file: keep one").format(org=org, year=year)))
    return plans[0]


def progress_problems(data_dir: Path | str) -> list[Problem]:
    """What `ita validate` tells of a folder's progress files: each one's own problems, and what differs from
    the measures it reports on."""
    from .progress import differences
    from .progress_xlsx import read_progress

    problems: list[Problem] = []
    for found in progress_files(data_dir):
        try:
            report = read_progress(found.path)
            plan = measures_of(Path(data_dir), report.scores_org, report.results_year)
        except ITADataError as err:
            problems += err.problems
            continue
        problems += differences(report, plan)
    return problems
