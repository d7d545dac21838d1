"""Large inputs in bounded memory: `ita validate`, `ita score` and one agency's `ita run` on a ~200 MB
SYNTHETIC score file (no real agency data).

The file is long form (`org,fiscal_year,indicator,score,source`), Thai agency names
"หน่วยงานสังเคราะห์ที่ NNNNNN", fiscal years 2562-2568, fixed seed; written in blocks so making it takes
little memory: benchmarks/synthetic/large/scores/synthetic_large.csv (git-ignored). Each command runs
in a fresh process; printed: wall seconds and peak RSS of the whole process tree (the sum over the
command and every descendant, sampled every 50 ms with psutil), the largest single process
(RUSAGE_CHILDREN), and CPU seconds (on a shared machine the wall time also counts other people's work).
Goal: at most 1.5 GB.

    .venv/bin/python benchmarks/large_input.py [--mb 200] [--code /work/main] [--commands validate,score,run]

`--code` runs the `ita` of another checkout (e.g. the main branch, for the figures before).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_synthetic import SEED, make_frame  # noqa: E402

FOLDER = HERE / "synthetic" / "large"
FILE = FOLDER / "scores" / "synthetic_large.csv"
BLOCK = 2000  # agencies generated at a time
GOAL_BYTES = 1.5e9


def org_name(number: int) -> str:
    return f"หน่วยงานสังเคราะห์ที่ {number:06d}"


def write_large(megabytes: float, path: Path = FILE) -> Path:
    """Blocks of BLOCK agencies (seed SEED + block) in long form until the file reaches `megabytes`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("org,fiscal_year,indicator,score,source\n")
        block = 0
        while out.tell() < megabytes * 1e6:
            wide = make_frame(BLOCK, seed=SEED + block)
            wide["org"] = [org_name(block * BLOCK + int(n[-5:])) for n in wide["org"]]
            long = wide.melt(id_vars=["org", "fiscal_year"], var_name="indicator", value_name="score")
            long = long.sort_values(["org", "fiscal_year"], kind="stable").assign(source="synthetic")
            long.to_csv(out, header=False, index=False, float_format="%.2f", lineterminator="\n")
            block += 1
    return path


class TreeRss:
    """Peak of the summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.05):
        self.peak = 0
        self.process = psutil.Process(pid)
        self.every = every
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                total = 0
                for process in tree:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(self.every)

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def measure(label: str, args: list[str], code: Path, goal: float = GOAL_BYTES) -> None:
    env = dict(os.environ, ITA_LANG="en", PYTHONPATH=str(code))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "ita_helpers.cli.main", *args], env=env, cwd=code,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    meter = TreeRss(process.pid)
    _out, err = process.communicate()
    wall = time.perf_counter() - started
    tree = meter.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    single, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime - cpu_before
    single_note = f"{single / 1e9:.2f} GB" if single > before * 1024 else "not above an earlier command's"
    verdict = "ok" if tree <= goal else f"ABOVE the {goal / 1e9:g} GB goal"
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS of the process tree {tree / 1e9:.2f} GB ({verdict}); "
          f"largest single process {single_note}; exit {process.returncode}", flush=True)
    if process.returncode not in (0, 1):
        print(err[-2000:], file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--code", type=Path, default=HERE.parent, help="checkout whose ita is run")
    parser.add_argument("--commands", default="validate,score,run", help="which of validate,score,run")
    args = parser.parse_args()
    if not FILE.exists() or abs(FILE.stat().st_size / 1e6 - args.mb) > args.mb * 0.05:
        write_large(args.mb)
    print(f"{FILE.name}: {FILE.stat().st_size / 1e6:.0f} MB, code from {args.code}", flush=True)
    commands = args.commands.split(",")
    if "validate" in commands:
        measure("ita validate FILE", ["validate", str(FILE)], args.code)
    if "score" in commands:
        measure("ita score FILE --format csv", ["score", str(FILE), "--format", "csv"], args.code)
    if "run" in commands:
        with tempfile.TemporaryDirectory(dir=HERE / "synthetic") as out:
            measure("ita run --org (one agency) --years 2566 --formats html",
                    ["run", "--data", str(FOLDER), "--org", org_name(1), "--years", "2566", "--formats", "html",
                     "--out", out, "--jobs", "1"], args.code)


if __name__ == "__main__":
    main()
