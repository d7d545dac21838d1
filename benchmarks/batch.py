"""Batch rendering benchmark: the naive CLI loop vs `ita run` (forked and fresh kernels) vs the floor.

All four render the same N=20 synthetic agency-years (10 agencies x fiscal years 2565 and 2566):

  (a) naive loop, one report after another, each step a separate CLI process:
        papermill  ->  jupyter nbconvert --to html --no-input  ->  chromium --headless --print-to-pdf
  (b) `python -m ita_helpers.cli run --all --data DIR --out OUT --force --jobs 2`  (HTML + PDF): kernels
      forked from a preloaded template (ita_helpers.batch.forkserver)
  (f) the same with `--isolation fresh`: a new interpreter per report
  (c) floor: multiprocessing Pool(2) (spawn); per report a fresh kernel of this interpreter
      (ita_helpers.batch.execute.CurrentPythonKernelManager) runs the parameterized notebook with nbclient;
      nothing is rendered or saved.

Each run reports wall seconds, the CPU seconds of its own process tree (user+sys of reaped
descendants), and the CPU other processes on the machine used meanwhile ("foreign"): the machine is
shared, and a run with much foreign CPU is slower for reasons of its own.

Usage (from /work/main, with PYTHONPATH=/work/main):

    python benchmarks/batch.py                          # 3 repeats; (a) on 5 reports, scaled to 20
    python benchmarks/batch.py --repeats 1 --naive-n 2  # quick look
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

def make_data(folder: Path) -> list[tuple[str, int]]:
    """methodology.yaml and national_averages.csv copied from data/, plus scores/synthetic.csv in wide
    form with scores uniform in 60-100 (fixed seed). Returns the agency-years."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "scores").mkdir(parents=True)
    for name in ("methodology.yaml", "national_averages.csv"):
        shutil.copy2(ROOT / "data" / name, folder / name)
    rng = random.Random(SEED)
    lines = ["org,fiscal_year," + ",".join(str(i) for i in range(1, 11))]
    pairs = []
    for a in range(1, AGENCIES + 1):
        org = f"synthetic-agency-{a:02d}"
        for year in YEARS:
            lines.append(f"{org},{year}," + ",".join(f"{round(rng.uniform(60, 100), 2):.2f}" for _ in range(10)))
            pairs.append((org, year))
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

def run_naive(pairs, data: Path, out: Path) -> tuple[Meter, dict[str, float]]:
    """Every report in turn through three CLIs; also the wall seconds spent in each CLI."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    steps = {"papermill": 0.0, "nbconvert": 0.0, "chromium": 0.0}
    with Meter() as meter:
        for org, year in pairs:
            nb, html, pdf = (out / f"{year}-{org}.{ext}" for ext in ("ipynb", "html", "pdf"))
            t = time.perf_counter()
            check([str(BIN / "papermill"), str(NOTEBOOK), str(nb), "-p", "org", org, "-p", "fiscal_year", str(year),
                   "-p", "data_dir", str(data), "--cwd", str(NOTEBOOK.parent), "--no-progress-bar"])
            steps["papermill"] += time.perf_counter() - t
            t = time.perf_counter()
            check([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)])
            steps["nbconvert"] += time.perf_counter() - t
            t = time.perf_counter()
            check([CHROMIUM, *CHROMIUM_FLAGS, f"--print-to-pdf={pdf}", html.as_uri()], timeout=300)
            steps["chromium"] += time.perf_counter() - t
            if not pdf.exists() or pdf.stat().st_size == 0:
                raise RuntimeError(f"chromium wrote no PDF for {org} {year}")
    return meter, steps


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
            isolation: str = "fork") -> tuple[Meter, dict | None]:
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
    if not stdout.startswith(f"{N} rendered"):
        raise RuntimeError(f"ita run did not render {N} reports:\n{stdout[:2000]}")
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

def _floor_task(args: tuple[str, int, str]) -> dict[str, float]:
    """Fresh kernel of this interpreter, parameterized notebook executed, kernel killed; nothing saved.
    Returns seconds: total, boot (kernel start until ready), each code cell by index, shutdown."""
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from ita_helpers.batch.execute import CurrentPythonKernelManager

    org, year, data = args
    t0 = time.perf_counter()
    marks: dict[str, float] = {}

    def started(**_):
        marks["ready"] = time.perf_counter()

    def cell_start(cell, cell_index, **_):
        marks[f"start {cell_index}"] = time.perf_counter()

    def cell_done(cell, cell_index, **_):
        marks[f"cell {cell_index}"] = time.perf_counter() - marks.pop(f"start {cell_index}")

    def finished(**_):
        marks["finished"] = time.perf_counter()

    nb = load_notebook_node(str(NOTEBOOK))  # as papermill reads it: every cell gets metadata.tags
    nb = parameterize_notebook(nb, {"org": org, "fiscal_year": year, "data_dir": data})
    client = NotebookClient(nb, timeout=600, kernel_manager_class=CurrentPythonKernelManager,
                            shutdown_kernel="immediate", resources={"metadata": {"path": str(NOTEBOOK.parent)}},
                            on_notebook_start=started, on_cell_start=cell_start, on_cell_executed=cell_done,
                            on_notebook_complete=finished)
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's TCP warning is noise, as in ita_helpers.execute
    for cell in nb.cells:  # nbclient raises on errors, but be sure nothing slipped through
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise RuntimeError(f"{org} {year}: {output.get('ename')}: {output.get('evalue')}")
    end = time.perf_counter()
    times = {"total": end - t0, "boot": marks["ready"] - t0, "shutdown": end - marks["finished"]}
    times |= {k: v for k, v in marks.items() if k.startswith("cell ")}
    return times


def run_floor(pairs, data: Path) -> tuple[Meter, list[dict[str, float]]]:
    with Meter() as meter:
        with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
            each = pool.map(_floor_task, [(org, year, str(data)) for org, year in pairs], chunksize=1)
    return meter, each


# ---- main ------------------------------------------------------------------------------------------------

def label(formats: str) -> str:
    return formats or '""'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-n", type=int, default=5, help=f"reports for (a), scaled to {N} (default 5)")
    parser.add_argument("--only", default="a,b,f,c", help="which of a,b,f,c to run (default a,b,f,c)")
    parser.add_argument("--b-formats", nargs="+", default=["html,pdf"],
                        help="--formats of each (b) variant; the first is compared and watched (default html,pdf)")
    parser.add_argument("--no-memory", action="store_true", help="skip the extra (b) and (f) runs that sample memory")
    parser.add_argument("--timeline", action="store_true", help="one extra (b) run in-process, instrumented")
    parser.add_argument("--profile", action="store_true", help="one extra (b) run under cProfile; top functions")
    args = parser.parse_args()
    only = set(args.only.split(","))
    os.environ.update(env())  # spawned workers and their kernels import ita_helpers too
    if not become_subreaper():
        print("note: not a subreaper; CPU of processes orphaned by Chromium shows up as foreign CPU")

    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / "data"
    pairs = make_data(data)
    print(f"synthetic data: {data} ({len(pairs)} agency-years, seed {SEED}); {os.cpu_count()} cores; "
          f"{sys.executable}")

    # Per variant, (wall, cpu, foreign) per repeat, all for N reports.
    runs: dict[str, list[tuple[float, float, float]]] = {}
    naive_steps, floor_each = [], []
    subset = pairs[:: max(1, len(pairs) // args.naive_n)][: args.naive_n]  # both years represented
    scale = N / len(subset)
    names = {f: f"(b) ita run --formats {label(f)}" for f in args.b_formats}
    fresh = "(f) ita run --isolation fresh"
    for r in range(args.repeats):
        # Interleaved, so that drift and other load on the machine hit every variant alike.
        tag = f"[{r + 1}/{args.repeats}]"
        if "c" in only:
            meter, each = run_floor(pairs, data)
            runs.setdefault("(c) floor", []).append(meter.scaled(1))
            floor_each += each
            print(f"{tag} (c) floor: {meter}", flush=True)
        if "b" in only:
            for f in args.b_formats:
                meter, _ = run_ita(data, WORK / f"out_b_{f.replace(',', '_') or 'ipynb'}", f)
                runs.setdefault(names[f], []).append(meter.scaled(1))
                print(f"{tag} {names[f]}: {meter}", flush=True)
        if "f" in only:
            meter, _ = run_ita(data, WORK / "out_f", args.b_formats[0], isolation="fresh")
            runs.setdefault(fresh, []).append(meter.scaled(1))
            print(f"{tag} {fresh}: {meter}", flush=True)
        if "a" in only:
            meter, steps = run_naive(subset, data, WORK / "out_a")
            runs.setdefault("(a) naive loop, scaled", []).append(meter.scaled(scale))
            naive_steps.append(steps)
            print(f"{tag} (a) naive loop, {len(subset)} reports: {meter}; x{scale:g} -> {meter.wall * scale:.1f} s",
                  flush=True)

    peaks = {}
    for letter, isolation in (("b", "fork"), ("f", "fresh")):
        if letter in only and not args.no_memory:
            peaks[isolation] = run_ita(data, WORK / f"out_{letter}_memory", args.b_formats[0], watch_memory=True,
                                       isolation=isolation)
    if "b" in only and args.timeline:
        run_timeline(data, WORK / "out_b_timeline", args.b_formats[0])
    profile_file = None
    if "b" in only and args.profile:
        profile_file = WORK / "ita_run.prof"
        run_ita(data, WORK / "out_b_profile", args.b_formats[0], profile=profile_file)

    print(f"\n=== {N} agency-years, {os.cpu_count()} cores, {WORKERS} workers, {args.repeats} repeat(s); "
          f"medians over repeats ===")
    print(f"{'':34} {'wall s':>7} {'s/report':>8} {'CPU s':>7} {'CPU/rep':>7}   wall of each run (foreign CPU s)")
    med: dict[str, tuple[float, float]] = {}
    for name in sorted(runs):
        rs = runs[name]
        wall, cpu = statistics.median(w for w, _, _ in rs), statistics.median(c for _, c, _ in rs)
        if name in ("(a) naive loop, scaled", names.get(args.b_formats[0]), fresh, "(c) floor"):
            med[name[1]] = (wall, cpu)
        each = ", ".join(f"{w:.1f} ({x:.0f})" for w, _, x in rs)
        print(f"{name:34} {wall:7.1f} {wall / N:8.2f} {cpu:7.1f} {cpu / N:7.2f}   [{each}]")
        if name.startswith("(a)"):
            step = {k: statistics.median(s[k] for s in naive_steps) / len(subset) for k in naive_steps[0]}
            print(f"    NOTE: (a) ran only {len(subset)} of {N} reports per repeat, one after another; its totals are "
                  f"scaled x{scale:g}.\n    (a) wall per report: "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in step.items()))
        if name.startswith("(c)"):
            totals = [e["total"] for e in floor_each]
            keys = [k for k in floor_each[0] if k != "total"]
            print(f"    (c) one report in its worker (kernel start + cells + kill), two at a time: median "
                  f"{statistics.median(totals):.2f} s; medians of its parts: " + ", ".join(
                      f"{k} {statistics.median(e.get(k, 0) for e in floor_each):.2f}" for k in keys))
    if "b" in med and args.b_formats[0] != "html,pdf":
        print(f"    (b) is compared as --formats {label(args.b_formats[0])}")
    if "a" in med and "b" in med:
        ratio = med["a"][0] / med["b"][0]
        print(f"a/b = {ratio:5.2f} wall ({med['a'][1] / med['b'][1]:.2f} CPU)   target >= 10: "
              f"{'met' if ratio >= 10 else 'NOT met'}")
    if "f" in med and "b" in med:
        print(f"f/b = {med['f'][0] / med['b'][0]:5.2f} wall ({med['f'][1] / med['b'][1]:.2f} CPU): forked kernels "
              f"against fresh ones, the same batch")
    if "b" in med and "c" in med:
        ratio = med["b"][1] / med["c"][1]
        print(f"CPU per report, b/c = {ratio:4.2f}   target <= 0.5 of the fresh-kernel floor: "
              f"{'met' if ratio <= 0.5 else 'NOT met'}")
    if "b" in med and "c" in med:
        ratio = med["b"][0] / med["c"][0]
        print(f"b/c = {ratio:5.2f} wall ({med['b'][1] / med['c'][1]:.2f} CPU)   target <= 1.3: "
              f"{'met' if ratio <= 1.3 else 'NOT met'}")
    if "a" in med and "c" in med:
        print(f"a/c = {med['a'][0] / med['c'][0]:5.2f} wall: the highest a/b any runner that keeps one fresh kernel "
              f"per report could reach here")
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


if __name__ == "__main__":
    sys.exit(main())
