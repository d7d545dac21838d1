"""National scale: a report's cost must not grow with the size of the data folder.

All data is SYNTHETIC (make_synthetic.py: 8,300 agencies "synthetic-agency-NNNNN" x fiscal years
2562-2568, seed 2566). Printed, in one run:

1. Per report, national folder vs one-agency folders: the same K agency-years (default 8, FY2566)
   rendered with `ita run --org ... --years 2566 --formats html --jobs 2 --force`, once from a folder
   holding the national file and once from a folder holding only those agencies' rows. Wall and CPU
   per report, and the ratio national/one (goal <= 1.1). The two runs alternate, order flipped each
   repeat.
2. Planning 58,100 agency-years: a fresh process imports ita_helpers, reads and validates the national
   folder, cuts every agency's slice, makes the 58,100 jobs and compares each with an (empty) output
   folder's manifest, as `ita run --all` does before its first kernel. Seconds and peak RSS (goal <= 5 s).
3. A B-report batch from the national folder (default 300, FY2566, HTML+PDF): wall and CPU per report.
4. The projected time of one national year (8,300 reports) on this machine, and with each added
   one-core Dask worker (throughput taken as proportional to cores, from the CPU per report of 3).

    PYTHONPATH=/work/main .venv/bin/python benchmarks/national.py [--k 8] [--batch 300] [--repeats 1]

Everything it writes goes under benchmarks/synthetic/ (git-ignored)."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import WORK, WORKERS, Meter, become_subreaper, env  # noqa: E402
from make_synthetic import DEFAULT_OUT, make_frame  # noqa: E402

YEAR = 2566
NATIONAL_YEAR = 8300
PLAN_GOAL, RATIO_GOAL = 5.0, 1.1

PLAN_SCRIPT = """
import resource, sys, time
started = time.perf_counter()
from ita_helpers.inputs.dataset import DataFolder
from ita_helpers.batch.plan import plan
from ita_helpers.batch.publish import OutputFolder
jobs, problems = plan(DataFolder(sys.argv[1]), formats=("html",))
out = OutputFolder(sys.argv[2])
todo = [job for job in jobs if not out.up_to_date(job, "-")]
seconds = time.perf_counter() - started
print(len(jobs), len(todo), len(problems), seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def folders(k: int) -> tuple[Path, Path, list[str]]:
    """The national folder and a folder of only the K agencies' rows (both SYNTHETIC)."""
    national, alone = WORK / "national" / "data", WORK / "national" / "alone"
    if not DEFAULT_OUT.exists():
        make_frame().to_csv(DEFAULT_OUT, index=False)
    table = pd.read_csv(DEFAULT_OUT, dtype=str)
    orgs = sorted(table["org"].unique())[:: len(table["org"].unique()) // k][:k]
    for folder, rows in ((national, table), (alone, table[table["org"].isin(orgs)])):
        (folder / "scores").mkdir(parents=True, exist_ok=True)
        target = folder / "scores" / "synthetic_national.csv"
        if not target.exists() or folder == alone:
            rows.to_csv(target, index=False)
    return national, alone, orgs


def worker_seconds(out: Path) -> float:
    """Median seconds one report took in its worker (kernel, notebook, HTML): what grew with the folder."""
    from ita_helpers.batch.publish import load_manifest

    durations = sorted(e["duration"] for e in load_manifest(out)["reports"].values())
    return durations[len(durations) // 2]


def ita_run(data: Path, out: Path, orgs: list[str], formats: str) -> Meter:
    cmd = [sys.executable, "-m", "ita_helpers.cli.main", "run", "--data", str(data), "--out", str(out), "--force",
           "--years", str(YEAR), "--jobs", str(WORKERS), "--formats", formats]
    for org in orgs:
        cmd += ["--org", org]
    with Meter() as meter:
        proc = subprocess.run(cmd, env=env(), capture_output=True, text=True)
    if proc.returncode not in (0,) or not proc.stdout.startswith(f"{len(orgs)} rendered"):
        raise RuntimeError(f"ita run failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return meter


def per_report(data: Path, alone: Path, orgs: list[str], repeats: int) -> None:
    runs: dict[str, list[tuple[Meter, float]]] = {"national": [], "one-agency": []}
    for repeat in range(repeats):
        order = [("national", data), ("one-agency", alone)]
        for name, folder in order if repeat % 2 == 0 else order[::-1]:
            out = WORK / "national" / f"out_{name}"
            meter = ita_run(folder, out, orgs, "html")
            runs[name].append((meter, worker_seconds(out)))
            print(f"[{repeat + 1}/{repeats}] {name:10s}: {meter}, {runs[name][-1][1]:.2f} s in the worker per report",
                  flush=True)
    k = len(orgs)

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    wall = {n: median([m.wall for m, _ in ms]) / k for n, ms in runs.items()}
    cpu = {n: median([m.cpu for m, _ in ms]) / k for n, ms in runs.items()}
    worker = {n: median([w for _, w in ms]) for n, ms in runs.items()}
    print(f"\n1. per report ({k} agency-years, FY{YEAR}, html, {WORKERS} workers, median of {repeats}):")
    for name in runs:
        print(f"   {name:10s} {worker[name]:.2f} s in its worker   whole run incl. planning: {wall[name]:.2f} s "
              f"wall/report, {cpu[name]:.2f} s CPU/report")
    ratio = worker["national"] / worker["one-agency"]
    print(f"   national/one-agency = {ratio:.2f} per report in the worker (goal <= {RATIO_GOAL}: "
          f"{'met' if ratio <= RATIO_GOAL else 'NOT met'}); whole run {wall['national'] / wall['one-agency']:.2f} "
          f"wall, {cpu['national'] / cpu['one-agency']:.2f} CPU (the national run also reads and slices "
          f"{NATIONAL_YEAR:,} x 7 agency-years once)")


def planning(data: Path) -> float:
    out = WORK / "national" / "out_plan_empty"
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-c", PLAN_SCRIPT, str(data), str(out)], env=env(),
                          capture_output=True, text=True, check=True)
    jobs, todo, problems, seconds, rss_kib = proc.stdout.split()
    print(f"\n2. planning {int(jobs):,} agency-years ({todo} to render, {problems} problems): {float(seconds):.2f} s "
          f"after interpreter start, peak RSS {int(rss_kib) / 1024:.0f} MiB   goal <= {PLAN_GOAL} s: "
          f"{'met' if float(seconds) <= PLAN_GOAL else 'NOT met'}")
    return float(seconds)


def batch(data: Path, size: int) -> tuple[float, float]:
    table = pd.read_csv(DEFAULT_OUT, dtype=str, usecols=["org"])
    orgs = sorted(table["org"].unique())[:size]
    meter = ita_run(data, WORK / "national" / "out_batch", orgs, "html,pdf")
    cpu_per_report = meter.cpu / size
    print(f"\n3. {size}-report batch from the national folder (FY{YEAR}, html+pdf, {WORKERS} workers): "
          f"{meter.wall:.1f} s wall ({meter.wall / size:.2f} s/report), {meter.cpu:.1f} s CPU "
          f"({cpu_per_report:.2f} s/report), {meter.foreign:.1f} s foreign CPU")
    return meter.wall / size, cpu_per_report


def projection(plan_seconds: float, wall_per_report: float, cpu_per_report: float) -> None:
    here = plan_seconds + NATIONAL_YEAR * wall_per_report
    print(f"\n4. one national year ({NATIONAL_YEAR:,} reports, html+pdf):")
    print(f"   this machine ({os.cpu_count()} cores, {WORKERS} workers): {here / 3600:.2f} h")
    for workers in (4, 8, 16, 32):
        hours = (plan_seconds + NATIONAL_YEAR * cpu_per_report / workers) / 3600
        print(f"   {workers:2d} one-core Dask workers: {hours:.2f} h  (+{workers - WORKERS} workers)")
    print(f"   each added one-core worker renders about {3600 / cpu_per_report:.0f} more reports an hour")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=8, help="agency-years compared per report (default 8)")
    parser.add_argument("--batch", type=int, default=300, help="reports in the national batch (default 300)")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    become_subreaper()
    data, alone, orgs = folders(args.k)
    print(f"SYNTHETIC national folder {data} ({NATIONAL_YEAR:,} agencies x 7 years); "
          f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    per_report(data, alone, orgs, args.repeats)
    plan_seconds = planning(data)
    wall_per_report, cpu_per_report = batch(data, args.batch)
    projection(plan_seconds, wall_per_report, cpu_per_report)
    print(f"(this process: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
