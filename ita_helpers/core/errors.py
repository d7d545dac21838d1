"""The one exception type for bad input, carrying every problem found at once."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _, ngettext


@dataclass(frozen=True)
class Problem:
    """One rule broken at one place in one input file."""

    file: str
    rule: str
    row: int | None = None  # 1-based line as a spreadsheet shows it (the header is row 1)
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        if not self.file:
            return self.rule
        where = self.file
        if self.row is not None:
            where = _("{where}, row {row}").format(where=where, row=self.row)
        if self.column is not None:
            where = _("{where}, column {column}").format(where=where, column=repr(self.column))
        shown = "" if self.value is None else _(" (value {value})").format(value=repr(self.value))
        return f"{where}: {self.rule}{shown}"


class ITADataError(ValueError):
    """Input that must not become a result. `problems` lists everything wrong, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(file="", rule=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        head = ngettext("{count} problem found", "{count} problems found", count).format(count=count)
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class NoDataRows(ITADataError):
    """A score file with its header and nothing under it yet, such as the form `ita init` makes."""


class EngineUnavailable(RuntimeError):
    """The PDF engine asked for cannot run here (no browser found, or the one named does not start)."""


class ClusterUnavailable(RuntimeError):
    """The Dask cluster asked for cannot be used (Dask not installed, or the scheduler not reachable)."""


class OutputBusy(RuntimeError):
    """Another run is writing to the same output folder."""


class BatchStopped(Exception):
    """A batch stopped by its environment (a full disk, no permission, Ctrl-C): `cause` is what stopped it,
    `results` the reports done before, `not_attempted` the jobs left (`runner.Result`, `jobs.Job`)."""

    def __init__(self, cause: BaseException, results: list, not_attempted: list):
        super().__init__(str(cause))
        self.cause = cause
        self.results = results
        self.not_attempted = not_attempted
