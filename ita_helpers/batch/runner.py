"""Rendering reports: one (`ita report`) or many (`ita run`), on local workers or a Dask cluster.

The main process plans (`jobs`), hands the reports not up to date to a backend (`backends`), prints
each PDF through one browser kept open for the whole batch as the HTML comes back, and publishes
every report atomically with its manifest entry (`publish`). Each report runs in its own fresh kernel."""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from ..analysis.group import GROUP_WARNINGS
from ..analysis.progress import PROGRESS_WARNINGS
from ..analysis.report import WARNINGS
from ..core import interrupt
from ..core.errors import BatchStopped, Problem
from ..core.i18n import _
from ..core.thai import display_width
from ..core.timeline import mark
from ..render.pdf import pdf_engine
from . import backends
from .backends import Backend, engine_name_for, formats_of
from .forkserver import default_isolation
from .jobs import Job, Rendered
from .publish import OutputFolder

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SHOWN = 3  # agencies named per warning in the summary; the index lists them all
LISTED = 10  # reports a stopped batch did not reach, named in the summary; the manifest lists them all


@dataclass
class Result:
    job: Job
    status: str  # "ok", "warnings", "failed", "skipped"
    engine: str | None = None
    duration: float = 0.0
    error: str | None = None
    cell: int | None = None
    warnings: tuple[str, ...] = ()
    failed_notebook: Path | None = None
    stale: bool = False  # failed, its last good report kept in the index, marked out of date


def _thai_tqdm():
    """tqdm that measures what it printed in terminal columns: it counts Thai vowel and tone marks as one
    column each, so each redraw left the tail of the previous line behind."""
    class ThaiTqdm(tqdm):
        @staticmethod
        def status_printer(file):
            last = [0]

            def print_status(text: str) -> None:
                width = display_width(ANSI.sub("", text))
                file.write("\r" + text + " " * max(last[0] - width, 0))
                getattr(file, "flush", lambda: None)()
                last[0] = width

            return print_status

    return ThaiTqdm


class Progress:
    """A progress bar with done/failed/skipped counts and the current report; silent off a terminal.
    It shows at once, before the first report is back (workers and kernels take a few seconds to start)."""

    def __init__(self, total: int):
        self.counts = {"ok": 0, "warnings": 0, "failed": 0, "skipped": 0}
        self.bar = _thai_tqdm()(total=total, unit=_("report"), disable=not sys.stderr.isatty(), dynamic_ncols=True,
                                postfix=_("starting workers and kernels"))

    def update(self, result: Result) -> None:
        self.counts[result.status] += 1
        self.bar.set_postfix_str(_("done {done} failed {failed} skipped {skipped}").format(
            done=self.counts["ok"] + self.counts["warnings"], failed=self.counts["failed"],
            skipped=self.counts["skipped"]) + f" | {result.job.fiscal_year} {printable(result.job.org)}")
        self.bar.update(1)

    def tell(self, text: str) -> None:
        """A line above the bar, on a terminal or not: what the user should know while the batch runs."""
        self.bar.write(text, file=sys.stderr)

    def close(self) -> None:
        self.bar.close()


def run(jobs: list[Job], out_dir: Path, workers: int | None = None, force: bool = False,
        engine_choice: str = "auto", scheduler: str | None = None, isolation: str | None = None,
        present: set[tuple[str, int]] | None = None, warm: Backend | None = None) -> list[Result]:
    """Render `jobs`; returns one Result per job. Ctrl-C stops the batch cleanly. Kernels are forked
    from a preloaded template where that is safe, unless `isolation` is "fresh". `present`: every
    agency-year of the data, when it was all read; the others' reports are marked gone. `warm`: a backend
    started ahead (`warm_backend`), used if a report is to be rendered; its starter stops it otherwise."""
    engine_name = engine_name_for(formats_of(jobs), engine_choice)
    out = OutputFolder(out_dir)  # locked from here: every way out below goes through out.close()
    if present is not None:
        out.mark_gone(present)
    unusable = [job for job in jobs if job.problems]
    todo = [job for job in jobs if not job.problems and (force or not out.up_to_date(job, engine_name))]
    chosen = {id(job) for job in unusable + todo}
    results = [Result(job, "skipped") for job in jobs if id(job) not in chosen]
    progress = Progress(len(jobs))
    for result in results:
        progress.update(result)
    backend = engine = None

    def publish(job: Job, rendered: Rendered) -> None:
        restarts = engine.restarts if engine else 0
        mark("main: report received")
        status, duration = out.add(job, rendered, engine)
        mark("main: report published (PDF printed)")
        if engine and engine.restarts > restarts:
            progress.tell(_("The PDF browser stopped while printing {year} {org}; it was started again and the "
                            "batch goes on").format(year=job.fiscal_year, org=printable(job.org)))
        result = Result(job, status, engine.name if engine else None, duration, rendered.error,
                        rendered.cell, tuple(rendered.warnings), out.failed_notebook(job), out.stale(job))
        results.append(result)
        progress.update(result)

    try:
        interrupt.check()  # one Python dropped as the data was read
        if todo:
            backend = warm or backends.make_backend(scheduler, workers, engine_name, isolation or default_isolation())
        for job in unusable:  # known before any kernel starts: failed at once, with the files' problems
            publish(job, Rendered.refused(job.problems))
        if backend:
            backend.submit(todo)
            if any("pdf" in job.formats for job in todo):
                engine = pdf_engine(engine_choice)  # launches while the workers boot
                mark("main: browser started")
            for job, rendered in backend.completed():
                publish(job, rendered)
    except (KeyboardInterrupt, OSError) as err:  # the reports not reached are listed, here and in the manifest
        if backend and isinstance(err, KeyboardInterrupt):
            backend.abort()
            backend = None
        done = {id(result.job) for result in results}
        left = [job for job in jobs if id(job) not in done]
        out.not_attempted(left, _("interrupted") if isinstance(err, KeyboardInterrupt) else str(err))
        raise BatchStopped(err, results, left) from err
    finally:
        stopping = sys.exc_info()[1]
        progress.close()
        # The workers end (each kills its kernels and template) while the browser closes and the index is written.
        closing = _Closing(backend) if backend else None
        if engine:
            engine.close()
            mark("main: browser closed")
        try:
            out.close()
            mark("main: manifest and index written")
        except OSError as err:  # a full disk at the manifest or index: what stopped the batch is told first
            raise stopping or BatchStopped(err, results, []) from err
        finally:
            if closing:
                closing.join()
                mark("main: workers ended")
        if closing and closing.error and not stopping:  # told as it was when the workers ended in this thread
            raise closing.error
    order = {id(job): position for position, job in enumerate(jobs)}
    return sorted(results, key=lambda result: order[id(result.job)])  # in plan order, not completion order


class _Closing(threading.Thread):
    """A backend closed in a thread of its own; what stopped it from closing is kept for this thread to raise."""

    def __init__(self, backend: Backend):
        super().__init__(name="ita-close-workers")
        self.backend = backend
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.backend.close()
        except BaseException as err:  # noqa: BLE001 - raised again by the thread that waits for it
            self.error = err


def summary(results: list[Result], bad_inputs: list[Problem] = (), not_attempted: list[Job] = ()) -> str:
    """What the batch did, each failure with its cell and error, each warning with its reason, the
    input files it could not use, and the reports a stopped batch did not reach."""
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "warnings", "failed", "skipped")}
    rendered = counts["ok"] + counts["warnings"]
    head = _("{rendered} rendered ({warnings} with warnings), {failed} failed, {skipped} up to date").format(
        rendered=rendered, warnings=counts["warnings"], failed=counts["failed"], skipped=counts["skipped"])
    stale = sum(r.stale for r in results)
    if stale:
        head += _(" ({count} of the failed keep an earlier report, now out of date)").format(count=stale)
    if bad_inputs:
        head += _(", {count} problem(s) in input files").format(count=len(bad_inputs))
    lines = [head] + [_("  BAD INPUT {problem}").format(problem=problem) for problem in bad_inputs]
    for r in results:
        if r.status == "failed":
            where = _(" (cell {cell})").format(cell=r.cell) if r.cell is not None else ""
            lines.append(_("  FAILED {year} {org}{where}: {error}").format(
                year=r.job.fiscal_year, org=printable(r.job.org), where=where, error=r.error))
            if r.failed_notebook:
                lines.append(_("         notebook: {path}").format(path=r.failed_notebook))
    for code, text in (WARNINGS | PROGRESS_WARNINGS | GROUP_WARNINGS).items():
        warned = [f"{r.job.fiscal_year} {printable(r.job.org)}" for r in results if code in r.warnings]
        if warned:
            more = _(" and {count} more").format(count=len(warned) - SHOWN) if len(warned) > SHOWN else ""
            lines.append(_("  WARNING {reason}: {count} report(s): {reports}{more}").format(
                reason=_(text), count=len(warned), reports=", ".join(warned[:SHOWN]), more=more))
    if not_attempted:
        lines.append(_("  STOPPED before {count} report(s), not attempted:").format(count=len(not_attempted)))
        lines += [f"    {job.fiscal_year} {printable(job.org)}" for job in not_attempted[:LISTED]]
        if len(not_attempted) > LISTED:
            lines.append(_("    ... and {count} more (manifest.json lists them all)").format(
                count=len(not_attempted) - LISTED))
    return "\n".join(lines)


def printable(name: str) -> str:
    """A name from a data file as safe terminal text: control characters shown as escapes, not obeyed."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)
