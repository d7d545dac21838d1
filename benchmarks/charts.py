"""The six charts of the bundled BMA report in each output format: CPU seconds per chart and bytes in the page.

Each option runs in a fresh process, as a report's kernel draws its charts once: the first drawing pays
for font loading, as it does there. "before" is the charts as they once were (8 x 4.2 in, title drawn,
fig.tight_layout, which leaves a layout engine on the figure so savefig draws it twice, PNG at 150 dpi,
no placing of value labels); the others are today's charts (7.5 in wide, laid out once, value labels
placed after the layout) as PNG for Word (16 cm at 200 dpi), as SVG with glyph outlines (what JupyterLab
and a page that WeasyPrint prints show) and as SVG with text left as text (what `ita run` puts in a page
that Chromium prints). PNG bytes are counted base64-encoded, as the page would embed them. To compare
with an older version of the charts, run this file with PYTHONPATH pointing at its checkout.

    PYTHONPATH=. python benchmarks/charts.py [--profile]
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ("before", "png", "svg-path", "svg-text")
BMA = "กรุงเทพมหานคร"


def draw(option: str) -> list[tuple[str, float, int]]:
    """(chart, CPU seconds, bytes in the page) for each chart, drawn in this process."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from ita_helpers.analysis.report import build_report
    from ita_helpers.document import plots

    report = build_report(BMA, 2566)
    plots.setup()
    if option == "svg-text":
        mpl.rcParams["svg.fonttype"] = "none"
    if option == "before":
        plots.SIZE = (8, 4.2)
        plots.WIDTH = 8.0

        def finish(fig: Figure, title: str, source: str, labels=(), *_later, **_keywords) -> Figure:
            fig.axes[0].set_title(title, loc="left")
            fig.set_label(title)
            fig.text(0.01, 0.01, source, fontsize=8, color="#555555", ha="left", va="bottom")
            fig.tight_layout(rect=(0, 0.05, 1, 1))
            return fig

        plots._finish = finish
    found = []
    for chart in plots.CHARTS:
        started = time.process_time()
        figure = chart(report)
        if option == "before":
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=150)
            size = len(base64.b64encode(buffer.getvalue()))
        elif option == "png":
            size = len(base64.b64encode(plots.as_png(figure)))
        else:
            size = len(plots.as_image(figure).svg.encode())
        found.append((chart.__name__, time.process_time() - started, size))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--option", choices=OPTIONS, help=argparse.SUPPRESS)  # one option, in a child process
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of today's SVG charts")
    args = parser.parse_args()
    if args.option:
        print(json.dumps(draw(args.option)))
        return
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    results = {option: json.loads(subprocess.run([sys.executable, __file__, "--option", option], env=env,
                                                 capture_output=True, text=True, check=True).stdout)
               for option in OPTIONS}
    print(f"{'chart':<20}" + "".join(f"{option:>22}" for option in OPTIONS))
    for row, name in enumerate(name for name, _seconds, _size in results["before"]):
        print(f"{name:<20}" + "".join(f"{results[o][row][1]:>9.3f} s {results[o][row][2] / 1000:>7.1f} KB"
                                       for o in OPTIONS))
    print(f"{'total':<20}" + "".join(f"{sum(r[1] for r in results[o]):>9.3f} s "
                                     f"{sum(r[2] for r in results[o]) / 1000:>7.1f} KB" for o in OPTIONS))
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(draw, "svg-path")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
