"""One report, as the agency renders it again and again (issue 22.1): the naive path against `ita report`.

One SYNTHETIC agency-year (batch.py's make_data, fixed seed), rendered by:

  naive       papermill -> jupyter nbconvert --to html --no-input -> chromium --headless --print-to-pdf
              (three CLI processes; batch.py's naive_report)
  html,pdf    python -m ita_helpers.cli.main report --org ORG --year YEAR --data DIR --out OUT --force
  html        the same with --formats html
  warm html,pdf / warm html
              what an agency that corrects its data again and again runs instead: `ita preview --out OUT
              --formats ...` on a copy of the data, and a scripted save of the score file (written beside,
              moved over it, as Excel saves); timed from the save until the report's file in OUT (the PDF,
              or the HTML) is replaced, which includes the watcher's poll and settling (0.15-0.3 s). Each round
              starts a preview, lets its first page come, saves twice (PAUSE apart), and stops it: the first
              render, cold, is not counted (it is an `ita report`); CPU is the preview's process tree from
              a save to the next (the next kernel's boot included).

Alternating (naive, html,pdf, html, warm html,pdf, warm html, then again), so that load on this shared
machine hits each alike; the median of the repeats of each, wall and CPU (user+sys of the process tree),
and the CPU other processes used meanwhile ("foreign", not measured for the warm rows). Ratios naive/ita on
wall, against the issue's targets (>= 4 with the PDF, >= 6 HTML only). Then the phases of one more
`ita report` (its timeline, core/timeline.py), and the cold floor: what any command that starts cold must
wait for before the HTML exists, a fresh Python importing what the report's kernel imports
(forkserver.preload) then the report's cells in a warm kernel (batch.py's floor); naive / floor is the best
ratio such a command could reach, whatever it overlaps. Between the two, the CPU of one more `ita report`
by kind of process (main, worker, kernel template, forked kernel, Chromium, Playwright's driver): its sum
over the cores is another floor, that of its own work.

    python benchmarks/single.py              # median of 3
    python benchmarks/single.py --quick      # one round

Everything it writes goes under benchmarks/synthetic/ (git-ignored)."""

from __future__ import annotations

import argparse
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import WORK, WORKERS, Meter, become_subreaper, env, make_data, naive_report, reap_orphans, run_floor  # noqa: E402
from preview import tree_cpu  # noqa: E402

from ita_helpers.core.timeline import ENV, read_timeline  # noqa: E402

TARGETS = {"html,pdf": 4.0, "html": 6.0}


def ita_report(org: str, year: int, data: Path, out: Path, formats: str, extra_env: dict[str, str] | None = None
               ) -> None:
    cmd = [sys.executable, "-m", "ita_helpers.cli.main", "report", "--org", org, "--year", str(year),
           "--data", str(data), "--out", str(out), "--force", "--formats", formats]
    proc = subprocess.run(cmd, env=env() | (extra_env or {}), capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.startswith("1 rendered"):
        raise RuntimeError(f"ita report failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


PAUSE = 2.0  # seconds from one save to the next, as a reader looks at the page; the next kernel boots meanwhile


class Warm:
    """A `warm` measure: wall seconds from a save to the replaced file; CPU seconds of the preview's process
    tree from the save to the next one (PAUSE later): the next kernel's boot, made ready for the next save,
    and the watcher's polls are counted, as a cold command counts its whole run."""

    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu, self.foreign = wall, cpu, float("nan")  # foreign CPU: not measured

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU (preview's process tree)"


def first_line(process: subprocess.Popen, deadline: float) -> str:
    """The first line the process prints, or "" if none comes within `deadline` seconds."""
    ready, _, _ = select.select([process.stdout], [], [], deadline)
    return process.stdout.readline() if ready else ""


def warm_saves(org: str, year: int, data: Path, out: Path, formats: str, saves: int = 2) -> list[Warm]:
    """Start `ita preview --out` on a copy of `data`, wait for its first page, then save the score file
    `saves` times, each with other scores, timing each until the report's file (PDF if asked, else HTML)
    is replaced; stop the preview with Ctrl-C (killed if it does not end), and check nothing is left."""
    copy = out.with_name(out.name + "_data")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(data, copy)
    target = out / str(year) / org / ("report.pdf" if "pdf" in formats else "report.html")
    told = out.with_name(out.name + "_stderr.txt")
    with open(told, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "ita_helpers.cli.main", "preview", "--org", org, "--year",
                                    str(year), "--data", str(copy), "--out", str(out), "--formats", formats,
                                    "--no-browser"], env=env() | {"PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                                   stderr=stderr, text=True)
    measures = []
    try:
        if "http://127.0.0.1" not in first_line(process, 120):
            raise RuntimeError(f"ita preview did not start:\n{told.read_text(encoding='utf-8')[-2000:]}")
        scores = copy / "scores" / "synthetic.csv"
        lines = scores.read_text(encoding="utf-8").splitlines()
        time.sleep(PAUSE)  # the reader looks at the first page: the next kernel is ready, as it would be
        for save in range(saves):
            before = target.stat().st_mtime_ns
            row = lines[1].split(",")
            edited = ",".join(row[:2] + [f"{70 + save + 0.5 * i:.2f}" for i in range(len(row) - 2)])
            (copy / "scores" / "1A2B3C4D.tmp").write_text("\n".join([lines[0], edited, *lines[2:]]) + "\n",
                                                          encoding="utf-8")
            cpu, started = tree_cpu(process.pid), time.perf_counter()
            os.replace(copy / "scores" / "1A2B3C4D.tmp", scores)
            while target.stat().st_mtime_ns == before:
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise RuntimeError(f"{target} was not written again:\n{told.read_text(encoding='utf-8')[-2000:]}")
                time.sleep(0.01)
            wall = time.perf_counter() - started
            time.sleep(max(0.0, started + wall + PAUSE - time.perf_counter()))
            measures.append(Warm(wall, tree_cpu(process.pid) - cpu))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        left = reap_orphans()
        if left:
            print(f"  WARNING: still running after ita preview ended: {left}", flush=True)
    return measures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one round")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    os.environ.update(env())
    become_subreaper()
    data = WORK / "single_data"
    (org, year), = make_data(data, 1)
    runs: dict[str, list[Meter | Warm]] = {}
    for r in range(repeats):
        for name in ("naive", "html,pdf", "html", "warm html,pdf", "warm html"):
            out = WORK / f"single_{name.replace(',', '_').replace(' ', '_')}"
            shutil.rmtree(out, ignore_errors=True)
            if name.startswith("warm"):
                measures = warm_saves(org, year, data, out, name.split()[1])
                runs.setdefault(name, []).extend(measures)
                print(f"[{r + 1}/{repeats}] {name}: " + "; ".join(map(str, measures)), flush=True)
                continue
            out.mkdir(parents=True)
            with Meter() as meter:
                if name == "naive":
                    naive_report(org, year, data, out)
                else:
                    ita_report(org, year, data, out, name)
            runs.setdefault(name, []).append(meter)
            print(f"[{r + 1}/{repeats}] {name}: {meter}", flush=True)

    print(f"\n=== one synthetic report ({org} {year}), {os.cpu_count()} cores; medians of {repeats} "
          f"(warm: of {2 * repeats} saves) ===")
    med = {name: (statistics.median(m.wall for m in ms), statistics.median(m.cpu for m in ms),
                  statistics.median(m.foreign for m in ms)) for name, ms in runs.items()}
    labels = {"naive": "naive CLI path"} | {name: f"cold: ita report --formats {name}" for name in TARGETS} | {
        f"warm {name}": f"warm: preview --out, {name}" for name in TARGETS}
    for name, (wall, cpu, foreign) in med.items():
        shown = "   -   " if foreign != foreign else f"{foreign:6.2f} s"  # nan: not measured
        print(f"{labels[name]:34} {wall:6.2f} s wall {cpu:6.2f} s CPU {shown} foreign CPU")
    for name, target in ((f"{kind}{name}", target) for kind in ("", "warm ") for name, target in TARGETS.items()):
        wall = med["naive"][0] / med[name][0]
        print(f"naive / {labels[name]}: {wall:.2f} in wall ({med['naive'][1] / med[name][1]:.2f} "
              f"in CPU)   target >= {target:g} in wall: {'met' if wall >= target else 'NOT met'}")
    print_timeline(org, year, data)
    print_cpu_by_process(org, year, data)
    print_cold_floor(org, year, data, med["naive"][0], repeats)
    return 0


def print_cold_floor(org: str, year: int, data: Path, naive_wall: float, repeats: int) -> None:
    """The imports of a fresh Python (median of `repeats`) plus the cells of the report (median over the
    floor's warm kernels, one report each), and naive / that sum against the targets."""
    preload = [sys.executable, "-c", "from ita_helpers.batch.forkserver import preload; preload()"]
    imports = []
    for _ in range(repeats):
        with Meter() as meter:
            subprocess.run(preload, env=env(), check=True, capture_output=True)
        imports.append(meter.wall)
    _meter, each = run_floor([(org, year)] * WORKERS, data, "html")
    cells = statistics.median(seconds for seconds, _cpu in each)
    floor = statistics.median(imports) + cells
    print(f"\n=== the cold floor: {statistics.median(imports):.2f} s for a fresh Python to import the report's "
          f"stack + {cells:.2f} s for its cells in a warm kernel = {floor:.2f} s ===")
    for name, target in TARGETS.items():
        print(f"naive / cold floor: {naive_wall / floor:.2f}; the target for --formats {name} is {target:g}: "
              f"{'within reach' if naive_wall / floor >= target else 'beyond any command that starts cold'}")


ROLES = (("template", "ita_helpers.batch.forkserver"), ("worker", "multiprocessing.spawn"),
         ("main", "ita_helpers.cli.main"), ("Playwright driver", "run-driver"), ("Chromium", "chromium"))


def print_cpu_by_process(org: str, year: int, data: Path) -> None:
    """One more `ita report --formats html,pdf`, its process tree sampled every 20 ms (/proc): the CPU
    seconds of each kind of process. A cold command on N cores cannot end before its CPU / N seconds."""
    out = WORK / "single_cpu"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "ita_helpers.cli.main", "report", "--org", org, "--year", str(year),
           "--data", str(data), "--out", str(out), "--force", "--formats", "html,pdf"]
    tick = os.sysconf("SC_CLK_TCK")
    seen: dict[int, tuple[str, float]] = {}  # pid -> (kind, CPU seconds when last seen)
    kinds: dict[int, str] = {}
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:  # a process that lives less than a sampling, or CPU after the last, is missed
        stats = {}
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split() if entry.name.isdigit() else None
            except OSError:
                continue
            if fields:
                stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
        tree, todo = set(), [process.pid]
        while todo:
            pid = todo.pop()
            tree.add(pid)
            todo += [child for child, (parent, _cpu) in stats.items() if parent == pid and child not in tree]
        for pid in tree & set(stats):
            if pid not in kinds:
                try:
                    line = (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
                except OSError:
                    continue
                if kinds.get(stats[pid][0]) == "template":  # a fork keeps its template's command line
                    kinds[pid] = "kernel (forked)"
                else:
                    kinds[pid] = next((role for role, word in ROLES if word in line), "other")
            seen[pid] = (kinds[pid], stats[pid][1])
        time.sleep(0.02)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"ita report failed ({process.returncode})")
    totals: dict[str, float] = {}
    for kind, cpu in seen.values():
        totals[kind] = totals.get(kind, 0.0) + cpu
    print("\n=== CPU of one ita report --formats html,pdf by kind of process (sampled, one run) ===")
    for kind, cpu in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{kind:18} {cpu:5.2f} s")
    total = sum(totals.values())
    print(f"{'all':18} {total:5.2f} s in {wall:.2f} s wall: on {os.cpu_count()} cores no sooner than "
          f"{total / (os.cpu_count() or 1):.2f} s, however its work overlaps")


def print_timeline(org: str, year: int, data: Path) -> None:
    """One more `ita report --formats html,pdf`, with its phases (ITA_TIMELINE): seconds from the command's
    start, the seconds since the phase before, and which process reached it."""
    timeline = WORK / "single_timeline.tsv"
    timeline.unlink(missing_ok=True)
    out = WORK / "single_timeline"
    shutil.rmtree(out, ignore_errors=True)
    started = time.time()
    ita_report(org, year, data, out, "html,pdf", {ENV: str(timeline)})
    ended = time.time()
    marks = read_timeline(timeline)
    roles = {pid: phase.split(":")[0] for _moment, pid, phase in reversed(marks)}
    print("\n=== where the wall time of one ita report --formats html,pdf goes (one run) ===")
    previous = started
    for moment, pid, phase in [*marks, (ended, 0, "command ended")]:
        print(f"{moment - started:6.2f} s  +{moment - previous:5.2f}  {roles.get(pid, ''):8} {phase}")
        previous = moment


if __name__ == "__main__":
    sys.exit(main())
