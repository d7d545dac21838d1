"""Where the wall time of a run goes (issue 22): with ITA_TIMELINE=FILE in the environment, each process of
the run (main, worker, kernel template) appends a line for each phase it reaches: seconds since the epoch,
its process id, the phase. Without it, marking costs one dictionary lookup. benchmarks/single.py prints
the phases of `ita report` side by side with the naive path."""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "ITA_TIMELINE"


def mark(phase: str) -> None:
    """The moment this process reached `phase`, when a timeline is asked for."""
    if path := os.environ.get(ENV):
        try:
            with open(path, "a", encoding="utf-8") as timeline:  # one short write: lines of processes never mix
                timeline.write(f"{time.time():.4f}\t{os.getpid()}\t{phase}\n")
        except OSError:  # a timeline that cannot be written is not kept; the run goes on
            pass


def read_timeline(path: Path) -> list[tuple[float, int, str]]:
    """The marks of a timeline file, in order of time."""
    marks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        moment, pid, phase = line.split("\t", 2)
        marks.append((float(moment), int(pid), phase))
    return sorted(marks)
