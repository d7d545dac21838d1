"""Checks across a data folder's measures files: a file whose agency has no scores, an agency-year that two
files both measure."""

from __future__ import annotations

import difflib

from ..core.errors import Problem
from ..core.i18n import _
from .dataset import DataFolder


def unmatched_measures(folder: DataFolder) -> list[Problem]:
    """Measures files whose agency (`scores_org`) matches no agency with scores in the folder, told with
    the closest agency name; and those whose agency has no scores for their results year."""
    pairs = sorted(set(folder.agency_years()) | set(folder.failing_agency_years))  # a failing year is still one
    years_of: dict[str, list[int]] = {}
    for org, year in pairs:
        years_of.setdefault(org, []).append(year)
    problems = []
    for parsed in folder.measure_files:
        org = parsed.org
        if org is None:
            continue
        name = str(parsed.path)
        if org not in years_of:
            closest = closest_agency(org, list(years_of))
            if closest:
                rule = _("the agency {org} matches no agency in the score files; did you mean {closest}? (the name "
                         "must be written exactly as in the score files)").format(org=repr(org), closest=repr(closest))
            elif years_of:
                rule = _("the agency {org} matches no agency in the score files (they hold {count} agencies, "
                         "none with a similar name)").format(org=repr(org), count=len(years_of))
            else:
                rule = _("the agency {org} matches no agency: the folder has no usable score files").format(
                    org=repr(org))
            problems.append(Problem(name, rule))
        elif parsed.value is not None and parsed.value.results_year not in years_of[org]:
            problems.append(Problem(name, _("{org} has no indicator scores for the results year {year}; years with "
                                            "scores: {years}").format(org=org, year=parsed.value.results_year,
                                                                      years=", ".join(map(str, years_of[org])))))
    return problems


def measures_twice(folder: DataFolder) -> dict[str, list[Problem]]:
    """Agency -> its agency-years with measures in more than one file (a report would otherwise take one
    of them silently)."""
    files: dict[tuple[str, int], list[str]] = {}
    for parsed in folder.measure_files:
        if parsed.value is not None:
            files.setdefault((parsed.value.scores_org, parsed.value.results_year), []).append(str(parsed.path))
    found: dict[str, list[Problem]] = {}
    for (org, year), names in files.items():
        if len(names) > 1:
            found.setdefault(org, []).append(Problem(", ".join(names), _(
                "{org}, {year} has measures in more than one file: keep one").format(org=org, year=year)))
    return found


def closest_agency(org: str, agencies: list[str]) -> str | None:
    """The agency name nearest to `org`: one that contains it or is contained in it, else difflib's."""
    text = " ".join(org.split()).casefold()
    near = [a for a in agencies if text and (text in a.casefold() or a.casefold() in text)]
    if near:
        return min(near, key=lambda a: abs(len(a) - len(org)))
    match = difflib.get_close_matches(org, agencies, n=1, cutoff=0.6)
    return match[0] if match else None
