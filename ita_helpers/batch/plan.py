"""Planning a batch: which reports to render (`Job`s), each with everything its result depends on.

Runs in the main process, before any kernel starts: the data folder is read and validated once and
each agency's slice cut from it. Score files that fail validation are returned as problems (their
agencies cannot be named, let alone rendered); an agency whose own files are unusable gets jobs that
carry the problems and fail without a kernel; the rest go on."""

from __future__ import annotations

from ..analysis.progress import check_round
from ..analysis.report import check_framework, check_values
from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..inputs.dataset import DataFolder
from ..inputs.folder_checks import unmatched_measures
from ..inputs.progress_folder import PROGRESS_FOLDER, progress_files, progress_for
from .contract import SET_BY_RUNNER, resolve
from .jobs import DEFAULT_DOCUMENT, DEFAULT_FORMATS, DOCUMENTS, GROUP_DOCUMENT, Input, Job
from .slices import agency_slices, folder_inputs, peer_inputs


def plan(folder: DataFolder, years: set[int] | None = None, orgs: list[str] | None = None,
         formats: tuple[str, ...] = DEFAULT_FORMATS, overrides: dict | None = None,
         document: str = DEFAULT_DOCUMENT) -> tuple[list[Job], list[Problem]]:
    """Agency-years to render from the data, each with its parameters and input hashes.
    `overrides` sets notebook parameters for every report (checked against the notebook). `document`
    "progress" renders the implementation report of the agency-years that have a progress file; "group" one
    group report per year (the group named by the parameter `group`, every agency of the folder without)."""
    overrides = dict(overrides or {})
    set_here = sorted(set(overrides) & set(SET_BY_RUNNER))
    if set_here:
        raise ITADataError(_("{names} is set by the batch itself (use --org, --years, --data)").format(
            names=", ".join(set_here)))
    defaults = resolve(overrides, DOCUMENTS[document][0])
    if document == DEFAULT_DOCUMENT:
        check_values(defaults["plan_year"], defaults["threshold"], defaults["digits"])
    elif document == GROUP_DOCUMENT:
        check_round(None, defaults["digits"])
    else:
        check_round(defaults["round"], defaults["digits"])
    problems = folder.score_problems()
    failing = folder.failing_agency_years  # their reports fail, with the problems of their rows
    pairs = sorted(set(folder.agency_years()) | set(failing))
    if not folder.score_files and not problems:
        raise ITADataError(_("no score files in {paths} (a data folder keeps them in scores/)").format(
            paths=folder.root))
    known_orgs = sorted({o for o, _year in pairs})
    unknown = [o for o in orgs or [] if o not in known_orgs]
    if unknown and folder.orgs is not None:  # the agencies in the data, read for the message
        known_orgs = sorted({o for o, _year in type(folder)(folder.root).agency_years()})
    if unknown:
        raise ITADataError(problems + [Problem(str(folder.root), _(
            "no indicator scores for {orgs}; agencies in the data: {known}").format(
                orgs=", ".join(unknown), known=", ".join(known_orgs) or _("no agency")))])
    eligible = [(o, y) for o, y in pairs if not orgs or o in orgs]
    chosen = [(o, y) for o, y in eligible if not years or y in years]
    if years and not chosen:
        have = ", ".join(map(str, sorted({y for _org, y in eligible})))
        asked = ", ".join(map(str, sorted(years)))
        rule = (_("no indicator scores of {orgs} for year(s) {years}; years in the data: {have}") if orgs else
                _("no indicator scores for year(s) {years}; years in the data: {have}"))
        raise ITADataError(problems + [Problem(str(folder.root), rule.format(
            orgs=", ".join(orgs or []), years=asked, have=have))])
    if document == GROUP_DOCUMENT:
        return _group_jobs(folder, sorted({y for _org, y in chosen}), defaults, formats, problems), problems
    extra: dict[tuple[str, int], tuple[Input, ...]] = {}
    if document != DEFAULT_DOCUMENT:  # a progress file that names no agency-year is told, never skipped unsaid
        problems += [Problem(str(f.path), _("the progress file names no agency or results year: write them in its "
                                            "sheet รอบการรายงาน (ita validate tells what is wrong)"))
                     for f in progress_files(folder.root) if f.org is None or f.results_year is None]
    if document == DEFAULT_DOCUMENT:
        refused = {year: _framework_refused(folder, year, defaults) for _org, year in chosen}
    else:  # its own file in progress/, and none of the scores' standing or framework
        chosen, extra = _with_progress(folder, chosen, bool(orgs and years))
        refused = {}
    slices = agency_slices(folder, {o for o, _year in chosen})
    if document == DEFAULT_DOCUMENT:
        extra = peer_inputs(folder, [(o, y) for o, y in chosen if o in slices.inputs and (o, y) not in failing])
        problems += _unmatched(folder, {o for o, _year in chosen} if orgs or folder.orgs is not None else None)
    problems += [p for (org, year), found in slices.unusable_years.items()  # a broken file no report reads
                 if (org, year) not in chosen and not (years and year not in years) for p in found]
    unreadable = _unreadable(folder)
    jobs = [Job(org, year, defaults | {"org": org, "fiscal_year": year, "data_dir": str(folder.root)},
                slices.inputs.get(org, ()) + extra.get((org, year), ()), formats,
                unreadable + failing.get((org, year), ()) + tuple(slices.unusable.get(org, ()))
                + tuple(slices.unusable_years.get((org, year), ())) + refused.get(year, ()), document=document)
            for org, year in chosen]
    return jobs, problems + slices.problems


def _unreadable(folder: DataFolder) -> tuple[Problem, ...]:
    """Score files so broken that whose rows they hold cannot be told: any report of the folder may depend on
    them (its rows, its standing among the folder's agencies), so each fails, saying so plainly; the files'
    own problems are told once, among the problems of input files."""
    return tuple(Problem(str(f.path), _("this score file cannot be read and whose scores it holds cannot be told, so "
                                        "no report of this folder is made until it is mended (its problems are "
                                        "listed with the problems of input files)"))
                 for f in folder.score_files if f.value is None and f.problems)


def _unmatched(folder: DataFolder, orgs: set[str] | None) -> list[Problem]:
    """Measures files that `ita validate` refuses because no report could use them (their agency or results
    year has no scores): told, never dropped unsaid. `orgs`: only those of these agencies."""
    files = {str(m.path) for m in folder.measure_files if orgs is None or m.org in orgs}
    return [p for p in unmatched_measures(folder) if p.file in files]


def _with_progress(folder: DataFolder, chosen: list[tuple[str, int]],
                   named: bool) -> tuple[list[tuple[str, int]], dict[tuple[str, int], tuple[Input, ...]]]:
    """The agency-years of `chosen` with a progress file, each with its files (all rounds: the notebook
    picks one). Asked for by name (`ita report`), one without is an error saying how to make one."""
    files = progress_files(folder.root)
    inputs = {(o, y): tuple(Input.of(f"{PROGRESS_FOLDER}/{f.path.name}", f.data) for f in files
                            if (f.org, f.results_year) == (o, y)) for o, y in chosen}
    if named:
        for org, year in chosen:
            if not inputs[(org, year)]:
                progress_for(folder.root, org, year)  # raises, telling what to do
    kept = [pair for pair in chosen if inputs[pair]]
    if not kept:
        raise ITADataError(Problem(str(folder.root / PROGRESS_FOLDER), _(
            "no progress file of the agencies and years asked for: make one with ita template progress, fill it "
            "in and save it in this folder")))
    return kept, {pair: inputs[pair] for pair in kept}


def _framework_refused(folder: DataFolder, year: int, parameters: dict) -> tuple[Problem, ...]:
    """With strict_framework, a year without a framework of its own fails without a kernel, as its
    report would."""
    try:
        check_framework(folder.methodology, year, bool(parameters.get("strict_framework")))
    except ITADataError as err:
        return tuple(err.problems)
    return ()


EVERY_AGENCY = "ทุกหน่วยงาน"  # the folder under --out of a group report of every agency of the folder


def _group_jobs(folder: DataFolder, years: list[int], defaults: dict, formats: tuple[str, ...],
                problems: list[Problem]) -> list[Job]:
    """One group report per year, reading the whole folder; unusable score files fail it without a kernel
    (its figures would leave agencies out)."""
    inputs = folder_inputs(folder)
    group = defaults.get("group")
    label = EVERY_AGENCY if group is None or str(group).strip().casefold() == "all" else str(group).strip()
    return [Job(label, year, defaults | {"fiscal_year": year, "data_dir": str(folder.root)}, inputs, formats,
                tuple(problems), document=GROUP_DOCUMENT) for year in years]
