"""The `ita` command: thin wrappers over the package. Bad input ends with a clean message and exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ITADataError

EXIT_BAD_INPUT = 2
SCORE_COLUMNS = ["org", "fiscal_year", "iit", "eit", "oit", "total", "rating", "passed",
                 "reported_total", "difference", "weak_indicators"]


def _gather_scores(paths: Sequence[Path], data: Path | None):
    """Indicator scores from files and data folders named on the command line, with the methodology
    and reference tables of `data` (default: the bundled data folder). Every problem is raised at once."""
    import pandas as pd

    from .dataset import BUNDLED_DATA, methodology_file, reference_tables, score_files
    from .loaders import Scores, load_score_files
    from .methodology import load_methodology

    reference_dir = data or BUNDLED_DATA
    methodology = load_methodology(methodology_file(reference_dir).resolve())
    reported, national = reference_tables(reference_dir)
    parts, problems = [], []
    for path in paths:
        try:
            parts.append(load_score_files(score_files(path) if path.is_dir() else [path], methodology))
        except ITADataError as err:
            problems += err.problems
    if problems:
        raise ITADataError(problems)
    scores = Scores.concat(parts)
    reported = pd.concat([scores.reported_totals, reported], ignore_index=True)
    reported = reported.drop_duplicates(["org", "fiscal_year"], keep="first")
    return scores, methodology, reported, national


def cmd_validate(args: argparse.Namespace) -> int:
    problems = []
    for path in args.paths:
        try:
            scores, *_ = _gather_scores([path], args.data)
        except ITADataError as err:
            problems += err.problems
            continue
        count = len(scores.indicators[["org", "fiscal_year"]].drop_duplicates())
        print(f"{path}: OK, {count} agency-year{'s' if count != 1 else ''}")
    if problems:
        raise ITADataError(problems)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from .scoring import score_table

    scores, methodology, reported, national = _gather_scores(args.paths, args.data)
    table = score_table(scores.indicators, methodology, reported, national, threshold=args.threshold)
    table = table.assign(
        **{c: table[c].round(2) + 0.0 for c in ("iit", "eit", "oit", "total", "reported_total", "difference")}
    )
    out = table[SCORE_COLUMNS + ["change", "national_average", "weights_presumed"]]
    if args.format == "csv":
        out.to_csv(sys.stdout, index=False, float_format="%.2f", lineterminator="\n")
    elif args.format == "json":
        sys.stdout.write(out.to_json(orient="records", force_ascii=False, indent=1, double_precision=2) + "\n")
    else:
        print(out.to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep="-"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ita", description="Thai ITA scores: validate, score and report.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check score files or data folders; print every problem")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("--data", type=Path, help="data folder whose methodology.yaml applies (default: bundled)")
    validate.set_defaults(run=cmd_validate)

    score = commands.add_parser("score", help="one row per agency-year: tools, total, rating, weak indicators")
    score.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    score.add_argument("--format", choices=["table", "csv", "json"], default="table")
    score.add_argument("--threshold", type=float, default=85.0, help="weak below this score (default 85)")
    score.add_argument("--data", type=Path, help="data folder for methodology, reported totals, national averages")
    score.set_defaults(run=cmd_score)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ITADataError as err:
        print(f"ita {args.command}: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"ita {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
