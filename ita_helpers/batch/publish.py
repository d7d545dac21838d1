"""The output folder: reports published atomically, the manifest, and resume.

Runs in the main process only. Workers hand back bytes; files are written in a scratch folder of
this run (`OUT/.partial/<run>/`) and then renamed, so a file under its final name is always whole.
One run at a time writes to an output folder (a lock file); a second one is refused with a message."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

from filelock import FileLock, Timeout

from .. import __version__
from ..core import interrupt
from ..core.errors import OutputBusy
from ..core.i18n import _
from ..core.paths import inside, write_named
from ..core.thai import generated_at
from ..inputs.sources import source_name
from ..render.colophon import git_commit
from ..render.pdf import PdfEngine
from .index import status_counts, write_index
from .jobs import DEFAULT_DOCUMENT, Job, Rendered, entry_key
from .rebuild import rebuilt_reports

MANIFEST = "manifest.json"
JOURNAL = "manifest.journal"  # one JSON line per report since manifest.json was last written whole
COMPACT_SECONDS = 30.0  # manifest.json is rewritten whole at most this often during a run, and at its end
SCRATCH = ".partial"
LOCK = ".ita-run.lock"
FAILED = ".failed.ipynb"  # a failed report's executed notebook: report.failed.ipynb, progress.failed.ipynb
HELD_OPEN = ("pdf", "docx")  # formats that the programs showing them may keep open, and Windows then locked
NOT_ATTEMPTED = "not_attempted"  # the manifest's list of the reports a stopped run left, for the next run


def load_manifest(out_dir: Path) -> dict:
    """manifest.json with the journal of a run that ended before writing it whole replayed on top."""
    path, journal = Path(out_dir) / MANIFEST, Path(out_dir) / JOURNAL
    manifest = _readable(path) if path.exists() else {"reports": {}}
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # the line being written when the run was killed
                continue
            manifest["reports"][entry_key(entry["folder"], entry.get("document", DEFAULT_DOCUMENT))] = entry
    return manifest


def _readable(path: Path) -> dict:
    """The manifest, or, when it is damaged (truncated, hand-edited, wrong types), one rebuilt from the
    reports on disk (`rebuild`) after setting the damaged file aside as `manifest.json.damaged-<time>`,
    told on stderr: reports that cannot be listed again are rendered again."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and isinstance(manifest.get("reports"), dict) and all(
                isinstance(entry, dict) for entry in manifest["reports"].values()):
            return manifest
    except (ValueError, UnicodeDecodeError):
        pass
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    reports = rebuilt_reports(path.parent, _fingerprint)
    print(_("{path} is damaged and cannot be read; it is kept as {aside}, and {count} report(s) were listed "
            "again from the files in {folder}").format(path=path, aside=aside.name, count=len(reports),
                                                      folder=path.parent), file=sys.stderr)
    return {"reports": reports}


class OutputFolder:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        # One writer per output folder: a second run would replace the first one's reports and manifest
        # under its feet. (An OS lock: it is released however this process ends.)
        self.lock = FileLock(self.root / LOCK)
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            raise OutputBusy(_("another ita command is writing to {folder} (ita run or ita report until it ends, "
                               "ita preview --out until Ctrl-C in its window); wait for it or choose another "
                               "--out").format(folder=self.root)) from None
        self.manifest = load_manifest(self.root)
        self.manifest.pop(NOT_ATTEMPTED, None)  # a list of the last run's, not of this one's
        self.scratch = self.root / SCRATCH / uuid.uuid4().hex
        if (self.root / JOURNAL).exists():  # a run that ended early (a line may be cut short): replayed now,
            self.write_manifest()  # before this run appends to it
        self.written = time.monotonic()

    def folder(self, job: Job) -> Path:
        """The job's folder, never outside the output folder whatever the agency is called."""
        return inside(self.root, *job.folder.split("/"))

    def outputs(self, job: Job) -> dict[str, str]:
        """Format -> path of a rendered report's files, relative to the output folder."""
        return {fmt: f"{job.folder}/{job.stem}.{fmt}" for fmt in ("ipynb", *job.formats)}

    def up_to_date(self, job: Job, engine_name: str) -> bool:
        """Rendered before from the same inputs, every output still there, the PDF by the same engine."""
        entry = self.manifest["reports"].get(job.entry)
        return bool(entry and entry["status"] in ("ok", "warnings") and entry["key"] == job.key
                    and ("pdf" not in job.formats or entry["engine"] == engine_name)
                    and entry["outputs"] == self.outputs(job)
                    and all(_unchanged(self.root / path, entry.get("files", {}).get(fmt))
                            for fmt, path in entry["outputs"].items()))

    def publish(self, job: Job, rendered: Rendered, pdf_writer=None) -> Rendered:
        """Write a report's files under their final names (a failure keeps only its executed notebook).
        `pdf_writer(html, path)` prints the PDF; its failure fails the report. Ctrl-C waits for the
        renames, so a report's files never mix two runs."""
        scratch = self.scratch / uuid.uuid4().hex
        scratch.mkdir(parents=True)
        try:
            pdf_engine = _engine_name(pdf_writer) if "pdf" in job.formats else None
            for fmt, data in rendered.files.items():
                data = with_provenance(data, job, pdf_engine) if fmt == "ipynb" else data
                write_named(scratch / f"{job.stem}.{fmt}", data)
            if not rendered.failed and "pdf" in job.formats:
                try:
                    pdf_writer(rendered.files["html"].decode("utf-8"), scratch / f"{job.stem}.pdf")
                except Exception as err:  # the executed notebook is kept, as for a failing cell
                    rendered.error = _("PDF: {error}").format(error=f"{type(err).__name__}: {err}")
            self._rename(job, scratch, rendered)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return rendered

    def add(self, job: Job, rendered: Rendered, engine: PdfEngine | None) -> tuple[str, float]:
        """Publish a report (its PDF printed by `engine`) and note it in the manifest; its status and its
        duration (its rendering plus this)."""
        started = time.perf_counter()
        self.publish(job, rendered, engine.write_pdf if engine else None)
        duration = rendered.seconds + time.perf_counter() - started
        return self.record(job, rendered, engine.name if engine else None, duration), duration

    def _rename(self, job: Job, scratch: Path, rendered: Rendered) -> None:
        folder = self.folder(job)
        with interrupt.held():  # Ctrl-C waits until the files are in place
            folder.mkdir(parents=True, exist_ok=True)
            failed = folder / f"{job.stem}{FAILED}"
            if rendered.failed:
                if (scratch / f"{job.stem}.ipynb").exists():
                    os.replace(scratch / f"{job.stem}.ipynb", failed)
                else:  # a failure before any kernel: an older run's failed notebook would mislead
                    failed.unlink(missing_ok=True)
            else:  # the files a reader or Word may hold open first: one held (Windows) leaves the rest as they were
                for fmt in (*sorted(job.formats, key=lambda fmt: fmt not in HELD_OPEN), "ipynb"):
                    os.replace(scratch / f"{job.stem}.{fmt}", folder / f"{job.stem}.{fmt}")
                failed.unlink(missing_ok=True)

    def failed_notebook(self, job: Job) -> Path | None:
        path = self.folder(job) / f"{job.stem}{FAILED}"
        return path if path.exists() else None

    def record(self, job: Job, rendered: Rendered, engine: str | None, duration: float) -> str:
        """Note the report in the manifest and return its status. The entry is appended to the journal at
        once (a run killed at report 8,000 keeps the 7,999 before it) without rewriting the whole
        manifest each time, which would cost the square of the number of reports."""
        status = "failed" if rendered.failed else "warnings" if rendered.warnings else "ok"
        before = self.manifest["reports"].get(job.entry)
        if rendered.failed:
            failed = self.failed_notebook(job)
            outputs = {"ipynb": failed.relative_to(self.root).as_posix()} if failed else {}
        else:
            outputs = self.outputs(job)
        entry = {
            "org": job.org, "fiscal_year": job.fiscal_year, "folder": job.folder, "document": job.document,
            "parameters": job.parameters,
            "inputs": job.digests, "outputs": outputs,
            "files": {fmt: _fingerprint(self.root / path) for fmt, path in outputs.items()},
            "engine": engine, "duration": round(duration, 3),
            "status": status, "warnings": rendered.warnings, "figures": rendered.figures, "error": rendered.error,
            "cell": rendered.cell, "key": job.key, "version": __version__, "commit": git_commit(),
            "sources": sources(job), "generated": generated_at(),
        }
        if job.problems:  # its inputs are broken now: the index says so beside its last good report
            entry["input_problems"] = True
        if rendered.failed and before:
            last_good = _last_good(before)
            if last_good and all((self.root / p).exists() for p in last_good["outputs"].values()):
                entry["last_good"] = last_good
        self.manifest["reports"][job.entry] = entry
        try:
            with open(self.root / JOURNAL, "a", encoding="utf-8") as journal:
                journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError as err:  # a line cut short is skipped when the journal is read
            raise OSError(err.errno, err.strerror, str(self.root / JOURNAL)) from err
        if time.monotonic() - self.written > COMPACT_SECONDS:
            self.write_manifest()
        return status

    def mark_gone(self, present: set[tuple[str, int]]) -> None:
        """Mark the reports of agency-years not among `present` (every agency-year of the data) as gone: an
        agency renamed or removed is no longer shown with the current results, its old figures for ever."""
        for entry in self.manifest["reports"].values():
            if (entry.get("org"), entry.get("fiscal_year")) in present:
                entry.pop("gone", None)
            else:
                entry["gone"] = True

    def stale(self, job: Job) -> bool:
        """The report failed and its last good files are kept (the index marks them out of date)."""
        entry = self.manifest["reports"].get(job.entry) or {}
        return entry.get("status") == "failed" and "last_good" in entry

    def not_attempted(self, jobs: list[Job], reason: str) -> None:
        """Note in the manifest (written at close) the reports a run stopped by `reason` did not reach."""
        self.manifest[NOT_ATTEMPTED] = {"reason": reason, "reports": [
            {"org": job.org, "fiscal_year": job.fiscal_year, "folder": job.folder}
            | ({} if job.document == DEFAULT_DOCUMENT else {"document": job.document}) for job in jobs]}

    def write_manifest(self) -> None:
        """manifest.json whole (atomically), after which the journal is no longer needed."""
        self.manifest["counts"] = status_counts(self.manifest)
        path = self.root / MANIFEST
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        write_named(tmp, json.dumps(self.manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        os.replace(tmp, path)
        (self.root / JOURNAL).unlink(missing_ok=True)
        self.written = time.monotonic()

    def flush(self) -> None:
        """The manifest written whole and the index rebuilt: what a reader of the folder sees is up to date."""
        self.write_manifest()
        write_index(self.root, self.manifest)

    def close(self) -> None:
        """Write the manifest whole, remove this run's scratch folder, rebuild the index, let go of the folder."""
        try:
            self.flush()
        finally:
            shutil.rmtree(self.root / SCRATCH, ignore_errors=True)
            self.lock.release()


def sources(job: Job) -> dict[str, str | None]:
    """Each file the report read (its slice) -> the name the agency knows it by: `scores/ผลITA.xlsx.csv` is
    the rows of its workbook `ผลITA.xlsx`; None for what the suite computed (the standing)."""
    return {name: source_name(name) for name in job.digests}


def provenance(job: Job, engine: str | None) -> dict:
    """How a report was made, in full, for whoever checks it: the page shows a short appendix of it."""
    return {"parameters": job.parameters, "inputs": job.digests, "sources": sources(job), "version": __version__,
            "commit": git_commit(), "engine": engine}


def with_provenance(notebook: bytes, job: Job, engine: str | None) -> bytes:
    """The executed notebook with `provenance` in its metadata (`metadata.ita`), written as nbformat writes
    it; bytes that are not a notebook are left as they are."""
    try:
        data = json.loads(notebook)
    except ValueError:
        return notebook
    if not isinstance(data, dict):
        return notebook
    data.setdefault("metadata", {})["ita"] = provenance(job, engine)
    return (json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _engine_name(pdf_writer) -> str | None:
    """The name of the engine whose `write_pdf` prints the PDF (render.page.PdfEngine), when it has one."""
    return getattr(getattr(pdf_writer, "__self__", None), "name", None)


def _last_good(entry: dict) -> dict | None:
    """The outputs and figures of the last successful render recorded in `entry`, if any."""
    if entry["status"] in ("ok", "warnings"):
        return {"outputs": dict(entry["outputs"]), "figures": entry.get("figures"), "generated": entry.get("generated")}
    return entry.get("last_good")


def _fingerprint(path: Path) -> dict:
    """What an output was when it was written: its SHA-256, size and modification time."""
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "mtime_ns": path.stat().st_mtime_ns}


def _unchanged(path: Path, fingerprint: dict | None) -> bool:
    """An output is still the one recorded: same size, and the same time or (when touched) the same bytes.
    A report truncated or edited in place is rendered again."""
    try:
        stat = path.stat()
    except OSError:
        return False
    if fingerprint is None or stat.st_size != fingerprint["size"]:
        return False
    return (stat.st_mtime_ns == fingerprint["mtime_ns"]
            or hashlib.sha256(path.read_bytes()).hexdigest() == fingerprint["sha256"])
