"""Everything one implementation report (O26) shows, read and checked once: the agency's measures of a
results year, the progress file of a round that reports on them, and what the counts say."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ITADataError, Problem
from ..core.i18n import N_, _
from ..core.thai import DIGIT_STYLES
from ..domain.oit_items import OitCatalogue, OitItem, OitYear
from ..inputs.dataset import BUNDLED_DATA, DataFolder
from ..inputs.measures_draft import MeasurePlan
from ..inputs.progress import NOT_REPORTED, ROUNDS, ProgressReport, check_matches
from ..inputs.progress_folder import measures_of, progress_for

# Why an implementation report deserves a second look (as report.WARNINGS for the measures document).
PROGRESS_WARNINGS = {
    "steps_not_reported": N_("steps without a status: the report lists them as not reported"),
    "no_progress_file": N_("no progress file of the agency for this results year: every step is not reported"),
}


@dataclass(frozen=True)
class Progress:
    org: str
    fiscal_year: int  # the results year the measures were set from
    plan: MeasurePlan
    report: ProgressReport
    oit: OitCatalogue | None = None

    @property
    def unit(self) -> str:
        return self.plan.unit

    @property
    def plan_year(self) -> int:
        return self.plan.plan_year

    @property
    def months(self) -> int:
        return self.report.months

    @property
    def oit_item(self) -> tuple[OitYear, OitItem] | None:
        """The OIT item this report is published as, from the list of the year the measures are carried out."""
        return self.oit.document_item("progress", self.plan_year) if self.oit else None

    @property
    def counts(self) -> dict[str, int]:
        return self.report.counts

    @property
    def figures(self) -> dict:
        """What the index lists: the round and the steps per status."""
        return {"round": self.months, "steps": len(self.report.steps)} | self.counts

    @property
    def warnings(self) -> list[str]:
        found = {"steps_not_reported": self.counts[NOT_REPORTED] > 0, "no_progress_file": not self.report.file}
        return [code for code, applies in found.items() if applies]


def check_round(months: int | None, digits: str) -> None:
    problems = []
    if months is not None and months not in ROUNDS:
        problems.append(Problem("", _("round must be 6 or 12 (months), not {value}").format(value=repr(months))))
    if digits not in DIGIT_STYLES:
        problems.append(Problem("", _("digits must be {choices}, not {value}").format(
            choices=f" {_('or')} ".join(DIGIT_STYLES), value=repr(digits))))
    if problems:
        raise ITADataError(problems)


def build_progress(org: str, fiscal_year: int, months: int | None = None, data_dir: Path | str | None = None,
                   digits: str = "thai") -> Progress:
    """The implementation report of `org`'s measures of `fiscal_year` for the round of `months` (None: the
    latest round the folder has); refused, with what differs, when the progress file no longer matches
    the measures. Without any progress file of the agency-year, every step of the measures is not reported
    (and the report says so)."""
    check_round(months, digits)
    folder = DataFolder(data_dir or BUNDLED_DATA)
    fiscal_year = int(fiscal_year)
    plan = measures_of(folder.root, org, fiscal_year)
    path = progress_for(folder.root, org, fiscal_year, months, required=False)
    if path is None:  # a notebook opened before any progress file: the measures' steps, none reported yet
        return Progress(org, fiscal_year, plan, ProgressReport.unreported(plan, months or ROUNDS[0]), folder.oit_items)
    from ..inputs.progress_xlsx import read_progress  # openpyxl: a batch's main process plans without it

    report = read_progress(path)
    check_matches(report, plan)
    return Progress(org, fiscal_year, plan, report, folder.oit_items)
