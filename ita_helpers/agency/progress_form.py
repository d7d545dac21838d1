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


def progress_template(data: Path, org: str, year: int, out: Path, months: int) -> MeasurePlan:
    """Write the progress workbook of `org`'s measures of `year` for the round of `months`; returns the
    measures it was made from."""
    from ..inputs.progress_folder import measures_of
    from ..inputs.progress_xlsx import write_progress_workbook

    if out.exists() or out.is_symlink():  # a dangling link too: a file written through it lands where it points
        raise ITADataError(Problem(str(out), _("already exists: nothing was written (name another file with "
                                               "--out, or move this one away)")))
    plan = measures_of(data, org, year)
    write_progress_workbook(out, plan, months)
    return plan
