"""Time `ita score FILE --format csv` on the synthetic national file, as a whole subprocess.

Creates the file first when missing (benchmarks/make_synthetic.py). Prints the median of 5 runs
and its ratio to the 3-second target.

    PYTHONPATH=. python benchmarks/score_speed.py [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_synthetic import DEFAULT_OUT, write  # noqa: E402

REPO_ROOT = HERE.parent
TARGET_SECONDS = 3.0


def time_once(path: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ita_helpers.cli", "score", str(path), "--format", "csv"],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"ita score failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def profile(path: Path, env: dict[str, str], top: int = 25) -> None:
    """The same command under cProfile, cumulative time of the top functions."""
    out = HERE / "synthetic" / "score.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "ita_helpers.cli", "score", str(path),
                    "--format", "csv"], env=env, stdout=subprocess.DEVNULL, check=True)
    import pstats

    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one run")
    args = parser.parse_args()
    path = DEFAULT_OUT if DEFAULT_OUT.exists() else write()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    times = [time_once(path, env) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"ita score {path.name} --format csv: median {median:.2f} s over {args.runs} runs "
          f"({', '.join(f'{t:.2f}' for t in times)}); {median / TARGET_SECONDS:.2f}x the {TARGET_SECONDS:.0f} s target")
    if args.profile:
        profile(path, env)


if __name__ == "__main__":
    main()
