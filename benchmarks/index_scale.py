"""The index at national scale: how long `write_index` takes for one year's 8,300 reports, how large the page
is, and how fast Chromium loads it (the goals the index was built to: written in under 2 s, under 12 MB,
loaded in under 1 s). The manifest is SYNTHETIC (tests/support.synthetic_manifest, seed 2566).

    PYTHONPATH=. .venv/bin/python benchmarks/index_scale.py [--reports 8300] [--repeats 3]

Timed here rather than in a test: on a shared machine a bound of seconds fails for other work's sake."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support import publish_files, synthetic_manifest  # noqa: E402

from ita_helpers.batch.index import write_index  # noqa: E402
from ita_helpers.render.pdf import CHROMIUM_ARGS, find_chromium  # noqa: E402

WRITE_GOAL, SIZE_GOAL, LOAD_GOAL = 2.0, 12e6, 1000.0
LOADED = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=8300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    manifest = synthetic_manifest(args.reports)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        publish_files(out, manifest)
        walls, cpus = [], []
        for _ in range(args.repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            path = write_index(out, manifest)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        size = path.stat().st_size
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"index of {args.reports:,} reports: written in {wall:.2f} s wall, {cpu:.2f} s CPU (median of "
              f"{args.repeats}; goal < {WRITE_GOAL:g} s: {'met' if wall < WRITE_GOAL else 'NOT met'}), "
              f"{size / 1e6:.1f} MB (goal < {SIZE_GOAL / 1e6:g} MB: {'met' if size < SIZE_GOAL else 'NOT met'})")
        browser = find_chromium()
        if not browser:
            print("no Chromium-family browser: the page's load time is not measured")
            return 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
            page = chromium.new_context(offline=True, viewport={"width": 1366, "height": 800}).new_page()
            page.set_content("<p lang='th'>ทดสอบ</p>")  # the browser's own start-up is not the page's
            loads = []
            for _ in range(args.repeats):
                page.goto(path.as_uri(), wait_until="load")
                loads.append(page.evaluate(LOADED))
            chromium.close()
        load = statistics.median(loads)
        print(f"loaded in Chromium at 1366 px in {load:.0f} ms (median of {args.repeats}: "
              + ", ".join(f"{t:.0f}" for t in loads) + f" ms; goal < {LOAD_GOAL:.0f} ms: "
              f"{'met' if load < LOAD_GOAL else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
