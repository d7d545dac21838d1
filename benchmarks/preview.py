"""`ita preview`: from a scripted save of a score file to the updated page, wall and CPU.

Starts `ita preview --no-browser` on a copy of the SYNTHETIC test fixtures (tests/fixtures/synthetic_data,
agency หน่วยงานทดสอบขาขึ้น, 2566) under benchmarks/synthetic/preview/, then saves the score file
REPEATS times as an editor does (written beside, moved over the old one), each time with a new total, and
times until the page served shows that total:

  wall  save → /version changed → page fetched with the new total (includes the watcher's poll and its
        one poll of settling, 0.15-0.3 s)
  CPU   user+system seconds of the preview's process tree meanwhile: the ita process, the kernel template
        and the kernels (live ones, and those reaped by their parents, from /proc/PID/stat)

and, apart, the CPU the idle watcher and server cost per second of waiting. Medians are printed.

Usage (from the checkout, with PYTHONPATH set to it):

    python benchmarks/preview.py               # 5 saves
    python benchmarks/preview.py --repeats 9"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "synthetic_data"
WORK = ROOT / "benchmarks" / "synthetic" / "preview"
ORG, YEAR = "หน่วยงานทดสอบขาขึ้น", 2566
TICK = os.sysconf("SC_CLK_TCK")
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def tree_cpu(root: int) -> float:
    """User+system seconds of `root` and its live descendants, each with its reaped children's."""
    parents, times = {}, {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(proc.name)] = int(fields[1])
        times[int(proc.name)] = sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def save(path: Path, score: int) -> None:
    header = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"
    text = header + f"{ORG},2565,{','.join(['80'] * 10)}\n{ORG},{YEAR},{','.join([str(score)] * 10)}\n"
    temporary = path.with_name("A1B2C3D4.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if WORK.exists():
        shutil.rmtree(WORK)
    shutil.copytree(FIXTURES, WORK / "data")
    scores = WORK / "data" / "scores" / "rising.csv"
    env = dict(os.environ, PYTHONUNBUFFERED="1", ITA_LANG="th")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "ita_helpers.cli.main", "preview", "--org", ORG,
                                "--year", str(YEAR), "--data", str(WORK / "data"), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=WORK)
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline()).group(0)
        print(f"first page: {time.perf_counter() - started:.2f} s wall (start, imports, kernel, render)")
        time.sleep(1.0)
        cpu, at = tree_cpu(process.pid), time.perf_counter()
        time.sleep(3.0)
        idle = (tree_cpu(process.pid) - cpu) / (time.perf_counter() - at)
        walls, cpus = [], []
        for repeat in range(args.repeats):
            score = 91 + repeat % 9
            shown = fetch(base + "version")
            cpu, at = tree_cpu(process.pid), time.perf_counter()
            save(scores, score)
            while fetch(base + "version") == shown:
                time.sleep(0.02)
            page = fetch(base)
            walls.append(time.perf_counter() - at)
            cpus.append(tree_cpu(process.pid) - cpu)
            assert f"{score}.00".translate(THAI) in page, "the page does not show the new total"
            print(f"  save {repeat + 1}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU")
            time.sleep(1.5)  # the next kernel is forked after a render: let it settle as a user's pause would
        print(f"save -> updated page, median of {args.repeats}: {statistics.median(walls):.2f} s wall, "
              f"{statistics.median(cpus):.2f} s CPU (process tree)")
        print(f"idle watcher and server: {idle * 100:.2f}% of one core")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
