"""Time `ita score FILE --format csv` on the synthetic national file, end to end in a fresh process
(interpreter start and imports included), as a user types it.

Creates the file first when missing (benchmarks/make_synthetic.py). Prints the median wall time of
5 runs and its ratio to the 1-second target (Issue 9), and the median CPU time of the same runs: on a
shared machine the wall time also counts other people's work.

    PYTHONPATH=. python benchmarks/score_speed.py [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_synthetic import DEFAULT_OUT, write  # noqa: E402

REPO_ROOT = HERE.parent
TARGET_SECONDS = 1.0


def command(path: Path) -> list[str]:
    """The installed `ita` script when there is one beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("ita")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "ita_helpers.cli.main"]
    return [*head, "score", str(path), "--format", "csv"]


def time_once(path: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command(path), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"ita score failed ({done.returncode}):\n{done.stderr}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def profile(path: Path, env: dict[str, str], top: int = 25) -> None:
    """The same command under cProfile, cumulative time of the top functions."""
    out = HERE / "synthetic" / "score.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "ita_helpers.cli.main", "score", str(path),
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
    runs = [time_once(path, env) for _ in range(args.runs)]
    wall = statistics.median(w for w, _cpu in runs)
    cpu = statistics.median(c for _wall, c in runs)
    print(f"ita score {path.name} --format csv: median {wall:.2f} s wall over {args.runs} runs "
          f"({', '.join(f'{w:.2f}' for w, _cpu in runs)}); {wall / TARGET_SECONDS:.2f}x the "
          f"{TARGET_SECONDS:.0f} s target; median CPU {cpu:.2f} s ({cpu / TARGET_SECONDS:.2f}x)")
    if args.profile:
        profile(path, env)


if __name__ == "__main__":
    main()
