"""The BMA report page: bytes, and Chromium's time to print it, with chart text as SVG text or as glyph
outlines and with JupyterLab's whole stylesheet or only what the page uses (render/pagecss).

The bundled BMA report notebook (กรุงเทพมหานคร, 2566, real data in data/) is executed twice in a fresh
kernel (batch.execute.execute, as a worker of `ita run` does): its charts as `ita run` draws them for
Chromium (text as SVG <text>) and for WeasyPrint (glyph outlines).
Each notebook is then made into a page twice in this process (render.page.to_html): as `ita` writes it
(stylesheet cut by pagecss) and with pagecss.for_page bypassed (Lab's whole stylesheet, as nbconvert's lab
template inlines it). Each of the four pages is printed to PDF by ita's own engine (render.pdf.
ChromiumEngine: one browser, one page), alternating, --repeats times; the medians of the print's wall
seconds and of the CPU seconds of the browser's processes (psutil) are shown, with the bytes of each page.

    python benchmarks/page_weight.py [--repeats 5]
    python benchmarks/page_weight.py --quick     # 2 repeats

Everything it writes goes under benchmarks/synthetic/page_weight/ (git-ignored)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "synthetic" / "page_weight"
BMA, YEAR = "กรุงเทพมหานคร", 2566


def executed_notebook(chart_text: str) -> nbformat.NotebookNode:
    """The BMA report notebook executed in a fresh kernel (batch.execute, as a worker of `ita run` does),
    its chart text as `ita run` draws it for Chromium (SVG <text>) or for WeasyPrint (glyph outlines)."""
    from ita_helpers.batch.execute import charts_for, execute
    from ita_helpers.core.resources import NOTEBOOKS

    charts_for("Chromium" if chart_text == "svg-text" else "WeasyPrint")
    return execute(NOTEBOOKS / "ita_report.ipynb", WORK / f"{chart_text}.ipynb",
                   {"org": BMA, "fiscal_year": YEAR}, NOTEBOOKS)


def pages() -> dict[str, str]:
    from ita_helpers.render import page, pagecss

    made = {}
    parameters = {"org": BMA, "fiscal_year": YEAR}
    for chart_text in ("svg-text", "outlines"):
        notebook = executed_notebook(chart_text)
        made[f"{chart_text}, cut CSS"] = page.to_html(notebook, parameters, {}, "benchmark")
        cut = pagecss.for_page
        pagecss.for_page = lambda css, _page: css  # Lab's whole stylesheet, as nbconvert's lab template has it
        try:
            made[f"{chart_text}, whole CSS"] = page.to_html(notebook, parameters, {}, "benchmark")
        finally:
            pagecss.for_page = cut
    return made


def browser_cpu() -> float:
    import psutil

    total = 0.0
    for p in psutil.Process().children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 repeats")
    args = parser.parse_args()
    repeats = 2 if args.quick else args.repeats
    from ita_helpers.render.pdf import ChromiumEngine, find_chromium

    WORK.mkdir(parents=True, exist_ok=True)
    made = pages()
    engine = ChromiumEngine(find_chromium())
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in made}
    try:
        engine.write_pdf(made["svg-text, cut CSS"], WORK / "warm-up.pdf")  # the page's renderer started
        for r in range(repeats):
            for name, html in (made.items() if r % 2 == 0 else reversed(made.items())):
                c, t = browser_cpu(), time.perf_counter()
                engine.write_pdf(html, WORK / f"{name.replace(', ', '_').replace(' ', '_')}.pdf")
                times[name].append((time.perf_counter() - t, browser_cpu() - c))
    finally:
        engine.close()
    print(f"\n=== the BMA {YEAR} page printed by {engine.name}; medians of {repeats} ===")
    print(f"{'':24} {'page KB':>8} {'print s':>8} {'CPU s':>7}")
    med = {}
    for name, html in made.items():
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        med[name] = (len(html.encode()), wall, cpu)
        print(f"{name:24} {med[name][0] / 1000:8.0f} {wall:8.2f} {cpu:7.2f}")
    now, before = med["svg-text, cut CSS"], med["outlines, whole CSS"]
    print(f"page: {before[0] / 1e6:.2f} MB (outlines, whole CSS) -> {now[0] / 1e6:.2f} MB (SVG text, cut CSS)")
    for label, (a, b) in {"SVG text / outlines (cut CSS)": ("svg-text, cut CSS", "outlines, cut CSS"),
                          "cut / whole CSS (SVG text)": ("svg-text, cut CSS", "svg-text, whole CSS")}.items():
        print(f"{label:30} bytes {med[a][0] / med[b][0]:.2f}, print wall {med[a][1] / med[b][1]:.2f}, "
              f"print CPU {med[a][2] / med[b][2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
