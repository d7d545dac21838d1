"""What a unit reports of carrying out its measures (the implementation report, O26 in 2569): each step of
each issue of its measures file with its status, result and evidence, for one round (six or twelve
months), and the executive who acknowledged it.

A progress file is an Excel workbook (`progress_xlsx`: `ita template progress` writes one from the measures
file, and one the agency made itself with the same Thai headings is read too) kept in the data folder's
`progress/`. Its issues and steps must still be those of the measures file it reports on (`differences`):
a step added or reworded in one and not the other is told, never matched by guess. A step without a
status is not reported (`NOT_REPORTED`), and stays in the report as such."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.paths import folder_name
from .measures_draft import MeasurePlan

# The statuses a step may have, in the order a report counts them, as the drop-down offers them.
STATUSES: dict[str, str] = {"done": "ดำเนินการแล้ว", "in_progress": "อยู่ระหว่างดำเนินการ",
                            "not_started": "ยังไม่ดำเนินการ"}
NOT_REPORTED = "not_reported"
NOT_REPORTED_TEXT = "ยังไม่รายงาน"
STATUS_TEXT = STATUSES | {NOT_REPORTED: NOT_REPORTED_TEXT}
ROUNDS = (6, 12)  # months into the fiscal year


def round_text(months: int) -> str:
    """รอบ 6 เดือน, in Arabic digits (a document writes them in its own)."""
    return f"รอบ {months} เดือน"


def progress_form_name(org: str, year: int, months: int) -> str:
    return f"ผลการดำเนินการ_{folder_name(org)}_{year}_รอบ{months}เดือน.xlsx"


@dataclass(frozen=True)
class StepProgress:
    text: str
    responsible: str = ""
    period: str = ""
    status: str = NOT_REPORTED  # a key of STATUS_TEXT
    result: str = ""
    evidence_title: str = ""
    evidence_link: str = ""
    problems: str = ""
    suggestions: str = ""
    row: int | None = None  # where the workbook has it


@dataclass(frozen=True)
class IssueProgress:
    title: str
    indicators: str
    steps: tuple[StepProgress, ...]
    row: int | None = None


@dataclass(frozen=True)
class Acknowledgement:
    """The executive who acknowledged the report; empty texts leave the lines to be signed by hand."""
    name: str = ""
    position: str = ""
    date: str = ""


@dataclass(frozen=True)
class ProgressReport:
    unit: str
    scores_org: str
    results_year: int
    plan_year: int | None
    months: int  # the round: 6 or 12
    as_of: str
    executive: Acknowledgement
    issues: tuple[IssueProgress, ...]
    file: str  # as messages name it
    table: str = ""  # the file and sheet of its table, as messages name them

    @classmethod
    def unreported(cls, plan: MeasurePlan, months: int) -> ProgressReport:
        """The report of a round no progress file was made for: every step of the measures, not reported."""
        issues = tuple(IssueProgress(issue.title, ", ".join(map(str, issue.indicators)),
                                     tuple(StepProgress(step, issue.responsible) for step in issue.steps))
                       for issue in plan.issues)
        return cls(plan.unit, plan.scores_org, plan.results_year, plan.plan_year, months, "", Acknowledgement(),
                   issues, "")

    @property
    def steps(self) -> list[StepProgress]:
        return [step for issue in self.issues for step in issue.steps]

    @property
    def counts(self) -> dict[str, int]:
        """Steps per status, every status listed (not reported last)."""
        found = Counter(step.status for step in self.steps)
        return {status: found.get(status, 0) for status in STATUS_TEXT}


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def differences(progress: ProgressReport, plan: MeasurePlan) -> list[Problem]:
    """What differs between the issues and steps of a progress file and of the measures file it reports on:
    an issue or step in one and not in the other, named with its text (and its row in the workbook)."""
    found: list[Problem] = []
    where = progress.table or progress.file
    for issue in plan.issues:
        match = next((own for own in progress.issues if same_text(own.title, issue.title)), None)
        if match is None:
            found.append(Problem(where, _("the issue {title} of the measures file is not in the progress "
                                          "file").format(title=f"“{issue.title}”")))
            continue
        for step in issue.steps:
            if not any(same_text(own.text, step) for own in match.steps):
                found.append(Problem(where, _("issue {title}: the step {step} of the measures file is not in "
                                              "the progress file").format(title=f"“{issue.title}”",
                                                                          step=f"“{step}”")))
        for own in match.steps:
            if not any(same_text(own.text, step) for step in issue.steps):
                found.append(Problem(where, _("issue {title}: the step {step} is not in the measures "
                                              "file").format(title=f"“{issue.title}”", step=f"“{own.text}”"),
                                     own.row))
    for own in progress.issues:
        if not any(same_text(own.title, issue.title) for issue in plan.issues):
            found.append(Problem(where, _("the issue {title} is not in the measures file").format(
                title=f"“{own.title}”"), own.row))
    return found


def check_matches(progress: ProgressReport, plan: MeasurePlan) -> None:
    """Refuse a progress file whose issues and steps are no longer those of the measures file, saying what
    differs and what to do."""
    found = differences(progress, plan)
    if found:
        lead = Problem(progress.file, _("the progress file no longer matches the measures file {measures}: "
                                        "correct the differences below, or make a new progress file from the "
                                        "measures with ita template progress").format(measures=plan.file))
        raise ITADataError([lead, *found])
