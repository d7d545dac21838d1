"""The `ita` command: thin wrappers over the package. Bad input ends with a clean message and exit 2."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch.contract import SET_BY_RUNNER, notebook_parameters
from ..batch.forkserver import ISOLATIONS, fork_available
from ..batch.jobs import DEFAULT_DOCUMENT, DOCUMENTS, FORMATS, GROUP_DOCUMENT
from ..core import interrupt
from ..core.errors import BatchStopped, ClusterUnavailable, EngineUnavailable, ITADataError, OutputBusy, Problem
from ..core.i18n import LANGUAGES, N_, ArgumentParser, _, argparse_in_language, ngettext, set_language
from ..core.resources import BUNDLED_DATA
from ..core.thai import to_arabic_digits
from ..core.timeline import mark
from . import options
from .agency_commands import add_commands as add_starter_commands

if TYPE_CHECKING:
    import pandas as pd

    from ..batch.backends import Backend
    from ..inputs.dataset import Dataset

DEFAULT_FORMATS = "html,pdf"
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3  # a bug of ours (README: the table of exit codes)
COMMANDS = ("validate", "score", "report", "run", "preview")
LISTED = 10  # rendered reports named one by one after a batch; the index lists them all
OS_REASONS = {  # what the system says, in words a user acts on
    errno.EACCES: N_("no permission to read or write there"), errno.EPERM: N_("no permission to read or write there"),
    errno.ENOSPC: N_("the disk is full"), errno.EROFS: N_("the disk is read-only"),
    errno.ENOTDIR: N_("a file stands where a folder is needed"),
    errno.EEXIST: N_("a file stands where a folder is needed"), errno.ENAMETOOLONG: N_("the name is too long"),
}
SCORE_COLUMNS = ["total", "rating", "passed", "reported_total", "difference", "weak_indicators", "official_total",
                 "change", "national_average", "weights_presumed",
                 "framework_presumed"]  # after org, fiscal_year and the tools
# The table's headings for a reader (CSV and JSON keep the column names, for programs).
SCORE_HEADINGS = {"org": N_("agency"), "fiscal_year": N_("fiscal year"), "total": N_("total"),
                  "rating": N_("rating"), "passed": N_("passed"), "reported_total": N_("published total"),
                  "difference": N_("difference"), "weak_indicators": N_("weak indicators"),
                  "official_total": N_("official total"), "change": N_("change"),
                  "national_average": N_("national average"), "weights_presumed": N_("weights presumed"),
                  "framework_presumed": N_("framework presumed")}


def _gather_scores(paths: Sequence[Path], data: Path | None, sheet: str | None = None) -> Dataset:
    """Indicator scores from files and data folders named on the command line, with the methodology
    and reference tables of `data` (default: the one folder named, else the bundled data folder). A folder
    is read as every command reads one (a form not filled in yet is skipped). Every problem is raised at once."""
    from ..inputs.dataset import DataFolder, Dataset, misplaced_files
    from ..inputs.loaders import load_score_files, merge_scores

    one_folder = paths[0] if len(paths) == 1 and paths[0].is_dir() else None
    reference = DataFolder(data or one_folder or BUNDLED_DATA)
    reported, national = reference.reference_tables
    parts, problems = [], [p for path in paths if path.is_dir() for p in misplaced_files(path)]
    folders = [DataFolder(path) for path in paths if path.is_dir()]
    for folder in folders:
        parsed = folder.score_files if folder.root != reference.root else reference.score_files
        parts += [f.value for f in parsed if f.value is not None]
        problems += [p for f in parsed for p in f.problems]
    for path in paths:
        if not path.is_dir():
            try:
                parts.append(load_score_files([path], reference.methodology, sheet))
            except ITADataError as err:
                problems += err.problems
    if problems:
        raise ITADataError(problems)
    scores = merge_scores(parts)
    _show_notes(scores.notes)
    if scores.indicators.empty:
        if unfilled := [p for folder in folders for p in folder.unfilled_forms()]:
            raise ITADataError(unfilled)
        raise ITADataError(_("no score files in {paths} (a data folder keeps them in scores/)").format(
            paths=", ".join(map(str, paths))))
    return Dataset(reference.root, reference.methodology, scores, reported, national)


def _presumed_frameworks(years: pd.Series, methodology) -> list[str]:
    """A line for each year of the scores without a framework of its own, scored with the latest one, and for
    each year whose framework the folder's own workbook states."""
    years = sorted({int(y) for y in years.unique()})
    stated = [_("fiscal year {year} is scored with the framework the agency states in เกณฑ์การประเมิน.xlsx").format(
        year=year) for year in years if year in methodology.years and methodology.years[year].stated_by_agency]
    presumed = [_("fiscal year {year} has no framework of its own in the methodology: the framework of {latest} "
                  "is presumed (state it with: ita template framework --year {year})").format(
                      year=year, latest=methodology.latest_year) for year in years if methodology.presumed(year)]
    return stated + presumed


def _show_notes(notes: Sequence[Problem]) -> None:
    """What the reader was told although nothing is wrong (which sheet was read, columns left out)."""
    for note in notes:
        print(_("note: {note}").format(note=note), file=sys.stderr)


def _validate_folder(path: Path) -> pd.DataFrame:
    """A folder checked whole: its own methodology, scores, reference tables and measures, and measures that
    match no agency's scores or repeat another file's agency-year."""
    from ..analysis.questions import question_notes
    from ..inputs.dataset import DataFolder, reported_total_clashes
    from ..inputs.folder_checks import measures_twice, unmatched_measures
    from ..inputs.progress_folder import progress_problems

    folder = DataFolder(path)
    problems = []
    try:
        dataset = folder.dataset()
    except ITADataError as err:
        problems += err.problems
    else:  # two different published totals of one agency-year, which score and run refuse
        clashes = reported_total_clashes(dataset.reported_totals, dataset.scores.reported_totals)
        problems += [problem for clash in clashes.values() for problem in clash]
    problems += unmatched_measures(folder) + [p for twice in measures_twice(folder).values() for p in twice]
    problems += progress_problems(folder.root)  # the implementation report's files, against their measures
    if problems:
        raise ITADataError(problems)
    _show_notes(dataset.scores.notes)
    _show_notes(question_notes(dataset))
    return dataset.indicators


def _agency_years(indicators: pd.DataFrame, block: int = 1_000_000) -> int:
    """How many agency-years the scores give, counted a block of rows at a time: a national file has
    millions of rows (one per indicator), and hashing them all at once would hold each of them again."""
    import pandas as pd

    pairs = indicators[["org", "fiscal_year"]]
    distinct = [pairs.iloc[start:start + block].drop_duplicates() for start in range(0, len(pairs), block)]
    return len(pd.concat(distinct).drop_duplicates()) if distinct else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..inputs.dataset import DataFolder

    problems = []
    for path in args.paths:
        try:
            indicators = (_validate_folder(path) if path.is_dir()
                          else _gather_scores([path], args.data, args.sheet).indicators)
        except ITADataError as err:
            problems += err.problems
            continue
        count = _agency_years(indicators)
        if count == 0:
            problems += (path.is_dir() and DataFolder(path).unfilled_forms()) or [Problem(str(path), _(
                "no indicator scores found (a data folder keeps them in scores/)"))]
            continue
        print(ngettext("{path}: OK, {count} agency-year", "{path}: OK, {count} agency-years", count).format(
            path=path, count=count))
        methodology = DataFolder(path if path.is_dir() else args.data or BUNDLED_DATA).methodology
        for line in _presumed_frameworks(indicators["fiscal_year"], methodology):
            print(f"  {line}")
    if problems:
        raise ITADataError(problems)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from ..batch.csvtext import csv_text
    from ..domain.scoring import tools_of

    dataset = _gather_scores(args.paths, args.data, args.sheet)
    for line in _presumed_frameworks(dataset.indicators["fiscal_year"], dataset.methodology):
        print(_("note: {note}").format(note=line), file=sys.stderr)  # stdout stays the table alone
    table = dataset.score_table(args.threshold)
    tools = [tool.lower() for tool in tools_of(table)]  # the methodology's tools, e.g. iit, eit, oit
    numbers = [*tools, "total", "reported_total", "difference"]
    table = table.assign(**{c: table[c].round(2) + 0.0 for c in numbers})
    out = table[["org", "fiscal_year", *tools, *SCORE_COLUMNS]]
    if args.format == "csv":
        sys.stdout.write(csv_text(out, float_format="%.2f"))
    elif args.format == "json":
        sys.stdout.write(out.to_json(orient="records", force_ascii=False, indent=1, double_precision=2) + "\n")
    else:
        shown = out.replace({True: _("yes"), False: _("no")}).rename(
            columns={column: _(heading) for column, heading in SCORE_HEADINGS.items()} | {t: t.upper() for t in tools})
        print(shown.to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep="-"))
    return 0


def _years(text: str | None) -> set[int] | None:
    """`2566`, `2562-2566` or `2563,2565` (Thai digits too) as a set of years."""
    if not text:
        return None
    years: set[int] = set()
    for part in text.split(","):
        first, _dash, last = to_arabic_digits(part).strip().partition("-")
        try:
            years |= set(range(int(first), int(last or first) + 1))
        except ValueError:
            raise ITADataError(_("--years: {given} is not a year or a range like 2562-2566").format(
                given=repr(part.strip()))) from None
    return years


def _all_parameters(documents: tuple[str, ...] = tuple(DOCUMENTS)) -> dict:
    """The parameters of the documents' notebooks (the measures report's first), each once."""
    found: dict = {}
    for notebook, _stem in (DOCUMENTS[document] for document in documents):
        found |= {name: p for name, p in notebook_parameters(notebook).items() if name not in found}
    return found


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    """Notebook parameters given on the command line: `--threshold 80` and `-p threshold 80` alike."""
    given = {name: getattr(args, name) for name in _all_parameters()
             if name not in SET_BY_RUNNER and getattr(args, name, None) is not None}
    return given | dict(args.parameter or [])


def _formats(given: str) -> tuple[str, ...]:
    """The formats of --formats, in its order."""
    formats = tuple(f.strip().lower() for f in given.split(",") if f.strip())
    if not formats or set(formats) - set(FORMATS):
        raise ITADataError(_("--formats: {given}; choose from {choices}").format(
            given=repr(given), choices=", ".join(FORMATS)))
    return formats


def _out_outside(out: Path, data: Path) -> None:
    """--out may not be inside the data folder: the reports would be read as data (by a preview, as a save)."""
    if out.resolve().is_relative_to(data.resolve()):
        raise ITADataError(_("--out {out} is inside the data folder {data}: the next reading of the data would "
                             "meet the reports; choose a folder outside it").format(out=out, data=data))


def _years_inside(out: Path, years: set[int]) -> None:
    """A report is never written outside --out, whatever a year's folder is (a symbolic link)."""
    for year in sorted(years):
        if not (out / str(year)).resolve().is_relative_to(out.resolve()):
            raise ITADataError(_("{folder} leads outside --out {out} (a symbolic link?); remove it or choose "
                                 "another --out").format(folder=out / str(year), out=out))


def _run_jobs(args: argparse.Namespace, years: set[int] | None, orgs: list[str] | None) -> int:
    from ..batch.backends import warm_backend  # not runner, which imports pandas: the worker starts first

    formats = _formats(args.formats)
    if args.isolation == "fork" and not fork_available():
        raise ITADataError(_("--isolation fork is not available on this system; use --isolation fresh"))
    # One report's worker starts now, and its kernel boots while the data is read. Not a batch's: how many
    # of its workers will have a report to render is known only once the data is read.
    one_report = args.command == "report" and not args.scheduler
    warm = warm_backend(formats, args.engine, args.isolation) if one_report else None
    try:
        return _render(args, years, orgs, formats, warm)
    finally:
        if warm:
            warm.abort()  # not used (bad input, every report up to date), or closed by run already


def _render(args: argparse.Namespace, years: set[int] | None, orgs: list[str] | None, formats: tuple[str, ...],
            warm: Backend | None) -> int:
    from ..batch.plan import plan
    from ..batch.runner import run, summary
    from ..inputs.dataset import DataFolder

    if sys.stderr.isatty():
        print(_("reading and checking {folder} ...").format(folder=args.data), file=sys.stderr, flush=True)
    if args.out.exists() and not args.out.is_dir():  # told before the data is read
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(args.out))
    # named agencies: only their rows are read; one year asked for is a measures file's year if it says none
    folder = DataFolder(args.data, orgs, year=next(iter(years)) if years and len(years) == 1 else None)
    _out_outside(args.out, folder.root)
    jobs, problems = plan(folder, years, orgs, formats, _overrides(args), getattr(args, "document", DEFAULT_DOCUMENT))
    mark("main: data read and planned")
    _years_inside(args.out, {job.fiscal_year for job in jobs})
    _show_notes([note for parsed in folder.score_files if parsed.value for note in parsed.value.notes])
    try:
        # Every agency-year of the data, when all of it was read without a problem: the reports of others are gone.
        present = None if orgs or problems else set(folder.agency_years())
        results = run(jobs, args.out, args.jobs, args.force, args.engine, args.scheduler, args.isolation, present,
                      warm)
    except BatchStopped as stopped:  # what was done and what was not, then the one-line reason (main)
        print(summary(stopped.results, problems, stopped.not_attempted))
        raise stopped.cause from None
    print(summary(results, problems))
    rendered = [r for r in results if r.status in ("ok", "warnings")]
    for result in rendered[:LISTED]:
        print(f"  {Path(args.out) / result.job.folder}/{result.job.stem}.{{{','.join(('ipynb',) + formats)}}}")
    if len(rendered) > LISTED:
        print(_("  ... and {count} more under {folder}").format(count=len(rendered) - LISTED, folder=args.out))
    print(_("  index: {path}").format(path=Path(args.out) / "index.html"))
    if problems or any(job.problems for job in jobs):  # bad input, as ita validate says of the same files
        return EXIT_BAD_INPUT
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_report(args: argparse.Namespace) -> int:
    if args.document == GROUP_DOCUMENT:  # a group of agencies (--group), not one agency
        if args.org:
            raise ITADataError(_("--document group reports on a group of agencies: name it with --group "
                                 "(the column กลุ่ม of the score files), not --org"))
        return _run_jobs(args, {args.year}, None)
    if not args.org:
        raise ITADataError(_("say which agency: --org, as named in the score files (or --document group "
                             "--group NAME for a group of agencies)"))
    return _run_jobs(args, {args.year}, [args.org])


def cmd_run(args: argparse.Namespace) -> int:
    if not (args.all or args.years or args.org):
        raise ITADataError(_("say what to render: --all, --years and/or --org"))
    return _run_jobs(args, _years(args.years), args.org)


def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import run_preview

    if args.out is None and (args.formats or args.engine):
        raise ITADataError(_("--formats and --engine choose the files that --out writes: name their folder with "
                             "--out"))
    formats = _formats(args.formats or DEFAULT_FORMATS)
    if not {"html", "pdf"} & set(formats):
        raise ITADataError(_("--formats of a preview needs html or pdf: the page shown is the report's HTML"))
    if args.out is not None:
        _out_outside(args.out, args.data)
        _years_inside(args.out, {args.year})
    try:
        return run_preview(args.data, args.org, args.year, _overrides(args), args.port, not args.no_browser,
                           args.isolation, args.document, args.out, formats, args.engine or "auto")
    except KeyboardInterrupt:  # the way a preview ends: kernels and server are stopped by then
        print(_("preview stopped"), file=sys.stderr)
        return 0


def _none_word(value: object) -> str:
    return _("none") if value is None else str(value)


def _render_options(command: argparse.ArgumentParser, notebook_options: bool) -> None:
    """Where data and reports are, how they are rendered, and every parameter of the report notebook
    (read from the notebook only when `notebook_options`: it costs a second of imports)."""
    command.add_argument("--data", type=options.path, default=BUNDLED_DATA,
                         help=_("data folder (default: bundled data/)"))
    command.add_argument("--out", type=options.path, default=Path("outputs"),
                         help=_("output folder (default: outputs/)"))
    _format_options(command)
    _document_option(command)
    command.add_argument("--jobs", type=options.workers, default=None,
                         help=_("parallel workers (default: number of cores; with --scheduler local, Dask workers)"))
    command.add_argument("--scheduler", metavar="ADDRESS",
                         help=_("run on a Dask cluster: tcp://HOST:8786, or 'local' to start one here "
                                "(needs pip install 'ita-helpers[dask]')"))
    command.add_argument("--force", action="store_true", help=_("render even reports that are up to date"))
    command.add_argument("--isolation", choices=ISOLATIONS, default=None,
                         help=_("fork: each report's kernel is forked from a process that has loaded the report's "
                                "libraries once (default where the system allows it); fresh: a new Python per "
                                "report (slower)"))
    if notebook_options:
        _notebook_options(command)


def _format_options(command: argparse.ArgumentParser, defaults: bool = True) -> None:
    """--formats and --engine; without `defaults` they are None when not given (a preview says where they apply)."""
    formats = _("html,pdf,docx, any of them (default html,pdf)")
    engine = _("PDF engine: Chromium when installed, else WeasyPrint (default auto)")
    if not defaults:
        formats, engine = (_("with --out: {help}").format(help=text) for text in (formats, engine))
    command.add_argument("--formats", default=DEFAULT_FORMATS if defaults else None, help=formats)
    command.add_argument("--engine", choices=["auto", "chromium", "weasyprint"], default="auto" if defaults else None,
                         help=engine)


def _document_option(command: argparse.ArgumentParser, documents: tuple[str, ...] = tuple(DOCUMENTS)) -> None:
    command.add_argument("--document", choices=list(documents), default=DEFAULT_DOCUMENT,
                         help=_("measures: the analysis and measures (default); progress: the implementation "
                                "report of the measures, from the folder's progress/ (ita template progress); "
                                "group: the report on a group of agencies for central analysts (--group)"))


def _notebook_options(command: argparse.ArgumentParser, documents: tuple[str, ...] = tuple(DOCUMENTS)) -> None:
    """Every parameter of the report notebook, as an option, and -p NAME VALUE."""
    notebook = command.add_argument_group(_("report parameters (from the notebook's parameters cell)"))
    for parameter in _all_parameters(documents).values():
        if parameter.name not in SET_BY_RUNNER:
            flag = {"nargs": "?", "const": "true"} if parameter.base_type == "bool" else {}  # --strict-framework
            notebook.add_argument(parameter.option, dest=parameter.name, metavar=parameter.base_type.upper(),
                                  help=_("{help} (default {default})").format(
                                      help=parameter.help, default=_none_word(parameter.default)), **flag)
    notebook.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                          help=_("set any notebook parameter, as papermill -p does"))


def build_parser(notebook_options: bool = True) -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="ita", description=_("Thai ITA scores: validate, score and report."))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages: th (default) or en; also ITA_LANG"))
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help=_("check score files or data folders; print every problem"))
    validate.add_argument("paths", nargs="+", type=options.path, metavar="PATH")
    validate.add_argument("--data", type=options.path,
                          help=_("data folder whose methodology.yaml applies (default: bundled)"))
    validate.add_argument("--sheet", help=_("the worksheet holding the scores (default: the one that looks like it)"))
    validate.set_defaults(run=cmd_validate)

    score = commands.add_parser("score", help=_("one row per agency-year: tools, total, rating, weak indicators"))
    score.add_argument("paths", nargs="+", type=options.path, metavar="PATH")
    score.add_argument("--format", choices=["table", "csv", "json"], default="table")
    score.add_argument("--threshold", type=options.score, default=85.0, help=_("weak below this score (default 85)"))
    score.add_argument("--data", type=options.path,
                       help=_("data folder for methodology, reported totals, national averages"))
    score.add_argument("--sheet", help=_("the worksheet holding the scores (default: the one that looks like it)"))
    score.set_defaults(run=cmd_score)

    report = commands.add_parser("report", help=_("render one agency's report for one results year"))
    report.add_argument("--org", type=options.agency, help=_("agency, as named in the score files (not with "
                                                            "--document group)"))
    report.add_argument("--year", required=True, type=options.year, help=_("results fiscal year (B.E.)"))
    _render_options(report, notebook_options)
    report.set_defaults(run=cmd_report)

    batch = commands.add_parser("run", help=_("render many reports in parallel, skipping those up to date"))
    batch.add_argument("--years", help=_("e.g. 2566 or 2562-2566 or 2563,2565"))
    batch.add_argument("--org", action="append", type=options.agency, help=_("agency (repeatable)"))
    batch.add_argument("--all", action="store_true", help=_("every agency-year with indicator scores"))
    _render_options(batch, notebook_options)
    batch.set_defaults(run=cmd_run)

    preview = commands.add_parser("preview", help=_("show one report in the browser and update it on each save "
                                                    "of the data folder"))
    options.agency_year(preview)
    preview.add_argument("--data", type=options.path, default=BUNDLED_DATA,
                         help=_("data folder (default: bundled data/)"))
    preview.add_argument("--port", type=options.port, default=0,
                         help=_("port on 127.0.0.1 (default: any free port)"))
    preview.add_argument("--no-browser", action="store_true", help=_("do not open a browser"))
    preview.add_argument("--out", type=options.path, default=None,
                         help=_("also write the report's files to this folder on each save, as ita report does "
                                "(default: none written)"))
    _format_options(preview, defaults=False)
    _document_option(preview, tuple(d for d in DOCUMENTS if d != GROUP_DOCUMENT))  # one agency's documents
    preview.add_argument("--isolation", choices=("fork", "fresh"), default=None, help=argparse.SUPPRESS)
    if notebook_options:
        _notebook_options(preview)
    preview.set_defaults(run=cmd_preview)
    add_starter_commands(commands)
    return parser


def _language(argv: list[str]) -> str | None:
    """The language asked for with --lang (read before the parser is built: its help is translated)."""
    for position, word in enumerate(argv):
        if word.startswith("--lang="):
            return word.partition("=")[2]
        if word == "--lang" and position + 1 < len(argv):
            return argv[position + 1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _language(argv)
    if lang in LANGUAGES:
        set_language(lang)
    command = next((word for word in argv if word in COMMANDS), None)
    with argparse_in_language():
        args = build_parser(notebook_options=command in ("report", "run", "preview")).parse_args(argv)
    mark("main: arguments read")
    # SIGTERM as Ctrl-C: finished reports are recorded and indexed. Put back afterwards (a caller's own).
    with interrupt.remembered(signal.SIGINT, signal.SIGTERM):
        return _run_command(args, argv)


def _run_command(args: argparse.Namespace, argv: list[str]) -> int:
    try:
        return args.run(args)
    except (ITADataError, EngineUnavailable, ClusterUnavailable, OutputBusy) as err:
        print(f"ita {args.command}: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:  # disk full, no permission, a read-only disk, --out naming a file, ...
        reason = _(OS_REASONS[err.errno]) if err.errno in OS_REASONS else err.strerror or str(err)
        print(_("ita {command}: cannot use {path}: {reason}").format(
            command=args.command, path=err.filename or "", reason=reason), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return _interrupted(args.command)
    except Exception as err:  # noqa: BLE001 - a bug of ours: one line here, the details in a file
        if _interrupt_within(err):  # Ctrl-C that Python handed on as another error
            return _interrupted(args.command)
        log = _crash_log(argv)
        print(_("ita {command}: unexpected error ({error}); the details are in {log}").format(
            command=args.command, error=type(err).__name__, log=log), file=sys.stderr)
        return EXIT_INTERNAL


def _interrupted(command: str) -> int:
    print(_("ita {command}: interrupted").format(command=command), file=sys.stderr)
    return 130


def _interrupt_within(err: BaseException) -> bool:
    """Whether `err` was caused by Ctrl-C. Python 3.11 hands on an interrupt that comes while a class is
    being built (a dataclass's fields, as a module is imported) as "RuntimeError: Error calling
    __set_name__", with the KeyboardInterrupt as its cause. A compiled module being imported (pandas'
    Cython ones) loses it altogether and fails with "SystemError: ... returned a result with an exception
    set": an error with no interrupt in its chain after a Ctrl-C came is that one. (An error met while
    handling an interrupt has it as context: that one is a bug of ours, logged as any other.)"""
    if interrupt.came() and not _in_chain(err, "__context__"):
        return True
    return _in_chain(err, "__cause__")


def _in_chain(err: BaseException | None, link: str) -> bool:
    """Whether a KeyboardInterrupt is `err` or is reached from it through `link` (__cause__, __context__)."""
    while err is not None:
        if isinstance(err, KeyboardInterrupt):
            return True
        err = getattr(err, link)
    return False


def _crash_log(argv: list[str]) -> Path:
    """The traceback of an unexpected error, with the command and version, for whoever fixes it."""
    from .. import __version__  # read from the package's metadata only when asked for (ita_helpers.__init__)

    handle, name = tempfile.mkstemp(prefix=f"ita-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as log:  # a file of this user's own, never a shared folder
        log.write(f"ita {__version__}: {' '.join(argv)}\n\n{traceback.format_exc()}")
    return Path(name)


if __name__ == "__main__":
    sys.exit(main())
