"""Write a SYNTHETIC national-size wide score file for speed tests (no real agency data).

8,300 agencies x 7 fiscal years (2562-2568) x 10 indicators = 58,100 rows, fixed seed, agency
names "synthetic-agency-00001" ... Output: benchmarks/synthetic/synthetic_national.csv (git-ignored).

    python benchmarks/make_synthetic.py [--agencies 8300] [--out PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "synthetic" / "synthetic_national.csv"
YEARS = range(2562, 2569)
INDICATORS = range(1, 11)
SEED = 2566


def make_frame(agencies: int = 8300, seed: int = SEED) -> pd.DataFrame:
    """Scores with agency and indicator effects, clipped to 0-100, two decimals (as published)."""
    rng = np.random.default_rng(seed)
    names = [f"synthetic-agency-{i:05d}" for i in range(1, agencies + 1)]
    years = list(YEARS)
    agency_level = rng.normal(85, 8, size=(agencies, 1, 1))
    year_trend = np.linspace(-8, 6, len(years)).reshape(1, -1, 1)  # national averages rise over the years
    noise = rng.normal(0, 6, size=(agencies, len(years), len(INDICATORS)))
    scores = np.clip(agency_level + year_trend + noise, 0, 100).round(2)
    oit_full = rng.random((agencies, len(years), 2)) < 0.3  # OIT items are often all present
    scores[:, :, 8:10] = np.where(oit_full, 100.0, scores[:, :, 8:10])
    frame = pd.DataFrame(scores.reshape(-1, len(INDICATORS)), columns=[str(n) for n in INDICATORS])
    frame.insert(0, "fiscal_year", np.tile(years, agencies))
    frame.insert(0, "org", np.repeat(names, len(years)))
    return frame


def write(path: Path = DEFAULT_OUT, agencies: int = 8300) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    make_frame(agencies).to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    path = write(args.out, args.agencies)
    print(f"wrote {path} ({args.agencies * len(YEARS):,} agency-years)")


if __name__ == "__main__":
    main()
