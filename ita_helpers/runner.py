"""Rendering reports: one (`ita report`) or many in parallel (`ita run`).

Each report runs in its own fresh kernel. Workers execute notebooks and write HTML; the main
process prints every PDF through one browser kept open for the whole batch. Files appear under
their final names only when complete (written in a scratch folder, then renamed), and a rerun
skips reports whose notebook, parameters, input files and package version are unchanged."""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .dataset import file_sha256, measure_files, measures_org, methodology_file, reference_files, score_files
from .errors import ITADataError, Problem
from .loaders import load_scores
from .methodology import load_methodology
from .scoring import DEFAULT_THRESHOLD

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "ita_report.ipynb"
MANIFEST = "manifest.json"
SCRATCH = ".partial"
FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Job:
    org: str
    fiscal_year: int
    data_dir: str
    out_dir: str
    formats: tuple[str, ...] = FORMATS
    inputs: dict[str, str] = field(default_factory=dict)  # file -> SHA-256

    @property
    def parameters(self) -> dict:
        """Every parameter of the report notebook, defaults included, so the footer shows them all."""
        return {"org": self.org, "fiscal_year": self.fiscal_year, "plan_year": None,
                "threshold": DEFAULT_THRESHOLD, "digits": "thai", "data_dir": self.data_dir}

    @property
    def folder(self) -> Path:
        return Path(self.out_dir) / str(self.fiscal_year) / self.org

    @property
    def key(self) -> str:
        """What the report depends on: parameters, inputs, package version, renderer, formats."""
        blob = json.dumps([self.parameters, self.inputs, __version__, _renderer_digest(), self.formats],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def outputs(self) -> dict[str, str]:
        return {fmt: str(self.folder / f"report.{fmt}") for fmt in ("ipynb", *self.formats)}


@functools.cache
def _renderer_digest() -> str:
    """The report notebook, the package's code and its templates: an edit re-renders, even between
    releases. Hashed once per batch, so a mid-batch edit cannot split one batch's keys."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json"))
    return hashlib.sha256(b"".join(file_sha256(p).encode() for p in [NOTEBOOK, *files])).hexdigest()


@dataclass
class Result:
    job: Job
    status: str  # "ok", "failed", "skipped"
    engine: str | None = None
    duration: float = 0.0
    error: str | None = None
    cell: int | None = None


def plan(data_dir: Path, out_dir: Path, years: set[int] | None = None, orgs: list[str] | None = None,
         formats: tuple[str, ...] = FORMATS) -> tuple[list[Job], list[Problem]]:
    """Agency-years to render from the data, each with its input hashes. Score files that fail
    validation are returned as problems (their agencies cannot be rendered); the rest go on."""
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    methodology = load_methodology(methodology_file(data_dir).resolve())
    pairs: set[tuple[str, int]] = set()
    files_of: dict[str, list[Path]] = {}  # org -> the score files with its rows
    problems: list[Problem] = []
    for path in score_files(data_dir):
        try:
            frame = load_scores(path, methodology).indicators
        except ITADataError as err:
            problems += err.problems
            continue
        found = set(frame[["org", "fiscal_year"]].drop_duplicates().itertuples(index=False, name=None))
        pairs |= found
        for org in {o for o, _ in found}:
            files_of.setdefault(org, []).append(path)
    known_orgs = sorted({o for o, _ in pairs})
    unknown = [o for o in orgs or [] if o not in known_orgs]
    if unknown:
        raise ITADataError(problems + [Problem(str(data_dir), f"no indicator scores for {', '.join(unknown)}; "
                                                              f"agencies in the data: {', '.join(known_orgs)}")])
    eligible = sorted((o, y) for o, y in pairs if not orgs or o in orgs)
    chosen = [(o, y) for o, y in eligible if not years or y in years]
    if years and not chosen:
        have = ", ".join(map(str, sorted({y for _, y in eligible})))
        raise ITADataError(problems + [Problem(
            str(data_dir), f"no indicator scores for year(s) {', '.join(map(str, sorted(years)))}"
                           f"{' of ' + ', '.join(orgs) if orgs else ''}; years in the data: {have}")])
    jobs = []
    digest = functools.cache(file_sha256)
    shared = [methodology_file(data_dir), *reference_files(data_dir)]
    measures_of: dict[str | None, list[Path]] = {}
    for path in measure_files(data_dir):
        measures_of.setdefault(measures_org(path), []).append(path)
    for org, year in chosen:
        # exactly the files load_dataset(data_dir, org=org) reads in the report's kernel
        read = [*shared, *files_of[org], *measures_of.get(org, []), *measures_of.get(None, [])]
        inputs = {str(p): digest(p) for p in read}
        jobs.append(Job(org, int(year), str(data_dir), str(out_dir), formats, inputs))
    return jobs, problems


# ---- worker side: executes notebooks and writes HTML ------------------------------------------------

_next_kernel = None
_live_kernels: set = set()  # every kernel this worker started and has not stopped yet


def _worker_init(cwd: str) -> None:
    """Workers ignore Ctrl-C (the main process decides) and, when terminated, kill their kernels first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    _die_with_parent()
    atexit.register(_kill_live_kernels)
    from .execute import start_kernel
    from .render import html_exporter

    global _next_kernel
    _next_kernel = start_kernel(Path(cwd), registry=_live_kernels)

    html_exporter()  # template compiled while the first kernel boots


def _die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM when the main process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: an orphaned worker ends when its task queue closes


def _kill_live_kernels(wait: bool = True) -> None:
    from .execute import remove_kernel_files

    for km in list(_live_kernels):
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            try:
                os.kill(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if wait:
                process.wait()
        remove_kernel_files(km)
        _live_kernels.discard(km)


def _on_terminate(signum, frame) -> None:
    """Kill every kernel and leave at once. No waiting here: the handler may have interrupted a wait
    on the same process, and a second wait would deadlock on its lock."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _kill_live_kernels(wait=False)
    os._exit(128 + signum)


def _stop_in_background(km) -> None:
    from .execute import stop_kernel

    stop_kernel(km)
    _live_kernels.discard(km)


def _take_kernel(cwd: Path, prestart: bool = True):
    """The kernel started ahead (or one started now), replaced by another that boots while this one
    works, unless no job is expected after this one."""
    global _next_kernel
    from .execute import start_kernel

    km = _next_kernel or start_kernel(cwd, registry=_live_kernels)
    _next_kernel = start_kernel(cwd, registry=_live_kernels) if prestart else None
    return km


def execute_job(job: Job, engine_name: str, prestart: bool = True) -> tuple[str, int | None, str | None]:
    """Run one report's notebook into the scratch folder and write its HTML there.
    Returns (scratch folder, failing cell or None, error or None)."""
    from papermill.exceptions import PapermillExecutionError

    from .execute import execute
    from .render import to_html

    scratch = Path(job.out_dir) / SCRATCH / uuid.uuid4().hex
    scratch.mkdir(parents=True)
    cwd = NOTEBOOK.parent
    km = _take_kernel(cwd, prestart)
    try:
        notebook = execute(NOTEBOOK, scratch / "report.ipynb", job.parameters, cwd, km=km)
    except PapermillExecutionError as err:
        return str(scratch), err.exec_count, f"{err.ename}: {err.evalue}"
    finally:
        threading.Thread(target=_stop_in_background, args=(km,)).start()  # not waited on; joined at exit
    if "html" in job.formats or "pdf" in job.formats:
        names = {Path(p).name: digest for p, digest in job.inputs.items()}
        shown = job.parameters | {"data_dir": Path(job.data_dir).name, "formats": ",".join(job.formats)}
        html = to_html(notebook, shown, names, engine_name)  # no local path in a published page
        (scratch / "report.html").write_text(html, encoding="utf-8")
    return str(scratch), None, None


# ---- main side: plan, dispatch, PDF, publish, manifest ---------------------------------------------

def _failed_notebook(job: Job) -> Path:
    return job.folder / "report.failed.ipynb"


def publish(scratch: Path, job: Job, failed: bool) -> None:
    """Move finished files under their final names; a failure keeps only its executed notebook.
    Ctrl-C waits until the renames are done, so a report's files never mix two runs."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        job.folder.mkdir(parents=True, exist_ok=True)
        if failed:
            os.replace(scratch / "report.ipynb", _failed_notebook(job))
        else:
            for fmt in ("ipynb", *job.formats):
                os.replace(scratch / f"report.{fmt}", job.folder / f"report.{fmt}")
            _failed_notebook(job).unlink(missing_ok=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    shutil.rmtree(scratch, ignore_errors=True)


def load_manifest(out_dir: Path) -> dict:
    path = Path(out_dir) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"reports": {}}


def write_manifest(out_dir: Path, manifest: dict) -> None:
    path = Path(out_dir) / MANIFEST
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def manifest_id(job: Job) -> str:
    return f"{job.fiscal_year}/{job.org}"


def up_to_date(job: Job, manifest: dict, engine_name: str) -> bool:
    """Rendered before from the same inputs, every output still there, the PDF by the same engine."""
    entry = manifest["reports"].get(manifest_id(job))
    return bool(entry and entry["status"] == "ok" and entry["key"] == job.key
                and ("pdf" not in job.formats or entry["engine"] == engine_name)
                and all(Path(p).exists() for p in job.outputs().values()))


def record(manifest: dict, result: Result) -> None:
    job = result.job
    if result.status == "ok":
        outputs = job.outputs()
    else:
        outputs = {"ipynb": str(_failed_notebook(job))} if _failed_notebook(job).exists() else {}
    manifest["reports"][manifest_id(job)] = {
        "org": job.org, "fiscal_year": job.fiscal_year, "parameters": job.parameters, "inputs": job.inputs,
        "outputs": outputs,
        "engine": result.engine, "duration": round(result.duration, 3), "status": result.status,
        "error": result.error, "cell": result.cell, "key": job.key, "version": __version__,
    }


class Progress:
    """A progress bar with done/failed/skipped counts and the current report; silent off a terminal."""

    def __init__(self, total: int):
        from tqdm import tqdm

        self.counts = {"ok": 0, "failed": 0, "skipped": 0}
        self.bar = tqdm(total=total, unit="report", disable=not sys.stderr.isatty(), dynamic_ncols=True)

    def update(self, result: Result) -> None:
        self.counts[result.status] += 1
        self.bar.set_postfix_str(f"done {self.counts['ok']} failed {self.counts['failed']} "
                                 f"skipped {self.counts['skipped']} | {result.job.fiscal_year} {result.job.org}")
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def run(jobs: list[Job], out_dir: Path, jobs_count: int | None = None, force: bool = False,
        engine_choice: str = "auto") -> list[Result]:
    """Render `jobs` in parallel; returns one Result per job. Ctrl-C stops the batch cleanly."""
    from .index import write_index
    from .render import pdf_engine, pdf_engine_name

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(out_dir)
    needs_pdf = any("pdf" in job.formats for job in jobs)
    engine_name = pdf_engine_name(engine_choice) if needs_pdf else "-"
    fresh = {manifest_id(job) for job in jobs if not force and up_to_date(job, manifest, engine_name)}
    results = [Result(job, "skipped") for job in jobs if manifest_id(job) in fresh]
    todo = [job for job in jobs if manifest_id(job) not in fresh]
    progress = Progress(len(jobs))
    for result in results:
        progress.update(result)
    needs_pdf = any("pdf" in job.formats for job in todo)
    workers = max(1, min(jobs_count or os.cpu_count() or 1, len(todo) or 1))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(str(NOTEBOOK.parent),)) if todo else None
    started: dict[Future, tuple[Job, float]] = {}
    interrupted = False
    engine = None
    try:
        for position, job in enumerate(todo):
            last_round = position >= len(todo) - workers  # no job will follow: no spare kernel
            started[pool.submit(execute_job, job, engine_name, not last_round)] = (job, time.perf_counter())
        engine = pdf_engine(engine_choice) if needs_pdf else None  # launches while the workers boot
        pending = set(started)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job, t0 = started[future]
                result = _finish(future, job, t0, engine)
                record(manifest, result)
                write_manifest(out_dir, manifest)
                results.append(result)
                progress.update(result)
    except KeyboardInterrupt:
        interrupted = True
        if pool:
            _terminate_workers(pool)
        raise
    finally:
        progress.close()
        if pool and not interrupted:
            pool.shutdown(wait=True, cancel_futures=True)
        if engine:
            engine.close()
        shutil.rmtree(out_dir / SCRATCH, ignore_errors=True)
        write_index(out_dir, manifest)
    return results


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Stop at once: cancel what has not started, and terminate workers (each kills its kernels)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def _finish(future: Future, job: Job, t0: float, engine) -> Result:
    try:
        scratch, cell, error = future.result()
    except Exception as err:  # a worker that died or could not start the notebook
        return Result(job, "failed", duration=time.perf_counter() - t0, error=f"{type(err).__name__}: {err}")
    scratch = Path(scratch)
    if error is None and "pdf" in job.formats:
        try:
            engine.write_pdf((scratch / "report.html").read_text(encoding="utf-8"), scratch / "report.pdf")
        except Exception as err:  # the executed notebook is kept, as for a failing cell
            error = f"PDF ({engine.name}): {type(err).__name__}: {err}"
    if error is None and "html" not in job.formats:
        (scratch / "report.html").unlink(missing_ok=True)
    publish(scratch, job, failed=error is not None)
    return Result(job, "failed" if error else "ok", engine.name if engine else None,
                  time.perf_counter() - t0, error, cell)


def summary(results: list[Result], bad_inputs: list[Problem] = ()) -> str:
    """What the batch did, each failure with its cell and error, and the input files it could not use."""
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "failed", "skipped")}
    lines = [f"{counts['ok']} rendered, {counts['failed']} failed, {counts['skipped']} up to date"
             + (f", {len(bad_inputs)} problem(s) in input files" if bad_inputs else "")]
    lines += [f"  BAD INPUT {problem}" for problem in bad_inputs]
    for r in results:
        if r.status == "failed":
            where = f" (cell {r.cell})" if r.cell is not None else ""
            lines.append(f"  FAILED {r.job.fiscal_year} {r.job.org}{where}: {r.error}")
            if _failed_notebook(r.job).exists():
                lines.append(f"         notebook: {_failed_notebook(r.job)}")
    return "\n".join(lines)

