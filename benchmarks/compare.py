"""Time the peer-comparison notebook on one SYNTHETIC national-size year.

make_synthetic.py's 8,300 agencies ("synthetic-agency-NNNNN", seed 2566), fiscal year 2566 only, written
to benchmarks/synthetic/compare/scores/ (git-ignored); notebooks/compare.ipynb run on it with papermill
in a fresh kernel (ita_helpers.batch.execute.execute), as a user runs it. Prints the wall seconds of each run
and of the comparison itself (build_comparison in this process), the median of `--runs`.

    .venv/bin/python benchmarks/compare.py [--runs 3] [--agencies 8300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_synthetic import make_frame  # noqa: E402

from ita_helpers.analysis.comparison import build_comparison  # noqa: E402
from ita_helpers.batch.execute import execute  # noqa: E402
from ita_helpers.core.resources import NOTEBOOKS  # noqa: E402

YEAR = 2566
FOLDER = HERE / "synthetic" / "compare"


def write_year(agencies: int) -> tuple[Path, str]:
    """The SYNTHETIC year's score file, and the agency in the middle of the list to mark."""
    frame = make_frame(agencies)
    frame = frame[frame["fiscal_year"] == YEAR]
    (FOLDER / "scores").mkdir(parents=True, exist_ok=True)
    frame.to_csv(FOLDER / "scores" / f"synthetic_{YEAR}.csv", index=False, float_format="%.2f", lineterminator="\n")
    return FOLDER, str(frame["org"].iloc[len(frame) // 2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agencies", type=int, default=8300)
    args = parser.parse_args()
    folder, org = write_year(args.agencies)
    parameters = {"fiscal_year": YEAR, "agencies": [], "org": org, "data_dir": str(folder)}
    inside, whole = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        comparison = build_comparison(YEAR, [], org, folder)
        inside.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as scratch:
            started = time.perf_counter()
            execute(NOTEBOOKS / "compare.ipynb", Path(scratch) / "compare.ipynb", parameters, Path(scratch))
            whole.append(time.perf_counter() - started)
    standing = comparison.standing
    print(f"synthetic year {YEAR}: {len(comparison.ranked):,} agencies; {org} ranks {standing.rank:,} "
          f"(higher than {standing.percentile:.2f} % of the others)")
    print(f"build_comparison: {statistics.median(inside):.2f} s (median of {args.runs}: "
          + ", ".join(f"{s:.2f}" for s in inside) + ")")
    print(f"compare.ipynb under papermill, fresh kernel included: {statistics.median(whole):.2f} s (median of "
          f"{args.runs}: " + ", ".join(f"{s:.2f}" for s in whole) + ")")


if __name__ == "__main__":
    main()
