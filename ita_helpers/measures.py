"""An agency's action table (issues, measures, responsible unit, steps) and constraints, from YAML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ITADataError, Problem
from .methodology import Methodology


@dataclass(frozen=True)
class IssueGroup:
    title: str
    indicators: tuple[int, ...]
    measures: tuple[str, ...]
    responsible: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class MeasurePlan:
    """The measures a unit set for `plan_year` from the results of `results_year` of `scores_org`."""

    unit: str
    scores_org: str
    results_year: int
    plan_year: int
    issues: tuple[IssueGroup, ...]
    constraints: tuple[str, ...]
    source: str
    file: str

    @property
    def covered_indicators(self) -> set[int]:
        return {n for issue in self.issues for n in issue.indicators}

    def uncovered(self, weak: list[int]) -> list[int]:
        """Weak indicators that no issue group addresses, in the order given."""
        return [n for n in weak if n not in self.covered_indicators]


def _text_list(raw: object, where: str, problems: list[Problem], name: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        problems.append(Problem(name, f"{where} must be a list of non-empty texts", value=raw))
        return ()
    return tuple(x.strip() for x in raw)


def _runs(numbers: set[int]) -> str:
    """Numbers as runs, as a reader would write them: {1, 2, 3, 5} -> '1-3, 5'."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def load_measures(path: Path | str, methodology: Methodology) -> MeasurePlan:
    """Read and validate one measures file; every problem is reported at once."""
    path = Path(path)
    name = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        raise ITADataError(Problem(name, f"not valid YAML: {err}")) from None
    if not isinstance(raw, dict):
        raise ITADataError(Problem(name, "expected a mapping with unit, scores_org, results_year, plan_year, issues"))
    problems: list[Problem] = []
    for key in ("unit", "scores_org", "results_year", "plan_year", "issues"):
        if key not in raw:
            problems.append(Problem(name, f"missing key {key!r}"))
    if problems:
        raise ITADataError(problems)
    years = {}
    for key in ("results_year", "plan_year"):
        try:
            years[key] = int(raw[key])
        except (TypeError, ValueError):
            problems.append(Problem(name, f"{key} must be a fiscal year (B.E.)", value=raw[key]))
    if not isinstance(raw["issues"], list):
        raise ITADataError(problems + [Problem(name, "issues must be a list of issue groups")])
    known = set(methodology.indicator_names.values())
    issues = []
    for index, issue in enumerate(raw["issues"], start=1):
        where = f"issue {index}"
        if not isinstance(issue, dict):
            problems.append(Problem(name, f"{where}: expected title, indicators, measures, responsible, steps",
                                    value=issue))
            continue
        numbers = issue.get("indicators") or []
        numbers = numbers if isinstance(numbers, list) else [numbers]
        if not numbers or any(not isinstance(n, int) or n not in known for n in numbers):
            problems.append(Problem(name, f"{where}: indicators must be indicator numbers {_runs(known)}",
                                    value=numbers))
            numbers = []
        issues.append(IssueGroup(
            title=str(issue.get("title", "")).strip(),
            indicators=tuple(numbers),
            measures=_text_list(issue.get("measures"), f"{where}: measures", problems, name),
            responsible=str(issue.get("responsible", "")).strip(),
            steps=_text_list(issue.get("steps"), f"{where}: steps", problems, name),
        ))
        if not issues[-1].title or not issues[-1].responsible:
            problems.append(Problem(name, f"{where}: title and responsible must not be empty"))
    given = raw.get("constraints")
    constraints = _text_list(given, "constraints", problems, name) if given else ()
    if problems:
        raise ITADataError(problems)
    return MeasurePlan(
        unit=str(raw["unit"]).strip(),
        scores_org=str(raw["scores_org"]).strip(),
        results_year=years["results_year"],
        plan_year=years["plan_year"],
        issues=tuple(issues),
        constraints=constraints,
        source=str(raw.get("source", name)),
        file=name,
    )
