"""`ita template progress --org NAME --year 2566 [--round 6|12]`: the progress workbook of an agency's measures
of a results year (inputs.progress_xlsx writes it), so that the measures are never typed a second time.

It reads the measures as the report reads them (the folder's measures/ through inputs.measures) and
writes into the folder's progress/ by default, never over an existing file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ITADataError, Problem
from ..core.i18n import _

if TYPE_CHECKING:  # the rest is imported where used: `ita` builds its parser on every call
    from ..inputs.measures_draft import MeasurePlan


def measures_of(data: Path, org: str, year: int) -> MeasurePlan:
    """The agency's measures of a results year in a data folder; ITADataError with what to do when its file
    is broken or missing."""
    from ..inputs.dataset import DataFolder

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


def progress_template(data: Path, org: str, year: int, out: Path, months: int) -> MeasurePlan:
    """Write the progress workbook of `org`'s measures of `year` for the round of `months`; returns the
    measures it was made from."""
    from ..inputs.progress_xlsx import write_progress_workbook

    if out.exists():
        raise ITADataError(Problem(str(out), _("already exists: nothing was written (name another file with "
                                               "--out, or move this one away)")))
    plan = measures_of(data, org, year)
    write_progress_workbook(out, plan, months)
    return plan
