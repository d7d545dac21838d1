"""A report's kernel, forked from the template or fresh: seconds until it answers, and its own memory.

In this process, as a worker of `ita run` does (ita_helpers.batch.execute.start_kernel, then a client
waiting for the kernel's reply): first the fork template is started (batch.forkserver, not counted),
then --repeats kernels of each kind, alternating, each started, waited for, measured and killed. Memory
is psutil's USS (pages only this process has: what one more idle kernel costs) and RSS, after ready.

    python benchmarks/kernels.py [--repeats 5]
    python benchmarks/kernels.py --quick      # 3 repeats
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from jupyter_core.utils import run_sync

from ita_helpers.batch.execute import start_kernel, stop_kernel
from ita_helpers.core.resources import NOTEBOOKS


def one(isolation: str) -> tuple[float, int, int]:
    """(seconds from start until the kernel answers, USS bytes, RSS bytes) of one kernel."""
    import psutil

    t = time.perf_counter()
    km = start_kernel(NOTEBOOKS, isolation)
    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=120)
        ready = time.perf_counter() - t
        info = psutil.Process(km.provisioner.process.pid).memory_full_info()
        return ready, info.uss, info.rss
    finally:
        kc.stop_channels()
        stop_kernel(km)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats
    t = time.perf_counter()
    one("fork")  # the template starts with the first forked kernel
    print(f"fork template started and first kernel ready: {time.perf_counter() - t:.2f} s")
    found: dict[str, list[tuple[float, int, int]]] = {"fork": [], "fresh": []}
    for r in range(repeats):
        for isolation in ("fork", "fresh") if r % 2 == 0 else ("fresh", "fork"):
            found[isolation].append(one(isolation))
    print(f"\n=== a report's kernel until it answers; medians of {repeats} ===")
    for isolation, rows in found.items():
        ready, uss, rss = (statistics.median(row[i] for row in rows) for i in range(3))
        print(f"{isolation:6} ready in {ready:5.2f} s   USS {uss / 1e6:5.0f} MB   RSS {rss / 1e6:5.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
