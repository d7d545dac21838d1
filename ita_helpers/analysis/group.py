"""The group report for central analysts: one results year over a group of agencies of one data folder.

Every figure builds on the score table (scoring.score_table: official totals, ratings, passed, change
from the previous year with a total) and peers (ranking, summary, histogram, weakest_indicators); this
module only adds what a central analyst looks for: near misses, tier drops and tool-floor downgrades."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..domain.methodology import Methodology, YearMethod
from . import peers

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
