"""Backends side by side: local worker processes vs a Dask LocalCluster, on the same batch.

Both render the same N=20 SYNTHETIC agency-years (batch.py's make_data: 10 agencies
"synthetic-agency-NN" x fiscal years 2565 and 2566, fixed seed) with `ita run`, each a whole process
timed from outside:

  local: python -m ita_helpers.cli run --all --data DIR --out OUT --force --jobs 2 --formats F
  dask:  the same plus --scheduler local  (LocalCluster: 2 worker processes, 1 thread each)

Repeats are interleaved, the order flipped every repeat (local dask, dask local, local dask, ...), so
that drift and other load on this shared machine hit both alike. Each run reports wall seconds, the
CPU of its process tree and the CPU other processes used meanwhile ("foreign"), as batch.py does.
Goal: median wall dask/local <= 1.15.

Cluster start-up is measured apart, cheaply, once per repeat: a separate process imports
distributed, starts the same LocalCluster + Client (until both workers are up) and closes it. That is
the cost `--scheduler local` adds before its first job can start, and after the last (close).

Usage (from /work/main, with PYTHONPATH=/work/main):

    python benchmarks/backends.py                       # 3 repeats, HTML + PDF
    python benchmarks/backends.py --repeats 1 --formats html   # quick look

Everything it writes goes under benchmarks/synthetic/ (git-ignored)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import SEED, WORK, WORKERS, N, become_subreaper, env, make_data, run_ita  # noqa: E402

GOAL = 1.15

# The cluster DaskBackend starts for `--scheduler local`, started and closed on its own.
STARTUP_PROBE = f"""
import json, time
t0 = time.perf_counter()
from distributed import Client, LocalCluster
t1 = time.perf_counter()
cluster = LocalCluster(n_workers={WORKERS}, threads_per_worker=1, processes=True, dashboard_address=None)
client = Client(cluster)
client.wait_for_workers({WORKERS})
t2 = time.perf_counter()
client.close()
cluster.close()
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "start": t2 - t1, "close": t3 - t2}}))
"""


def cluster_startup() -> dict[str, float]:
    """Seconds to import distributed, start the LocalCluster with its workers, and close it."""
    proc = subprocess.run([sys.executable, "-c", STARTUP_PROBE], env=env(), capture_output=True, text=True,
                          timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"cluster start-up probe failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--formats", default="html,pdf", help="--formats of every run (default html,pdf)")
    parser.add_argument("--no-startup", action="store_true", help="skip the cluster start-up probe")
    args = parser.parse_args()
    os.environ.update(env())
    if not become_subreaper():
        print("note: not a subreaper; CPU of processes orphaned by Chromium shows up as foreign CPU")

    from ita_helpers.render.pdf import pdf_engine_name

    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / "data"
    pairs = make_data(data)
    engine = pdf_engine_name("auto") if "pdf" in args.formats else "-"
    print(f"synthetic data: {data} ({len(pairs)} agency-years, seed {SEED}); {os.cpu_count()} cores; "
          f"{WORKERS} workers; --formats {args.formats}; PDF engine {engine}; {sys.executable}")

    schedulers = {"local": None, "dask": "local"}
    runs: dict[str, list] = {name: [] for name in schedulers}  # (wall, cpu, foreign) per repeat
    startups: list[dict[str, float]] = []
    for r in range(args.repeats):
        tag = f"[{r + 1}/{args.repeats}]"
        order = list(schedulers) if r % 2 == 0 else list(reversed(schedulers))
        for name in order:
            meter, _ = run_ita(data, WORK / f"out_backends_{name}", args.formats, scheduler=schedulers[name])
            runs[name].append(meter.scaled(1))
            print(f"{tag} {name:5}: {meter}", flush=True)
        if not args.no_startup:
            startups.append(cluster_startup())
            s = startups[-1]
            print(f"{tag} cluster probe: import distributed {s['import']:.2f} s, start {s['start']:.2f} s, "
                  f"close {s['close']:.2f} s", flush=True)

    print(f"\n=== {N} synthetic agency-years, {os.cpu_count()} cores, {WORKERS} workers, --formats {args.formats}, "
          f"PDF engine {engine}, {args.repeats} repeat(s); medians over repeats ===")
    print(f"{'':8} {'wall s':>7} {'s/report':>8} {'CPU s':>7} {'CPU/rep':>7}   wall of each run (foreign CPU s)")
    med = {}
    for name, rs in runs.items():
        wall, cpu = statistics.median(w for w, _, _ in rs), statistics.median(c for _, c, _ in rs)
        med[name] = (wall, cpu)
        each = ", ".join(f"{w:.1f} ({x:.0f})" for w, _, x in rs)
        print(f"{name:8} {wall:7.1f} {wall / N:8.2f} {cpu:7.1f} {cpu / N:7.2f}   [{each}]")
    ratio = med["dask"][0] / med["local"][0]
    pairs_ratio = ", ".join(f"{d[0] / lo[0]:.2f}" for lo, d in zip(runs["local"], runs["dask"]))
    print(f"dask/local = {ratio:.2f} wall ({med['dask'][1] / med['local'][1]:.2f} CPU); per repeat {pairs_ratio}"
          f"   goal <= {GOAL}: {'met' if ratio <= GOAL else 'NOT met'}")
    if startups:
        start = {k: statistics.median(s[k] for s in startups) for k in startups[0]}
        total = sum(start.values())
        print(f"cluster start-up (separate probe, medians): import distributed {start['import']:.2f} s + start "
              f"{start['start']:.2f} s + close {start['close']:.2f} s = {total:.2f} s, "
              f"{100 * total / med['dask'][0]:.0f}% of dask's median wall; "
              f"dask - local = {med['dask'][0] - med['local'][0]:+.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
