"""A ~200 MB WIDE score CSV (one row per agency-year, a column per indicator) validated in bounded memory:
`ita validate` on a SYNTHETIC file (no real agency data), printing wall seconds, CPU seconds and the peak RSS
of the process tree (see large_input.py for how each is taken). Goal: at most 1 GB.

The file is `org,fiscal_year,1,...,10,source`: Thai agency names "หน่วยงานสังเคราะห์ที่ NNNNNN", fiscal
years 2562-2568, scores from make_synthetic.make_frame with a fixed seed (SEED + block), written in blocks so
making it takes little memory: benchmarks/synthetic/wide/scores/synthetic_wide.csv (git-ignored).

    .venv/bin/python benchmarks/wide_csv.py [--mb 200] [--code /work/main] [--commands validate,score]

`--code` runs the `ita` of another checkout (e.g. the main branch, for the figures before).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from large_input import BLOCK, measure, org_name  # noqa: E402
from make_synthetic import SEED, make_frame  # noqa: E402

FILE = HERE / "synthetic" / "wide" / "scores" / "synthetic_wide.csv"
GOAL_BYTES = 1e9


def write_wide(megabytes: float, path: Path = FILE) -> Path:
    """Blocks of BLOCK agencies (seed SEED + block), one row per agency-year, until the file reaches `megabytes`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("org,fiscal_year," + ",".join(map(str, range(1, 11))) + ",source\n")
        block = 0
        while out.tell() < megabytes * 1e6:
            wide = make_frame(BLOCK, seed=SEED + block)
            wide["org"] = [org_name(block * BLOCK + int(n[-5:])) for n in wide["org"]]
            wide.assign(source="synthetic").to_csv(out, header=False, index=False, float_format="%.2f",
                                                   lineterminator="\n")
            block += 1
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--code", type=Path, default=HERE.parent, help="checkout whose ita is run")
    parser.add_argument("--commands", default="validate", help="which of validate,score")
    args = parser.parse_args()
    if not FILE.exists() or abs(FILE.stat().st_size / 1e6 - args.mb) > args.mb * 0.05:
        write_wide(args.mb)
    print(f"{FILE.name}: {FILE.stat().st_size / 1e6:.0f} MB, code from {args.code}", flush=True)
    commands = args.commands.split(",")
    if "validate" in commands:
        measure("ita validate FILE", ["validate", str(FILE)], args.code, GOAL_BYTES)
    if "score" in commands:
        measure("ita score FILE --format csv", ["score", str(FILE), "--format", "csv"], args.code, GOAL_BYTES)


if __name__ == "__main__":
    main()
