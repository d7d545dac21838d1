"""`ita preview`: one agency's report rendered, served on this machine and rendered again each time a file
of its data folder is saved, as `quarto preview` does for a Quarto document.

One process does it all: the report is made in a kernel of this process's pool (batch.execute's
`render_job`, the next kernel forked and waiting while the page is read), the page is served from memory
by a thread of the standard library's HTTP server on 127.0.0.1 only, and the data folder is watched by
polling. Polling (sizes and modification times every 0.15 s) rather than a library of system events:
it needs nothing installed, behaves alike on Linux, Windows and macOS and on network and synced folders
(where inotify and its kin miss changes), and a data folder holds a handful of files, so a poll costs
microseconds.

With `--out`, each render is also published there as `ita report` publishes it (the same files, manifest and
index), its PDF printed by one browser kept open: the agency's files follow its saves, in the seconds the
page takes, instead of a cold `ita report` after each one (benchmarks/single.py).

Only the served copy carries a script (a few lines that ask `/version` and reload); the report itself
stays offline and script-free. A save with a mistake shows the problems in the page, as `ita report`
tells them, never the previous report."""

from __future__ import annotations

import html
import http.server
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from stat import S_ISDIR as stat_is_dir

from ..batch.backends import engine_name_for
from ..batch.execute import kernel_pool, render_job
from ..batch.forkserver import default_isolation
from ..batch.jobs import DEFAULT_DOCUMENT, Job, Rendered
from ..batch.plan import plan
from ..batch.publish import OutputFolder
from ..core import interrupt
from ..core.errors import ITADataError, Problem
from ..core.fonts import font_face_css
from ..core.i18n import _, language
from ..core.thai import digits
from ..inputs.dataset import DataFolder
from ..render.pdf import ThreadedEngine

POLL_SECONDS = 0.15
RELOAD_SCRIPT = """<script>
(function () {{
  var shown = "{version}";
  setInterval(function () {{
    fetch("/version", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (v) {{ if (v !== shown) {{ location.reload(); }} }}, function () {{}});
  }}, 400);
}})();
</script>"""


def ignored(name: str) -> bool:
    """Files a save leaves for a moment or an editor keeps open, never data: Excel's and Word's lock
    files (`~$scores.xlsx`), LibreOffice's (`.~lock.scores.xlsx#`), hidden files, and the temporary
    files of a save by rename (Excel writes `1A2B3C4D.tmp` or a bare `1A2B3C4D`, then renames)."""
    stem, dot, suffix = name.rpartition(".")
    bare = name if not dot else stem
    hex_name = len(bare) == 8 and all(c in "0123456789ABCDEFabcdef" for c in bare)
    return (name.startswith(("~$", ".", "~")) or name.endswith(("~", "#")) or suffix.lower() in ("tmp", "swp")
            or (hex_name and (not dot or suffix.lower() == "tmp")))


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Each data file under `folder`: its modification time (ns) and size."""
    found = {}
    for path in folder.rglob("*"):
        if ignored(path.name) or any(ignored(part) for part in path.relative_to(folder).parts[:-1]):
            continue
        try:
            stat = path.stat()
        except OSError:  # removed between listing and reading
            continue
        if not stat_is_dir(stat.st_mode):
            found[str(path.relative_to(folder))] = (stat.st_mtime_ns, stat.st_size)
    return found


class ChangeDetector:
    """Whether the data folder changed since the last render, told once per save: a change counts when
    the folder has then stayed the same for one more poll, so the several steps of a save by rename
    (write a temporary file, rename the old one away, rename the new one in, delete the old) count once.
    A save that rewrites a file with the same bytes counts too (its time changes): Excel rewrites a
    workbook's bytes on every save anyway, and one render more is cheaper than reading every file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.seen = snapshot(folder)
        self.pending: dict | None = None

    def poll(self) -> bool:
        now = snapshot(self.folder)
        if now == self.seen:
            self.pending = None
            return False
        if now != self.pending:  # still changing: wait for it to settle
            self.pending = now
            return False
        self.seen, self.pending = now, None
        return True


def problems_page(title: str, problems: list[str]) -> bytes:
    """A page telling why the report could not be made, in the interface language."""
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
    hint = html.escape(_("Correct the file and save it again: this page is updated by itself."))
    return (f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title><style>{font_face_css()}\n"
            "body{font-family:Sarabun,Tahoma,sans-serif;max-width:50em;margin:2em auto;"
            "line-height:1.6}h1{color:#a00}li{white-space:pre-wrap}</style></head>"
            f"<body><h1>{html.escape(title)}</h1><ul>{items}</ul><p>{hint}</p></body></html>").encode()


def with_reload(page: bytes, version: int) -> bytes:
    """The served copy of a page: the same, with the script that reloads it when `/version` changes."""
    script = RELOAD_SCRIPT.format(version=version).encode()
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def _banner(problems: list[Problem]) -> bytes:
    """Problems in other files of the folder, shown above a report that could still be made."""
    items = "".join(f"<li>{html.escape(str(problem))}</li>" for problem in problems)
    head = html.escape(_("Problems in other files of the data folder (not in this report):"))
    return (f'<div style="border:2px solid #c60;background:#fff4e5;padding:0.5em 1em;margin:0.5em">'
            f"<strong>{head}</strong><ul>{items}</ul></div>").encode()


class Preview:
    """The page now shown, its version, and how to make it again; with `out`, the output folder each render
    is published to (locked while the preview runs), in `formats` as `ita report --formats` writes them."""

    def __init__(self, data: Path, org: str, year: int, overrides: dict | None = None,
                 isolation: str | None = None, log: Callable[[str], None] | None = None,
                 document: str = DEFAULT_DOCUMENT, out: Path | None = None, formats: tuple[str, ...] = ("html",),
                 engine_choice: str = "auto"):
        self.data, self.org, self.year, self.document = data, org, year, document
        self.overrides = dict(overrides or {})
        self.isolation = isolation or default_isolation()
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.formats = formats if out else ("html",)  # with html or pdf among them: the page is that HTML
        self.engine_choice = engine_choice
        self.engine_name = engine_name_for(self.formats, engine_choice)
        self.engine: ThreadedEngine | None = None
        self.out = OutputFolder(out) if out else None
        self.written = False  # the files of the page now shown are in `out`
        self.page = b""
        self.version = 0
        self.ok = False
        self.lock = threading.Lock()
        self.server: http.server.ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def start_engine(self) -> None:
        """Start the browser that prints every PDF of the preview: it starts while the first report is made,
        and one that cannot start ends the preview then, not at some later save."""
        if self.out is not None and "pdf" in self.formats:
            self.engine = ThreadedEngine(self.engine_choice)

    def make(self) -> tuple[bytes, bool]:
        """The report page, or the page of what stops it; and whether it is the report."""
        failed = _("The report could not be made")
        self.written = False
        try:
            jobs, problems = plan(DataFolder(self.data, [self.org]), {self.year}, [self.org], self.formats,
                                  self.overrides, self.document)
        except ITADataError as err:
            return problems_page(failed, [str(problem) for problem in err.problems]), False
        job = jobs[0]
        if job.problems:
            self.write_files(job, Rendered.refused(job.problems))
            return problems_page(failed, [str(problem) for problem in job.problems + tuple(problems)]), False
        rendered = render_job(job, self.engine_name, prestart=True, isolation=self.isolation)
        self.written = self.write_files(job, rendered)
        if rendered.failed:  # in the notebook, or its PDF
            where = _(" (cell {cell})").format(cell=rendered.cell) if rendered.cell is not None else ""
            return problems_page(failed, [f"{self.year} {self.org}{where}: {rendered.error}"]), False
        page = rendered.files["html"]
        if problems:
            at = page.find(b">", page.find(b"<body")) + 1
            page = page[:at] + _banner(problems) + page[at:]
        return page, True

    def write_files(self, job: Job, rendered: Rendered) -> bool:
        """With `out`: the report's files published, the manifest and index updated, as `ita report` does (a
        failure keeps the last good files, marked out of date; a PDF that fails fails the report). Whether
        they were written: a file held open by another program (Windows) is told, and the page still shown."""
        if self.out is None:
            return False
        try:
            self.out.add(job, rendered, self.engine)
            self.out.flush()
        except OSError as err:
            self.log(_("the report's files could not be written to {folder} ({reason}); a program showing one of "
                       "them (a PDF reader, Word) may hold it: close it and save the data again").format(
                           folder=self.out.root, reason=err.strerror or err))
            return False
        return True

    def render(self) -> float:
        """Make the page again and show it; the seconds it took."""
        self.log(_("making the report…"))
        started = time.perf_counter()
        try:
            page, ok = self.make()
        except (ITADataError, OSError) as err:  # a file unreadable mid-save, a slice that cannot be written
            page, ok = problems_page(_("The report could not be made"), [str(err)]), False
        with self.lock:
            self.version += 1
            self.page, self.ok = with_reload(page, self.version), ok
        seconds = time.perf_counter() - started
        shown = digits(f"{seconds:.1f}", "thai" if language() == "th" else "arabic")
        if not ok:
            self.log(_("the report could not be made ({seconds} s): the page says why").format(seconds=shown))
        elif not self.written:
            self.log(_("updated in {seconds} s").format(seconds=shown))
        else:
            self.log(_("updated in {seconds} s, with the files in {folder}").format(seconds=shown,
                                                                                   folder=self.out.root))
        return seconds

    def serve(self, port: int = 0) -> str:
        """Serve the page on 127.0.0.1 in a thread; its address."""
        preview = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                path = self.path.split("?")[0]
                with preview.lock:
                    body, kind = {"/": (preview.page, "text/html; charset=utf-8"),
                                  "/version": (str(preview.version).encode(), "text/plain")}.get(path, (b"", ""))
                if not kind:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - each request is not news
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                       name="ita-preview-server", daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def watch(self, stop: threading.Event | None = None) -> None:
        """Render again after each save, until `stop` is set (or Ctrl-C)."""
        stop = stop or threading.Event()
        detector = ChangeDetector(self.data)
        while not stop.wait(POLL_SECONDS):
            interrupt.check()  # a Ctrl-C that Python dropped ends the preview too
            if detector.poll():
                self.render()

    def close(self) -> None:
        """Stop the server, the browser and every kernel of this process (nothing is left running), and let go
        of the output folder."""
        try:
            if self.server is not None:
                self.server.shutdown()
                self.server.server_close()
                self.thread.join()
                self.server = None
            kernel_pool().kill_all()
        finally:
            try:
                if self.engine is not None:
                    self.engine.close()
                    self.engine = None
            finally:
                if self.out is not None:
                    self.out.close()
                    self.out = None


def run_preview(data: Path, org: str, year: int, overrides: dict, port: int, browser: bool,
                isolation: str | None = None, document: str = DEFAULT_DOCUMENT, out: Path | None = None,
                formats: tuple[str, ...] = ("html",), engine_choice: str = "auto") -> int:
    if not data.is_dir():
        raise ITADataError(_("{path} is not a data folder").format(path=data))
    preview = Preview(data.resolve(), org, year, overrides, isolation, document=document, out=out, formats=formats,
                      engine_choice=engine_choice)
    try:
        preview.start_engine()
        url = preview.serve(port)
        preview.render()
        print(_("preview of {org} {year}: {url} (Ctrl-C to stop)").format(org=org, year=year, url=url), flush=True)
        if browser:
            webbrowser.open(url)
        preview.watch()
    finally:
        preview.close()
    return 0
