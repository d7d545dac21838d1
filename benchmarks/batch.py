"""Batch rendering benchmark: the naive CLI loop vs `ita run` vs the floor (kernels only).

Measures, on the same N=20 synthetic agency-years (10 agencies x fiscal years 2565 and 2566):

  (a) naive loop, one report after another:
        papermill CLI  ->  jupyter nbconvert --to html --no-input  ->  chromium --headless --print-to-pdf
  (b) `python -m ita_helpers.cli run --all --data DIR --out OUT --force --jobs 2`  (HTML + PDF)
  (c) floor: Pool(2) of spawned workers; per report a fresh kernel of this interpreter executes the
      parameterized notebook (nbclient), nothing rendered, nothing saved.

Usage (from /work/main, PYTHONPATH=/work/main):

    python benchmarks/batch.py                   # repeats=3, naive loop on 5 reports scaled to 20
    python benchmarks/batch.py --repeats 1 --naive-n 2
    python benchmarks/batch.py --only b,c --b-formats html,pdf html ""   # where (b)'s time goes
    python benchmarks/batch.py --only b --profile                         # cProfile ita's main process

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
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# ---- synthetic data ----------------------------------------------------------------------------------

def make_data(folder: Path) -> list[tuple[str, int]]:
    """methodology.yaml and national_averages.csv copied from data/, plus scores/synthetic.csv (wide form)."""
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
            scores = [f"{round(rng.uniform(60, 100), 2):.2f}" for _ in range(10)]
            lines.append(f"{org},{year}," + ",".join(scores))
            pairs.append((org, year))
    (folder / "scores" / "synthetic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pairs


def cpu_of_children() -> float:
    """User+system seconds of every reaped descendant (processes that waited for their own children
    pass those on), i.e. the CPU a run cost whatever else the machine was doing."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def system_busy() -> float:
    """Busy CPU seconds of the whole machine so far (/proc/stat), to tell how much others ran meanwhile."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall, own CPU (reaped descendants) and foreign CPU (everything else on the machine) of a block."""

    def __enter__(self):
        self.cpu0, self.busy0, self.t0 = cpu_of_children(), system_busy(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.cpu = cpu_of_children() - self.cpu0
        self.foreign = max(0.0, system_busy() - self.busy0 - self.cpu)
        return False


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def check(cmd: list[str], **kw) -> None:
    proc = subprocess.run(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                           f"{proc.stderr[-4000:]}")


# ---- (a) naive loop ----------------------------------------------------------------------------------

def run_naive(pairs, data: Path, out: Path) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU seconds for `pairs`, and wall seconds per step (papermill, nbconvert, chromium)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    steps = {"papermill": 0.0, "nbconvert": 0.0, "chromium": 0.0}
    cpu0 = cpu_of_children()
    t0 = time.perf_counter()
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
    return time.perf_counter() - t0, cpu_of_children() - cpu0, steps


# ---- (b) ita run ---------------------------------------------------------------------------------------

def _tree_rss(pid: int) -> tuple[int, int]:
    """(RSS bytes, process count) of `pid` and all its descendants."""
    try:
        import psutil
    except ImportError:
        return _tree_rss_proc(pid)
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    total = count = 0
    for p in procs:
        try:
            total += p.memory_info().rss
            count += 1
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total, count


def _tree_rss_proc(pid: int) -> tuple[int, int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    page = os.sysconf("SC_PAGE_SIZE")
    total = count = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
            count += 1
        except (OSError, IndexError, ValueError):
            pass
        stack += children.get(p, [])
    return total, count


def run_ita(data: Path, out: Path, formats: str, jobs: int = 2, watch_memory: bool = False,
            profile: Path | None = None) -> tuple[float, float, dict | None]:
    """Wall and CPU seconds of one `ita run --all --force`; with watch_memory, the peak RSS sum of its
    process tree."""
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "ita_helpers.cli", "run", "--all", "--data", str(data), "--out", str(out), "--force",
            "--jobs", str(jobs), "--formats", formats]
    cpu0 = cpu_of_children()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"rss": 0, "procs": 0}
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            rss, count = _tree_rss(proc.pid)
            if rss > peak["rss"]:
                peak["rss"] = rss
            peak["procs"] = max(peak["procs"], count)
            stop.wait(0.1)

    watcher = threading.Thread(target=poll, daemon=True) if watch_memory else None
    if watcher:
        watcher.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - t0
    cpu = cpu_of_children() - cpu0
    stop.set()
    if watcher:
        watcher.join()
    if proc.returncode != 0:
        raise RuntimeError(f"ita run failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    if not stdout.startswith(f"{N} rendered"):
        raise RuntimeError(f"ita run did not render {N} reports:\n{stdout[:2000]}")
    return elapsed, cpu, peak if watch_memory else None


# ---- (c) the floor -----------------------------------------------------------------------------------

def _floor_task(args: tuple[str, int, str]) -> dict[str, float]:
    """Fresh kernel of this interpreter, parameterized notebook executed, kernel killed; nothing saved.
    Returns seconds: total, boot (kernel start until ready), each code cell by index, shutdown."""
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from ita_helpers.execute import CurrentPythonKernelManager

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


def run_floor(pairs, data: Path, workers: int = 2) -> tuple[float, float, list[dict[str, float]]]:
    cpu0 = cpu_of_children()
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        each = pool.map(_floor_task, [(org, year, str(data)) for org, year in pairs], chunksize=1)
    elapsed = time.perf_counter() - t0
    return elapsed, cpu_of_children() - cpu0, each


# ---- main ------------------------------------------------------------------------------------------------

def label(formats: str) -> str:
    return formats or '""'


def fmt_runs(runs: list[float]) -> str:
    return ", ".join(f"{r:.1f}" for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-n", type=int, default=5, help=f"reports for (a), scaled to {N} (default 5)")
    parser.add_argument("--only", default="a,b,c", help="which of a,b,c to run (default all)")
    parser.add_argument("--b-formats", nargs="+", default=["html,pdf"],
                        help="--formats of each (b) variant; the first is the one compared (default html,pdf)")
    parser.add_argument("--no-memory", action="store_true", help="skip the extra (b) run that samples RSS")
    parser.add_argument("--profile", action="store_true", help="one extra (b) run under cProfile; print top functions")
    args = parser.parse_args()
    only = set(args.only.split(","))
    os.environ.update(env())  # the floor's spawned workers and their kernels import ita_helpers too

    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / "data"
    pairs = make_data(data)
    print(f"synthetic data: {data} ({len(pairs)} agency-years, seed {SEED}); {os.cpu_count()} cores; "
          f"python {sys.executable}")

    # Each list holds (wall, cpu) per repeat, both for all N reports.
    naive: list[tuple[float, float]] = []
    floor: list[tuple[float, float]] = []
    ita: dict[str, list[tuple[float, float]]] = {f: [] for f in args.b_formats}
    naive_steps, floor_each = [], []
    subset = pairs[:: max(1, len(pairs) // args.naive_n)][: args.naive_n]  # both years represented
    scale = N / len(subset)
    for r in range(args.repeats):
        # Interleave the variants so that drift and other load on the machine hit them all alike.
        tag = f"[{r + 1}/{args.repeats}]"
        if "c" in only:
            wall, cpu, each = run_floor(pairs, data)
            floor.append((wall, cpu))
            floor_each += each
            print(f"{tag} (c) floor: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
        if "b" in only:
            for f in args.b_formats:
                wall, cpu, _ = run_ita(data, WORK / f"out_b_{f.replace(',', '_') or 'ipynb'}", f)
                ita[f].append((wall, cpu))
                print(f"{tag} (b) ita run --formats {label(f)}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
        if "a" in only:
            wall, cpu, steps = run_naive(subset, data, WORK / "out_a")
            naive.append((wall * scale, cpu * scale))
            naive_steps.append(steps)
            print(f"{tag} (a) naive loop: {wall:.1f} s wall, {cpu:.1f} s CPU for {len(subset)} reports "
                  f"-> {wall * scale:.1f} s wall scaled to {N}", flush=True)

    peak = None
    if "b" in only and not args.no_memory:
        mem_wall, _, peak = run_ita(data, WORK / "out_b_memory", args.b_formats[0], watch_memory=True)

    profile_file = None
    if "b" in only and args.profile:
        profile_file = WORK / "ita_run.prof"
        run_ita(data, WORK / "out_b_profile", args.b_formats[0], profile=profile_file)

    print()
    print(f"=== {N} agency-years, {os.cpu_count()} cores, {args.repeats} repeat(s); medians over repeats ===")
    print(f"{'':28} {'wall s':>8} {'s/report':>9} {'CPU s':>8} {'CPU s/rep':>9}   wall of each run")
    med: dict[str, tuple[float, float]] = {}

    def line(name: str, runs: list[tuple[float, float]]) -> tuple[float, float]:
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{name:28} {wall:8.1f} {wall / N:9.2f} {cpu:8.1f} {cpu / N:9.2f}   [{fmt_runs([w for w, _ in runs])}]")
        return wall, cpu

    if naive:
        med["a"] = line("(a) naive loop (scaled)", naive)
        print(f"    NOTE: (a) ran only {len(subset)} of {N} reports per repeat, one after another; its totals are "
              f"scaled x{scale:g}")
        step_med = {k: statistics.median(s[k] for s in naive_steps) / len(subset) for k in naive_steps[0]}
        print("    (a) wall per report: " + ", ".join(f"{k} {v:.2f} s" for k, v in step_med.items()))
    for i, (f, runs) in enumerate(ita.items()):
        if runs:
            m = line(f"(b) ita run --formats {label(f)}", runs)
            if i == 0:
                med["b"] = m
    if floor:
        med["c"] = line("(c) floor", floor)
        totals = [e["total"] for e in floor_each]
        print(f"    (c) one report in a worker (kernel start + cells + kill), 2 at a time: median "
              f"{statistics.median(totals):.2f} s, min {min(totals):.2f}, max {max(totals):.2f}")
        keys = [k for k in floor_each[0] if k != "total"]
        print("    (c) of which, medians: " + ", ".join(
            f"{k} {statistics.median(e.get(k, 0) for e in floor_each):.2f}" for k in keys))
    if "a" in med and "b" in med:
        ratio = med["a"][0] / med["b"][0]
        print(f"a/b = {ratio:.2f} wall ({med['a'][1] / med['b'][1]:.2f} CPU)   "
              f"target >= 8: {'met' if ratio >= 8 else 'NOT met'}")
    if "b" in med and "c" in med:
        ratio = med["b"][0] / med["c"][0]
        print(f"b/c = {ratio:.2f} wall ({med['b'][1] / med['c'][1]:.2f} CPU)   "
              f"target <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'}")
    if "a" in med and "c" in med:
        print(f"a/c = {med['a'][0] / med['c'][0]:.2f} wall: the most any runner that keeps a fresh kernel per report "
              f"can reach for a/b")
    if peak:
        print(f"peak RSS of the (b) process tree (--formats {args.b_formats[0]}, psutil every 0.1 s): "
              f"{peak['rss'] / 2**20:.0f} MiB, up to {peak['procs']} processes (that run: {mem_wall:.1f} s wall)")
    if profile_file:
        print(f"\n=== cProfile of the ita main process ({profile_file}) ===")
        stats = pstats.Stats(str(profile_file))
        stats.sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
