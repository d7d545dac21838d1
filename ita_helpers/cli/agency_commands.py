"""`ita init` and `ita template measures`: the agency's own folder and forms, from the command line
(agency.starter makes them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..agency.starter import DEFAULT_THRESHOLD, init_folder, measures_form_name, measures_template
from ..core.errors import ITADataError
from ..core.i18n import _
from ..core.resources import BUNDLED_DATA
from . import options


def cmd_init(args: argparse.Namespace) -> int:
    from ..inputs.dataset import DataFolder

    data = DataFolder(args.data)
    written = init_folder(args.folder, args.org, data.methodology, data.question_catalogue)
    for path in written:
        print(_("wrote {path}").format(path=path))
    print(_("next: fill in the score form, then run: ita template measures --org \"{org}\" --year YEAR "
            "--data \"{folder}\"").format(org=" ".join(args.org.split()), folder=args.folder))
    return 0


def cmd_template_measures(args: argparse.Namespace) -> int:
    if args.plan_year is not None and args.plan_year < args.year:
        raise ITADataError(_("--plan-year {plan} is before --year {year}").format(plan=args.plan_year,
                                                                                  year=args.year))
    out = args.out or ((args.data / "measures" if args.data else Path()) / measures_form_name(args.org, args.year))
    issues = measures_template(args.data or BUNDLED_DATA, args.org, args.year, out, args.plan_year, args.unit,
                               args.threshold)
    print(_("wrote {path}").format(path=out))
    if issues:
        print(_("{count} issue rows, one per indicator below {threshold}, most headroom first: {numbers}; fill in "
                "the yellow cells").format(count=len(issues), threshold=f"{args.threshold:g}",
                                           numbers=", ".join(str(i.indicators[0]) for i in issues)))
    else:
        print(_("no indicator is below {threshold}: the table has no rows (add issues if the unit sets measures "
                "anyway)").format(threshold=f"{args.threshold:g}"))
    return 0


def cmd_template_progress(args: argparse.Namespace) -> int:
    from ..agency.progress_form import progress_template
    from ..inputs.progress import progress_form_name
    from ..inputs.progress_folder import PROGRESS_FOLDER

    out = args.out or ((args.data / PROGRESS_FOLDER if args.data else Path())
                       / progress_form_name(args.org, args.year, args.round))
    plan = progress_template(args.data or BUNDLED_DATA, args.org, args.year, out, args.round)
    print(_("wrote {path}").format(path=out))
    print(_("{issues} issues, {steps} steps from {measures}; fill in the yellow cells, choose each step's status, "
            "then run: ita report --document progress --org \"{org}\" --year {year}{data}").format(
        issues=len(plan.issues), steps=sum(len(i.steps) for i in plan.issues), measures=plan.file, org=args.org,
        year=args.year, data=f' --data "{args.data}"' if args.data else ""))
    return 0


def cmd_template_questions(args: argparse.Namespace) -> int:
    from ..agency.questions_form import questions_form_name, write_questions_form
    from ..agency.starter import refuse_existing
    from ..domain.names import clean_name
    from ..inputs.dataset import DataFolder

    org = clean_name(args.org)
    out = args.out or ((args.data / "questions" if args.data else Path()) / questions_form_name(org, args.year))
    refuse_existing([out])
    catalogue = DataFolder(args.data or BUNDLED_DATA).question_catalogue
    write_questions_form(out, org, args.year, catalogue)
    print(_("wrote {path}").format(path=out))
    lacking = [tool for tool in ("IIT", "EIT", "OIT") if catalogue.list(args.year, tool) is None]
    if lacking:
        print(_("no list of {tools} questions for {year}: type the codes as the NACC system shows them, and add "
                "the list to questions/ชุดข้อคำถาม.xlsx").format(tools=", ".join(lacking), year=args.year))
    return 0


def cmd_template_framework(args: argparse.Namespace) -> int:
    from ..inputs.dataset import DataFolder
    from ..inputs.framework_xlsx import framework_template

    folder = DataFolder(args.data)
    path = framework_template(folder.root, args.year, folder.methodology, args.base_year)
    print(_("wrote {path}").format(path=path))
    print(_("the sheet {year} is filled in from the framework of {base}: check it against the NACC's manual of "
            "{year}, change the yellow cells, then run: ita validate \"{folder}\"").format(
        year=args.year, base=args.base_year or folder.methodology.latest_year, folder=args.data))
    return 0


def add_commands(subparsers) -> None:
    """`ita init` and `ita template measures`, added to the `ita` command's subparsers."""
    init = subparsers.add_parser("init", help=_("start an agency's data folder: score and measures forms in "
                                                "Excel, and a README"))
    init.add_argument("folder", type=options.path, metavar="FOLDER",
                      help=_("the folder to make (may exist, but none of the files it gets)"))
    init.add_argument("--org", required=True, type=options.agency,
                      help=_("the agency, as its score files will name it"))
    init.add_argument("--data", type=options.path, default=BUNDLED_DATA,
                      help=_("data folder whose methodology.yaml names the indicators (default: bundled)"))
    init.set_defaults(run=cmd_init)

    template = subparsers.add_parser("template", help=_("write an Excel form to fill in"))
    kinds = template.add_subparsers(dest="template", required=True)
    measures = kinds.add_parser("measures", help=_("a measures workbook filled in from a year's scores: one row "
                                                   "per weak indicator, most headroom first"))
    options.agency_year(measures)
    measures.add_argument("--data", type=options.path,
                          help=_("data folder with the scores (default: bundled data/); the "
                                 "workbook goes into its measures/"))
    measures.add_argument("--out", type=options.path, help=_("the workbook to write (default: DATA/measures/"
                                                             "มาตรการ_<agency>_<year>.xlsx, or in this folder "
                                                             "without --data)"))
    measures.add_argument("--plan-year", type=int, help=_("fiscal year of the measures (default: --year + 1)"))
    measures.add_argument("--unit", type=options.agency,
                          help=_("the unit that writes the measures (default: the agency)"))
    measures.add_argument("--threshold", type=options.score, default=DEFAULT_THRESHOLD,
                          help=_("weak below this score (default 85)"))
    measures.set_defaults(run=cmd_template_measures)

    progress = kinds.add_parser("progress", help=_("a progress workbook filled in from the measures of a results "
                                                   "year: one row per step, with status, result and evidence "
                                                   "to report"))
    options.agency_year(progress)
    progress.add_argument("--data", type=options.path,
                          help=_("data folder with the measures (default: bundled data/); the workbook goes into "
                                 "its progress/"))
    progress.add_argument("--round", type=int, choices=(6, 12), default=6,
                          help=_("the round reported: 6 or 12 months (default 6)"))
    progress.add_argument("--out", type=options.path, help=_("the workbook to write (default: DATA/progress/"
                                                             "ผลการดำเนินการ_<agency>_<year>_รอบ<round>เดือน.xlsx, "
                                                             "or in this folder without --data)"))
    progress.set_defaults(run=cmd_template_progress)

    questions = kinds.add_parser("questions", help=_("a workbook for the results per question (IIT, EIT) and "
                                                     "per OIT item, copied from the NACC system"))
    options.agency_year(questions)
    questions.add_argument("--data", type=options.path,
                           help=_("data folder (default: bundled data/); the workbook goes into its questions/"))
    questions.add_argument("--out", type=options.path, help=_("the workbook to write (default: DATA/questions/"
                                                              "ข้อคำถาม_<agency>_<year>.xlsx, or in this folder "
                                                              "without --data)"))
    questions.set_defaults(run=cmd_template_questions)

    framework = kinds.add_parser("framework", help=_("the assessment framework of a fiscal year (pass mark, tools' "
                                                     "and indicators' weights, ratings), for a year the suite does "
                                                     "not know yet; it overrides the bundled one"))
    framework.add_argument("--year", required=True, type=options.year, help=_("fiscal year of the framework (B.E.)"))
    framework.add_argument("--data", type=options.path, default=Path(),
                           help=_("the data folder; the workbook เกณฑ์การประเมิน.xlsx goes into it (default: this "
                                  "folder)"))
    framework.add_argument("--from", dest="base_year", type=options.year, metavar="YEAR",
                           help=_("the fiscal year whose framework fills in the sheet (default: the latest known)"))
    framework.set_defaults(run=cmd_template_framework)
