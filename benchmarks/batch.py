"""Batch rendering benchmark: baselines a sceptic accepts (issue 22.4), side by side in one run.

All render the same synthetic agency-years (N=20 by default: 10 agencies x fiscal years 2565 and 2566),
HTML and PDF, and each is printed as wall and CPU seconds PER REPORT:

  (a)  naive loop, one report after another, each step a separate CLI process:
         papermill  ->  jupyter nbconvert --to html --no-input  ->  chromium --headless --print-to-pdf
  (a2) the same per-report script two at a time, as `xargs -P 2` runs it
  (d)  a competent loop: multiprocessing Pool(2) (spawn), each process running papermill's Python API
       and nbconvert's HTMLExporter in process; one Playwright browser in the main process prints every PDF
  (b)  `python -m ita_helpers.cli.main run --all --data DIR --out OUT --force --jobs 2`: kernels forked
       from a preloaded template (ita_helpers.batch.forkserver)
  (f)  the same with `--isolation fresh`: a new interpreter per report
  (c)  the floor, what computing the documents costs: two processes, each with one kernel of this
       interpreter started once (jupyter_client KernelManager) and warmed with one report; then each
       report's parameterized cells run in it; nothing rendered or saved, kernel start not counted. Its
       kernels are told what (b)'s are for the formats compared (no chart PNG unless Word is made).

Ratios printed: (a2)/(b) and (d)/(b) in CPU per report (targets >= 10 and >= 3), and (b)'s CPU above (c),
the cost of isolation and rendering. CPU is user+sys of the run's process tree (reaped descendants,
resource.getrusage; for (d) this process too; for (c) the kernels' and clients' own, psutil); "foreign" is
the CPU other processes on this shared machine used meanwhile.

Usage (from the checkout, with PYTHONPATH set to it):

    python benchmarks/batch.py --quick                  # 4 reports, 1 repeat, every baseline: minutes
    python benchmarks/batch.py                          # 20 reports, 3 repeats; (a), (a2) on 5 of them
    python benchmarks/batch.py --sizes 8,20 --repeats 1 # (b): per-report cost of an 8- and a 20-report batch
    python benchmarks/batch.py --only b,c --b-formats html,pdf html ""   # what HTML and PDF cost in (b)
    python benchmarks/batch.py --only b --timeline      # (b) in-process: when notebooks land, PDF times
    python benchmarks/batch.py --only b --profile       # cProfile of ita's main process

Everything it writes goes under benchmarks/synthetic/ (git-ignored)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "ita_report.ipynb"
WORK = ROOT / "benchmarks" / "synthetic"
BIN = Path(sys.executable).parent
SEED = 20240566
AGENCIES = 10
YEARS = (2565, 2566)
N = AGENCIES * len(YEARS)
WORKERS = 2
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# ---- synthetic data ----------------------------------------------------------------------------------

def make_data(folder: Path, reports: int = N) -> list[tuple[str, int]]:
    """methodology.yaml and national_averages.csv copied from data/, plus scores/synthetic.csv in wide
    form with scores uniform in 60-100 (fixed seed): `reports` agency-years, agencies x YEARS. Returns
    the agency-years."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "scores").mkdir(parents=True)
    for name in ("methodology.yaml", "national_averages.csv"):
        shutil.copy2(ROOT / "data" / name, folder / name)
    rng = random.Random(SEED)
    lines = ["org,fiscal_year," + ",".join(str(i) for i in range(1, 11))]
    pairs = []
    for a in range(1, -(-reports // len(YEARS)) + 1):
        org = f"synthetic-agency-{a:02d}"
        for year in YEARS:
            lines.append(f"{org},{year}," + ",".join(f"{round(rng.uniform(60, 100), 2):.2f}" for _ in range(10)))
            pairs.append((org, year))
    pairs = pairs[:reports]
    lines = lines[:reports + 1]
    (folder / "scores" / "synthetic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pairs


# ---- measuring ---------------------------------------------------------------------------------------

def cpu_of_children() -> float:
    """User+system seconds of every reaped descendant (a process that reaps its own children passes
    their time on): the CPU a run cost, whatever else the machine was doing."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def system_busy() -> float:
    """Busy CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def become_subreaper() -> bool:
    """Have descendants whose parent exits without waiting (Chromium's helpers do) reparented to us
    instead of to init, so that reaping them counts their CPU here (Linux prctl PR_SET_CHILD_SUBREAPER)."""
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(timeout: float = 10.0) -> list[str]:
    """Wait for orphans handed to us to exit and reap them; returns those still alive after `timeout`
    (processes a run left behind). Only call when none of our own subprocesses is still running."""
    from multiprocessing import resource_tracker

    keep = {getattr(resource_tracker._resource_tracker, "_pid", None)}  # lives as long as we do
    deadline = time.monotonic() + timeout
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            return []
        try:
            import psutil

            live = [f"{p.pid} {' '.join(p.cmdline()[:2])}" for p in psutil.Process().children()
                    if p.pid not in keep and p.status() != psutil.STATUS_ZOMBIE]
        except ImportError:
            live = []
        if not live or time.monotonic() > deadline:
            return live
        time.sleep(0.05)


class Meter:
    """Wall seconds, own CPU seconds (every descendant, orphans included; with `me`, this process too)
    and foreign CPU seconds (the rest of the machine) of a block. Also lists processes left running."""

    def __init__(self, me: bool = False):
        self.me = me

    def _cpu(self) -> float:
        return cpu_of_children() + (time.process_time() if self.me else 0.0)

    def __enter__(self) -> Meter:
        self.cpu0, self.busy0, self.t0 = self._cpu(), system_busy(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> bool:
        self.wall = time.perf_counter() - self.t0
        self.left_running = reap_orphans()
        self.cpu = self._cpu() - self.cpu0
        self.foreign = max(0.0, system_busy() - self.busy0 - self.cpu)
        if self.left_running:
            print(f"  WARNING: still running after the run: {self.left_running}", flush=True)
        return False

    def scaled(self, k: float) -> tuple[float, float, float]:
        return self.wall * k, self.cpu * k, self.foreign * k

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU, {self.foreign:.1f} s foreign CPU"


def env() -> dict:
    # The summaries are parsed in English. Chart text as SVG <text>, as `ita run` draws it when Chromium
    # prints: (a) and (c) render the same pages as (b).
    e = dict(os.environ, ITA_LANG="en", ITA_SVG_TEXT="1")
    if str(ROOT) not in e.get("PYTHONPATH", "").split(os.pathsep):
        e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def check(cmd: list[str], **kw) -> None:
    proc = subprocess.run(cmd, env=env(), capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                           f"{proc.stderr[-4000:]}")


# ---- (a) naive loop ----------------------------------------------------------------------------------

def naive_report(org: str, year: int, data: Path, out: Path) -> dict[str, float]:
    """One report through three CLIs, as a shell script would; the wall seconds of each CLI."""
    nb, html, pdf = (out / f"{year}-{org}.{ext}" for ext in ("ipynb", "html", "pdf"))
    steps = {}
    t = time.perf_counter()
    check([str(BIN / "papermill"), str(NOTEBOOK), str(nb), "-p", "org", org, "-p", "fiscal_year", str(year),
           "-p", "data_dir", str(data), "--cwd", str(NOTEBOOK.parent), "--no-progress-bar"])
    steps["papermill"] = time.perf_counter() - t
    t = time.perf_counter()
    check([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)])
    steps["nbconvert"] = time.perf_counter() - t
    t = time.perf_counter()
    check([CHROMIUM, *CHROMIUM_FLAGS, f"--print-to-pdf={pdf}", html.as_uri()], timeout=300)
    steps["chromium"] = time.perf_counter() - t
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {org} {year}")
    return steps


def run_naive(pairs, data: Path, out: Path, parallel: int = 1) -> tuple[Meter, dict[str, float]]:
    """Every report through three CLIs, `parallel` reports at a time (1: one after another; 2: as
    `xargs -P 2` runs a per-report script); also the wall seconds spent in each CLI, summed."""
    from concurrent.futures import ThreadPoolExecutor

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    steps = {"papermill": 0.0, "nbconvert": 0.0, "chromium": 0.0}
    with Meter() as meter:
        with ThreadPoolExecutor(parallel) as pool:
            for each in pool.map(lambda pair: naive_report(*pair, data, out), pairs):
                steps = {k: v + each[k] for k, v in steps.items()}
    return meter, steps


# ---- (d) a competent loop ----------------------------------------------------------------------------

def _competent_task(args: tuple[str, int, str, str]) -> str:
    """papermill's Python API, then nbconvert's HTMLExporter in this process; the HTML file's path."""
    import papermill
    from nbconvert import HTMLExporter

    org, year, data, out = args
    nb = Path(out) / f"{year}-{org}.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(nb), parameters={"org": org, "fiscal_year": year,
                               "data_dir": data}, cwd=str(NOTEBOOK.parent), progress_bar=False)
    html, _ = HTMLExporter(exclude_input=True).from_filename(str(nb))
    target = nb.with_suffix(".html")
    target.write_text(html, encoding="utf-8")
    return str(target)


def run_competent(pairs, data: Path, out: Path) -> Meter:
    """What a competent user writes: two processes (multiprocessing, spawn) each running papermill's and
    nbconvert's Python APIs, and one Playwright browser in this process printing every PDF as its HTML
    arrives."""
    from playwright.sync_api import sync_playwright

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with Meter(me=True) as meter:
        with sync_playwright() as playwright, multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS[1:])
            page = browser.new_page()
            tasks = [(org, year, str(data), str(out)) for org, year in pairs]
            for html in pool.imap_unordered(_competent_task, tasks):
                page.goto(Path(html).as_uri(), wait_until="load")
                page.pdf(path=str(Path(html).with_suffix(".pdf")), print_background=True)
            browser.close()
    return meter


# ---- (b) ita run ---------------------------------------------------------------------------------------

def _tree_memory(pid: int) -> tuple[int, int, int]:
    """(RSS bytes, PSS bytes, process count) of `pid` and all its descendants. Forked kernels share
    their template's pages, which RSS counts once per process and PSS divides among them."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0, 0
    rss = pss = count = 0
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss, pss, count = rss + info.rss, pss + info.pss, count + 1
    return rss, pss, count


def run_ita(data: Path, out: Path, formats: str, watch_memory: bool = False,
            profile: Path | None = None, scheduler: str | None = None,
            isolation: str = "fork", expected: int = N) -> tuple[Meter, dict | None]:
    """One `ita run --all --force --jobs 2 --isolation ISOLATION` (with `scheduler`, also `--scheduler
    SCHEDULER`); with watch_memory, the peak RSS sum of its process tree (the ita process, its workers,
    their kernel templates and kernels, Playwright's driver and Chromium), sampled every 0.1 s."""
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "ita_helpers.cli.main", "run", "--all", "--data", str(data), "--out", str(out), "--force",
            "--jobs", str(WORKERS), "--formats", formats, "--isolation", isolation]
    cmd += ["--scheduler", scheduler] if scheduler else []
    peak = {"rss": 0, "pss": 0, "procs": 0}
    stop = threading.Event()
    with Meter() as meter:
        proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def poll():
            while not stop.is_set():
                for key, value in zip(("rss", "pss", "procs"), _tree_memory(proc.pid)):
                    peak[key] = max(peak[key], value)
                stop.wait(0.1)

        watcher = threading.Thread(target=poll, daemon=True) if watch_memory else None
        if watcher:
            watcher.start()
        stdout, stderr = proc.communicate()
        stop.set()
        if watcher:
            watcher.join()
    if proc.returncode != 0:
        raise RuntimeError(f"ita run failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    if not stdout.startswith(f"{expected} rendered"):
        raise RuntimeError(f"ita run did not render {expected} reports:\n{stdout[:2000]}")
    return meter, peak if watch_memory else None


def run_timeline(data: Path, out: Path, formats: str) -> Meter:
    """(b) in this process, through ita_helpers.batch.plan and runner.run, with the main side instrumented: when
    the browser starts, when each notebook's HTML arrives from a worker, how long each PDF takes, and
    the tail after the last notebook. (Nothing in ita_helpers is changed: wrappers are put in place here.)"""
    from concurrent.futures import ProcessPoolExecutor

    from ita_helpers.batch import backends, plan, runner
    from ita_helpers.inputs.dataset import DataFolder

    ev: dict = {"arrive": [], "pdf": []}
    now = time.perf_counter
    original_engine, original_pool = runner.pdf_engine, backends.ProcessPoolExecutor

    def timed_engine(choice: str = "auto"):
        t = now()
        engine = original_engine(choice)
        ev["engine"] = (t, now())
        write, close = engine.write_pdf, engine.close

        def write_pdf(html, target):
            t1 = now()
            write(html, target)
            ev["pdf"].append((t1, now(), len(html)))

        def close_engine():
            t1 = now()
            close()
            ev["close"] = (t1, now())

        engine.write_pdf, engine.close = write_pdf, close_engine
        return engine

    class TimedPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            ev["pool"] = now()
            super().__init__(*args, **kwargs)

        def submit(self, fn, *args, **kwargs):
            future = super().submit(fn, *args, **kwargs)
            future.add_done_callback(lambda _: ev["arrive"].append(now()))
            return future

    runner.pdf_engine, backends.ProcessPoolExecutor = timed_engine, TimedPool
    try:
        with Meter(me=True) as meter:
            t0 = now()
            planned, problems = plan.plan(DataFolder(data), formats=tuple(f for f in formats.split(",") if f))
            t_plan = now()
            results = runner.run(planned, out, WORKERS, force=True)
            t_end = now()
    finally:
        runner.pdf_engine, backends.ProcessPoolExecutor = original_engine, original_pool
    assert not problems and all(r.status in ("ok", "warnings") for r in results), [r.error for r in results]

    def at(t: float) -> str:
        return f"{t - t0:6.2f}"

    print(f"\n=== timeline of (b) run in-process, --formats {label(formats)} ({meter}) ===")
    print(f"plan()                          0.00 -> {at(t_plan)}")
    if "engine" in ev:
        print(f"PDF engine start              {at(ev['engine'][0])} -> {at(ev['engine'][1])}")
    print(f"pool created                  {at(ev['pool'])}")
    arrive = sorted(ev["arrive"])
    gaps = [b - a for a, b in zip(arrive, arrive[1:])]
    print(f"notebooks+HTML arrive         first {at(arrive[0])}, last {at(arrive[-1])}; "
          f"median gap {statistics.median(gaps):.2f} s -> {statistics.median(gaps):.2f} s/report throughput "
          f"while workers run")
    if ev["pdf"]:
        d = [b - a for a, b, _ in ev["pdf"]]
        print(f"PDFs in the main thread       {len(d)}: median {statistics.median(d):.2f} s, "
              f"sum {sum(d):.1f} s, HTML {statistics.median(s for *_, s in ev['pdf']) / 1e6:.1f} MB each")
        print(f"last PDF done                 {at(ev['pdf'][-1][1])} (tail after the last notebook: "
              f"{ev['pdf'][-1][1] - arrive[-1]:.2f} s)")
        wait = [max(0.0, a - b) for (a, *_), b in zip(ev["pdf"], arrive)]
        print(f"  a notebook's PDF starts after it arrived by: median {statistics.median(wait):.2f} s, "
              f"max {max(wait):.2f} s (main thread busy with earlier PDFs)")
    if "close" in ev:
        print(f"browser close                 {at(ev['close'][0])} -> {at(ev['close'][1])}")
    print(f"run() returned                {at(t_end)}")
    return meter


# ---- (c) the floor -----------------------------------------------------------------------------------

def _code_cells(org: str, year: int, data: str) -> list[str]:
    """The sources of the notebook's code cells, parameterized as papermill does it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(NOTEBOOK)), {"org": org, "fiscal_year": year, "data_dir": data})
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _run_cells(kc, cells: list[str], what: str) -> None:
    errors = []

    def hook(msg):
        if msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

    for source in cells:
        reply = kc.execute_interactive(source, store_history=False, allow_stdin=False, timeout=600, output_hook=hook)
        if reply["content"]["status"] != "ok" or errors:
            raise RuntimeError(f"{what}: {errors or reply['content']}")


def _floor_worker(pairs: list[tuple[str, int]], data: str, formats: str, barrier, results) -> None:
    """One kernel of this interpreter, started once and warmed with one report (not counted); then, once
    every worker is ready (`barrier`), each report's cells in it, nothing rendered or saved. The kernel is
    told what (b)'s kernels are for `formats` (one thread, chart text, a PNG only for Word). Puts
    (seconds, CPU seconds of the kernel and this client) per report on `results`."""
    import psutil
    from jupyter_client import KernelManager

    from ita_helpers.batch.execute import CHART_ENV, CurrentPythonKernelManager, charts_for
    from ita_helpers.batch.forkserver import ONE_THREAD
    from ita_helpers.render.pdf import pdf_engine_name

    class Manager(KernelManager):  # blocking, with ita's kernel spec: this interpreter, no input history
        kernel_spec = property(lambda self: CurrentPythonKernelManager().kernel_spec)

    km = Manager()
    charts_for(pdf_engine_name() if "pdf" in formats else "-", tuple(formats.split(",")))
    km.start_kernel(cwd=str(NOTEBOOK.parent), stderr=subprocess.DEVNULL, env=dict(os.environ) | ONE_THREAD | CHART_ENV)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        kernel = psutil.Process(km.provisioner.process.pid)

        def cpu() -> float:
            t = kernel.cpu_times()
            return t.user + t.system + time.process_time()

        _run_cells(kc, _code_cells(*pairs[0], data), "warm-up")
        barrier.wait()
        for org, year in pairs:
            cells = _code_cells(org, year, data)
            t, c = time.perf_counter(), cpu()
            _run_cells(kc, cells, f"{org} {year}")
            results.put((time.perf_counter() - t, cpu() - c))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run_floor(pairs, data: Path, formats: str) -> tuple[Meter, list[tuple[float, float]]]:
    """(c): WORKERS processes, each with its already-started kernel, share the reports; wall from the
    moment every kernel is warm to the last report's cells, CPU that of the kernels and their clients
    meanwhile (what computing the documents costs, with no kernel start, isolation or rendering)."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WORKERS + 1), ctx.Queue()
    workers = [ctx.Process(target=_floor_worker, args=(pairs[i::WORKERS], str(data), formats, barrier, results))
               for i in range(WORKERS)]
    for w in workers:
        w.start()
    barrier.wait(timeout=300)
    meter = Meter()
    meter.t0, busy0 = time.perf_counter(), system_busy()
    each = [results.get(timeout=600) for _ in pairs]
    meter.wall, busy = time.perf_counter() - meter.t0, system_busy() - busy0
    for w in workers:
        w.join()
        if w.exitcode:
            raise RuntimeError(f"a floor worker failed ({w.exitcode})")
    meter.cpu = sum(c for _, c in each)
    meter.foreign = max(0.0, busy - meter.cpu)
    return meter, each


# ---- main ------------------------------------------------------------------------------------------------

def label(formats: str) -> str:
    return formats or '""'


def per_report(meter: Meter, reports: int) -> tuple[float, float, float]:
    return meter.wall / reports, meter.cpu / reports, meter.foreign / reports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reports", type=int, default=N, help=f"agency-years in the batch (default {N})")
    parser.add_argument("--naive-n", type=int, default=5, help="reports (a) and (a2) run (default 5)")
    parser.add_argument("--only", default="a,a2,d,b,f,c", help="which of a,a2,d,b,f,c to run (default all)")
    parser.add_argument("--b-formats", nargs="+", default=["html,pdf"],
                        help="--formats of each (b) variant; the first is compared and watched (default html,pdf)")
    parser.add_argument("--sizes", help="instead: (b) on batches of these sizes, e.g. 8,20; per-report cost of each")
    parser.add_argument("--quick", action="store_true",
                        help="4 reports, 1 repeat, (a) and (a2) on all 4, no memory runs: a couple of minutes")
    parser.add_argument("--no-memory", action="store_true", help="skip the extra (b) and (f) runs that sample memory")
    parser.add_argument("--timeline", action="store_true", help="one extra (b) run in-process, instrumented")
    parser.add_argument("--profile", action="store_true", help="one extra (b) run under cProfile; top functions")
    args = parser.parse_args()
    if args.quick:
        args.reports, args.repeats, args.naive_n, args.no_memory = 4, 1, 4, True
    only = set(args.only.split(","))
    os.environ.update(env())  # spawned workers and their kernels import ita_helpers too
    if not become_subreaper():
        print("note: not a subreaper; CPU of processes orphaned by Chromium shows up as foreign CPU")

    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / "data"
    if args.sizes:
        return compare_sizes(data, [int(n) for n in args.sizes.split(",")], args.repeats, args.b_formats[0])
    pairs = make_data(data, args.reports)
    n = len(pairs)
    print(f"synthetic data: {data} ({n} agency-years, seed {SEED}); {os.cpu_count()} cores; {sys.executable}")

    # Per variant, (wall, cpu, foreign) PER REPORT per repeat.
    runs: dict[str, list[tuple[float, float, float]]] = {}
    naive_steps, floor_each = [], []
    subset = pairs[:: max(1, n // args.naive_n)][: args.naive_n]  # both years represented
    names = {f: f"(b) ita run --formats {label(f)}" for f in args.b_formats}
    titles = {"a": "(a) naive CLI loop", "a2": "(a2) naive loop, 2 at a time", "d": "(d) competent loop",
              "b": names[args.b_formats[0]], "f": "(f) ita run --isolation fresh", "c": "(c) floor: cells only"}
    for r in range(args.repeats):
        # Interleaved, so that drift and other load on the machine hit every variant alike.
        tag = f"[{r + 1}/{args.repeats}]"
        if "c" in only:
            meter, each = run_floor(pairs, data, args.b_formats[0])
            runs.setdefault(titles["c"], []).append(per_report(meter, n))
            floor_each += each
            print(f"{tag} {titles['c']}: {meter}", flush=True)
        if "b" in only:
            for f in args.b_formats:
                meter, _ = run_ita(data, WORK / f"out_b_{f.replace(',', '_') or 'ipynb'}", f, expected=n)
                runs.setdefault(names[f], []).append(per_report(meter, n))
                print(f"{tag} {names[f]}: {meter}", flush=True)
        if "f" in only:
            meter, _ = run_ita(data, WORK / "out_f", args.b_formats[0], isolation="fresh", expected=n)
            runs.setdefault(titles["f"], []).append(per_report(meter, n))
            print(f"{tag} {titles['f']}: {meter}", flush=True)
        if "d" in only:
            meter = run_competent(pairs, data, WORK / "out_d")
            runs.setdefault(titles["d"], []).append(per_report(meter, n))
            print(f"{tag} {titles['d']}: {meter}", flush=True)
        for key, parallel in (("a", 1), ("a2", 2)):
            if key in only:
                meter, steps = run_naive(subset, data, WORK / f"out_{key}", parallel)
                runs.setdefault(titles[key], []).append(per_report(meter, len(subset)))
                if key == "a":
                    naive_steps.append(steps)
                print(f"{tag} {titles[key]}, {len(subset)} reports: {meter}", flush=True)

    peaks = {}
    for letter, isolation in (("b", "fork"), ("f", "fresh")):
        if letter in only and not args.no_memory:
            peaks[isolation] = run_ita(data, WORK / f"out_{letter}_memory", args.b_formats[0], watch_memory=True,
                                       isolation=isolation, expected=n)
    if "b" in only and args.timeline:
        run_timeline(data, WORK / "out_b_timeline", args.b_formats[0])
    profile_file = None
    if "b" in only and args.profile:
        profile_file = WORK / "ita_run.prof"
        run_ita(data, WORK / "out_b_profile", args.b_formats[0], profile=profile_file, expected=n)

    print(f"\n=== {n} agency-years ((a), (a2): {len(subset)}), {os.cpu_count()} cores, {WORKERS} workers, "
          f"{args.repeats} repeat(s); per report, medians over repeats ===")
    print(f"{'':34} {'wall s':>7} {'CPU s':>7}   wall of each run (foreign CPU s), per report")
    med: dict[str, tuple[float, float]] = {}
    for key, title in titles.items():
        for name in [title] if key != "b" else list(names.values()):
            if name not in runs:
                continue
            rs = runs[name]
            wall, cpu = statistics.median(w for w, _, _ in rs), statistics.median(c for _, c, _ in rs)
            if name == title:
                med[key] = (wall, cpu)
            each = ", ".join(f"{w:.2f} ({x:.1f})" for w, _, x in rs)
            print(f"{name:34} {wall:7.2f} {cpu:7.2f}   [{each}]")
            if key == "a":
                step = {k: statistics.median(s[k] for s in naive_steps) / len(subset) for k in naive_steps[0]}
                print("    (a) wall per report: " + ", ".join(f"{k} {v:.2f} s" for k, v in step.items()))
            if key == "c":
                wall_c, cpu_c = (statistics.median(x[i] for x in floor_each) for i in (0, 1))
                print(f"    (c) one report's cells in a warm kernel: median {wall_c:.2f} s wall, {cpu_c:.2f} s CPU; "
                      f"the wall above excludes kernel start and warm-up")
    if "b" in med and args.b_formats[0] != "html,pdf":
        print(f"    (b) is compared as --formats {label(args.b_formats[0])}")

    def ratio(x: str, y: str, target: float | None = None) -> None:
        if x in med and y in med:
            cpu = med[x][1] / med[y][1]
            goal = f"   target >= {target:g}: {'met' if cpu >= target else 'NOT met'}" if target else ""
            print(f"{x}/{y} = {cpu:5.2f} in CPU per report ({med[x][0] / med[y][0]:.2f} in wall){goal}")

    ratio("a2", "b", 10)
    ratio("d", "b", 3)
    ratio("a", "b")
    ratio("f", "b")
    if "b" in med and "c" in med:
        b, c = med["b"][1], med["c"][1]
        print(f"(b) CPU above (c): {b - c:.2f} s per report ({(b - c) / b:.0%} of (b)): the overhead of isolation "
              f"(a kernel per report) and rendering (HTML, PDF) over computing the document")
    for isolation, (mem_meter, peak) in peaks.items():
        pss = peak["pss"] / 2**30
        print(f"peak memory of the ita run --isolation {isolation} process tree (--formats "
              f"{label(args.b_formats[0])}, every 0.1 s): RSS {peak['rss'] / 2**30:.2f} GiB, PSS {pss:.2f} GiB "
              f"over up to {peak['procs']} processes; target PSS <= 1.2 GiB: {'met' if pss <= 1.2 else 'NOT met'} "
              f"(that run: {mem_meter})")
    if profile_file:
        print(f"\n=== cProfile of the ita main process ({profile_file}), by own time ===")
        pstats.Stats(str(profile_file)).sort_stats("tottime").print_stats(20)
    return 0


def compare_sizes(data: Path, sizes: list[int], repeats: int, formats: str) -> int:
    """Item 3 of issue 22: (b) on batches of each size, interleaved; per-report wall and CPU, and each
    size's per-report wall against the largest's (target for 8 against 20: <= 1.5)."""
    found: dict[int, list[tuple[float, float, float]]] = {}
    for r in range(repeats):
        for size in sizes:
            make_data(data, size)
            meter, _ = run_ita(data, WORK / f"out_size_{size}", formats, expected=size)
            found.setdefault(size, []).append(per_report(meter, size))
            print(f"[{r + 1}/{repeats}] (b) {size} reports: {meter}", flush=True)
    print(f"\n=== (b) ita run --jobs {WORKERS} --formats {label(formats)} by batch size; per report, medians of "
          f"{repeats} ===")
    largest = max(sizes)
    base = statistics.median(w for w, _, _ in found[largest])
    for size in sizes:
        wall = statistics.median(w for w, _, _ in found[size])
        cpu = statistics.median(c for _, c, _ in found[size])
        foreign = statistics.median(x for *_, x in found[size])
        print(f"{size:4} reports: {wall:5.2f} s wall, {cpu:5.2f} s CPU, {foreign:5.2f} s foreign CPU per report; "
              f"wall per report {wall / base:.2f}x that of {largest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
