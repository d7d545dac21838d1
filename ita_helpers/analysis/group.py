"""The group report for central analysts: one results year over a group of agencies of one data folder.

Every figure builds on the score table (scoring.score_table: official totals, ratings, passed, change
from the previous year with a total) and peers (ranking, summary, histogram, weakest_indicators); this
module only adds what a central analyst looks for: near misses, tier drops and tool-floor downgrades."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.errors import ITADataError, Problem
from ..core.i18n import N_, _
from ..domain.methodology import Methodology, YearMethod
from ..inputs.dataset import BUNDLED_DATA, DataFolder, Dataset
from . import peers
from .questions import QuestionAnalysis, analysis_for

NEAR_MISS_POINTS = 2.0  # "just under the pass mark": within this many points below it


@dataclass(frozen=True)
class GroupAnalysis:
    fiscal_year: int
    pass_mark: float
    national_average: float | None
    summary: dict[str, float | int]
    histogram: tuple[int, ...]
    ranking: pd.DataFrame  # peers.ranking plus previous_year, change, previous_rank, rank_change
    near_misses: pd.DataFrame  # org, official_total, short_by
    tier_drops: pd.DataFrame  # org, previous_year, previous_rating, rating
    floor_downgrades: pd.DataFrame  # org, official_total, by_total (the tier the total alone earns), rating, tools
    weakest: pd.DataFrame  # peers.weakest_indicators


def _tier_by_total(total: float, method: YearMethod) -> str:
    return next(band.label for band in method.bands if total >= band.min)


def floor_downgrades(year_rows: pd.DataFrame, method: YearMethod) -> pd.DataFrame:
    """Agencies whose rating is below the tier their total earns because a tool is under that tier's
    floor; `tools` names the tools under it (';'-joined)."""
    rows = []
    for row in year_rows.itertuples(index=False):
        by_total = _tier_by_total(row.official_total, method)
        if by_total == row.rating:
            continue
        floor = next(b.tool_floor for b in method.bands if b.label == by_total)
        low = [tool for tool in method.tool_weights if round(getattr(row, tool.lower()), 2) < (floor or 0)]
        rows.append({"org": row.org, "official_total": row.official_total, "by_total": by_total,
                     "rating": row.rating, "tools": ";".join(low)})
    return pd.DataFrame(rows, columns=["org", "official_total", "by_total", "rating", "tools"])


def tier_drops(table: pd.DataFrame, fiscal_year: int, orgs: Iterable[str], methodology: Methodology) -> pd.DataFrame:
    """Agencies whose tier this year is lower than in their previous year with a rating on the same
    scheme (a letter grade and a tier are not compared)."""
    order = [band.label for band in methodology.year(fiscal_year).bands]
    now = table[(table["fiscal_year"] == fiscal_year) & table["org"].isin(set(orgs))]
    rows = []
    for row in now.itertuples(index=False):
        if pd.isna(row.previous_year):
            continue
        before = table[(table["org"] == row.org) & (table["fiscal_year"] == int(row.previous_year))]
        if before.empty or before["rating"].iloc[0] not in order:
            continue
        previous = before["rating"].iloc[0]
        if order.index(row.rating) > order.index(previous):
            rows.append({"org": row.org, "previous_year": int(row.previous_year),
                         "previous_rating": previous, "rating": row.rating})
    return pd.DataFrame(rows, columns=["org", "previous_year", "previous_rating", "rating"])


def analyse_group(table: pd.DataFrame, indicators: pd.DataFrame, methodology: Methodology, fiscal_year: int,
                  group: Iterable[str] | None = None, where: str = "") -> GroupAnalysis:
    """The group's figures in `fiscal_year`; `table` is a score table, `group` None for every agency."""
    method = methodology.year(fiscal_year)
    ranked = peers.ranking(table, fiscal_year, group, where)
    orgs = list(ranked["org"])
    year_rows = table[(table["fiscal_year"] == fiscal_year) & table["org"].isin(set(orgs))]
    ranked = ranked.merge(year_rows[["org", "previous_year", "change"]], on="org", how="left")
    previous_ranks = {}
    for year in ranked["previous_year"].dropna().unique():
        earlier = peers.ranking(table[table["org"].isin(set(orgs))], int(year))
        previous_ranks.update({(org, int(year)): int(rank) for org, rank in zip(earlier["org"], earlier["rank"])})
    ranked["previous_rank"] = [previous_ranks.get((o, int(y))) if pd.notna(y) else None
                               for o, y in zip(ranked["org"], ranked["previous_year"])]
    ranked["previous_rank"] = ranked["previous_rank"].astype("Int64")
    ranked["rank_change"] = ranked["previous_rank"] - ranked["rank"]  # positive: climbed
    short = method.pass_mark - ranked["official_total"]
    near = ranked[(short > 0) & (short <= NEAR_MISS_POINTS)]
    near = near[["org", "official_total"]].assign(short_by=(method.pass_mark - near["official_total"]).round(2))
    national = year_rows["national_average"].dropna()
    return GroupAnalysis(
        fiscal_year=fiscal_year, pass_mark=method.pass_mark,
        national_average=float(national.iloc[0]) if len(national) else None,
        summary=peers.summary(ranked), histogram=peers.histogram(ranked["official_total"]), ranking=ranked,
        near_misses=near.reset_index(drop=True), tier_drops=tier_drops(table, fiscal_year, orgs, methodology),
        floor_downgrades=floor_downgrades(year_rows, method),
        weakest=peers.weakest_indicators(indicators, methodology, fiscal_year, orgs))


ALL = "all"  # --group all (or none): every agency of the folder as one group
TOP_QUESTIONS = 10  # how many weakest questions and most-missed OIT items the report lists
# Why a group report deserves a second look (as report.WARNINGS for the measures document).
GROUP_WARNINGS = {
    "no_previous_year": N_("no agency of the group has a previous year: no changes, no tier drops"),
    "no_group_column": N_("the score files have no column กลุ่ม: the group named is every agency of the folder"),
}


def group_members(groups: pd.DataFrame, agencies: Iterable[str], fiscal_year: int, name: str | None,
                  where: str = "") -> list[str] | None:
    """The agencies of group `name` in `fiscal_year` (column กลุ่ม of the score files; an agency's group in
    an earlier year applies when the year gives none); None for the whole folder: `name` None or "all",
    or a folder whose score files have no กลุ่ม column (then `name` only labels the report)."""
    if name is None or name.strip().casefold() == ALL or groups.empty:
        return None
    latest = groups[groups["fiscal_year"] <= fiscal_year].sort_values("fiscal_year").drop_duplicates("org", keep="last")
    wanted = name.strip()
    members = sorted(set(latest.loc[latest["group"] == wanted, "org"]) & set(agencies))
    if not members:
        known = sorted(set(latest["group"]))
        raise ITADataError(Problem(where, _("no agency of group {name} has scores in {year}; groups in the "
                                            "column กลุ่ม: {known}").format(name=wanted, year=fiscal_year,
                                                                           known=", ".join(known) or _("none"))))
    return members


def question_weakness(results: Iterable[QuestionAnalysis]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Over the group's agencies with question data: the IIT and EIT questions by mean score, lowest first
    (code, tool, indicator, label, mean, agencies, weak_agencies: how many under the pass mark), and the OIT items
    not published by the most agencies (code, sub_indicator, label, missing, agencies, missing_share)."""
    questions: dict[str, list] = {}
    items: dict[str, list] = {}
    for analysis in results:
        for detail in analysis.details:
            found = items if detail.tool == "OIT" else questions
            found.setdefault(detail.code, []).append(detail)
    asked = pd.DataFrame([{"code": code, "tool": ds[0].tool, "indicator": ds[0].indicator,
                           "label": next((d.label for d in ds if d.label), ""),
                           "mean": round(sum(d.score for d in ds) / len(ds), 2), "agencies": len(ds),
                           "weak_agencies": sum(d.indicator_gain > 0 for d in ds)} for code, ds in questions.items()],
                         columns=["code", "tool", "indicator", "label", "mean", "agencies", "weak_agencies"])
    missed = pd.DataFrame([{"code": code, "sub_indicator": ds[0].sub_indicator,
                            "label": next((d.label for d in ds if d.label), ""),
                            "missing": sum(d.score == 0 for d in ds), "agencies": len(ds)}
                           for code, ds in items.items()],
                          columns=["code", "sub_indicator", "label", "missing", "agencies"])
    missed = missed[missed["missing"] > 0]
    missed = missed.assign(missing_share=(100 * missed["missing"] / missed["agencies"]).round(1))
    order = asked["code"].str[1:].astype(int) if len(asked) else asked["code"]
    asked = asked.assign(_n=order).sort_values(["mean", "tool", "_n"]).drop(columns="_n")
    items_order = missed["code"].str[1:].astype(int) if len(missed) else missed["code"]
    missed = missed.assign(_n=items_order).sort_values(["missing", "_n"], ascending=[False, True]).drop(columns="_n")
    return asked.head(TOP_QUESTIONS).reset_index(drop=True), missed.head(TOP_QUESTIONS).reset_index(drop=True)


def group_questions(dataset: Dataset, orgs: Iterable[str], fiscal_year: int,
                    pass_mark: float) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """How many agencies of `orgs` have question results in `fiscal_year`, and over them the weakest
    questions and the most-missed OIT items (question_weakness); also what compare.ipynb shows."""
    found = [a for org in orgs if (a := analysis_for(dataset, org, int(fiscal_year), pass_mark))]
    return (len(found), *question_weakness(found))


@dataclass(frozen=True)
class GroupReport:
    """What the group report shows: the group's results year and, where the folder has them, its questions."""

    name: str | None  # the group as named (None: every agency of the folder)
    folder: str  # the data folder's name, for a report of the whole folder
    analysis: GroupAnalysis
    method: YearMethod
    has_group_column: bool
    question_agencies: int  # agencies of the group with question data that year
    weakest_questions: pd.DataFrame  # question_weakness
    missed_items: pd.DataFrame

    @property
    def figures(self) -> dict:
        """What the index lists: agencies, passing, near misses, tier drops, floor downgrades."""
        a = self.analysis
        return {"agencies": int(a.summary["agencies"]), "passing": int(a.summary["passing"]),
                "near_misses": len(a.near_misses), "tier_drops": len(a.tier_drops),
                "floor_downgrades": len(a.floor_downgrades)}

    @property
    def warnings(self) -> list[str]:
        found = {"no_previous_year": self.analysis.ranking["previous_year"].isna().all(),
                 "no_group_column": self.name is not None and self.name.casefold() != ALL
                 and not self.has_group_column}
        return [code for code, applies in found.items() if applies]


def build_group(group: str | None, fiscal_year: int, data_dir: Path | str | None = None) -> GroupReport:
    """The group report's figures: `group` named in the column กลุ่ม of the score files, or None / "all"
    for every agency of the folder."""
    folder = DataFolder(data_dir or BUNDLED_DATA)
    dataset = folder.dataset()
    fiscal_year = int(fiscal_year)
    table = dataset.score_table()
    present = set(table.loc[table["fiscal_year"] == fiscal_year, "org"])
    if not present:
        raise ITADataError(Problem(str(folder.root), _("no indicator scores for year(s) {years}; years in the "
                                                      "data: {have}").format(
            years=fiscal_year, have=", ".join(map(str, sorted(table["fiscal_year"].unique()))))))
    groups = dataset.scores.groups
    members = group_members(groups, present, fiscal_year, group, str(folder.root))
    analysis = analyse_group(table, dataset.indicators, dataset.methodology, fiscal_year, members,
                             str(folder.root))
    orgs = list(analysis.ranking["org"])
    method = dataset.methodology.year(fiscal_year)
    with_data, asked, missed = group_questions(dataset, orgs, fiscal_year, method.pass_mark)
    name = None if group is None or group.strip().casefold() == ALL else group.strip()
    return GroupReport(name, folder.root.name, analysis, method, not groups.empty, with_data, asked, missed)
