"""Peer comparison: where agencies stand among a group of agencies in one fiscal year.

The group is agencies of one data folder (all of them, or a chosen list) with indicator scores that
year: it is "the agencies in this data", never claimed to be the nation's 8,300. Every figure is of
the official total (scoring.score_table: the published total where known, else the recomputed one,
to the hundredth), so two agencies with the same printed total are tied.

- rank: competition ranking, highest total first, ties sharing the best place ("1, 2, 2, 4").
- percentile: the share, in percent, of the *other* agencies of the group whose total is strictly
  lower. "Higher than 75 % of the others" is then literally true; the top agency without a tie is at
  100, the bottom at 0, and it is undefined for a group of one (None).

A report's kernel reads only its agency's slice of the folder, so the batch planner works out each
report's `Standing` once and hands it over as one more slice file (PEERS). It holds only what the
report shows (group size, rank, number below, the histogram), so an edit elsewhere in the folder makes
a report stale only when it changes one of those."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..domain.methodology import Methodology
from ..domain.scoring import DEFAULT_THRESHOLD, score_table
from ..inputs.dataset import DataFolder, combine_reported_totals, reported_total_clashes
from ..inputs.loaders import Scores, scored_twice

PEERS = "peers.json"  # a report's standing, written into its slice by the planner
BIN_WIDTH = 2.5  # points of total per bar of the distribution; the last bar includes 100
EDGES = np.append(np.arange(0, 100, BIN_WIDTH), 100.0)


def ranking(table: pd.DataFrame, fiscal_year: int, group: Iterable[str] | None = None, where: str = "") -> pd.DataFrame:
    """The agencies of `group` (every agency of `table` when None or empty) in `fiscal_year`, best first:
    org, official_total, rating, passed, rank, below (how many have a lower total), percentile.
    `table` is a score table (scoring.score_table). An agency of `group` without scores that year is an
    error naming the agencies that have them (and `where`, the data folder)."""
    year = table[table["fiscal_year"] == fiscal_year]
    wanted = list(dict.fromkeys(group or []))
    if wanted:
        missing = [org for org in wanted if org not in set(year["org"])]
        if missing:
            raise ITADataError(Problem(where, _("no indicator scores for {orgs} in {year}; agencies with scores that "
                                             "year: {known}").format(orgs=", ".join(missing), year=fiscal_year,
                                                                     known=", ".join(sorted(year["org"])) or
                                                                     _("no agency"))))
        year = year[year["org"].isin(wanted)]
    totals = year["official_total"].to_numpy(dtype="float64")
    ordered = np.sort(totals)
    below = np.searchsorted(ordered, totals, side="left")
    others = len(totals) - 1
    ranked = pd.DataFrame({
        "org": year["org"].astype(str).to_numpy(), "official_total": totals, "rating": year["rating"].to_numpy(),
        "passed": year["passed"].astype(bool).to_numpy(),
        "rank": len(totals) - np.searchsorted(ordered, totals, side="right") + 1, "below": below,
        "percentile": below / others * 100 if others else np.full(len(totals), np.nan)})
    return ranked.sort_values(["rank", "org"], ignore_index=True)


def histogram(totals: Iterable[float]) -> tuple[int, ...]:
    """How many totals fall in each BIN_WIDTH-point band from 0 (the last band includes 100)."""
    return tuple(int(n) for n in np.histogram(np.asarray(list(totals), dtype="float64"), bins=EDGES)[0])


def summary(ranked: pd.DataFrame) -> dict[str, float | int]:
    """The group's distribution of totals: agencies, mean, median, lowest, highest, how many (and what
    percentage) pass (the score table's `passed`: the year's pass mark)."""
    totals = ranked["official_total"]
    passing = int(ranked["passed"].sum())
    return {"agencies": len(totals), "mean": float(totals.mean()), "median": float(totals.median()),
            "lowest": float(totals.min()), "highest": float(totals.max()), "passing": passing,
            "passing_share": passing / len(totals) * 100 if len(totals) else float("nan")}


def weakest_indicators(indicators: pd.DataFrame, methodology: Methodology, fiscal_year: int,
                       group: Iterable[str], threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Each indicator of the year over the agencies of `group`: number, name_th, tool, mean score,
    weak_agencies (how many score under `threshold`) and weak_share (their percentage); lowest mean
    first, ties by number."""
    orgs = set(group)
    rows = indicators[(indicators["fiscal_year"] == fiscal_year) & indicators["org"].isin(orgs)]
    by = rows.groupby("indicator")["score"]
    weak = (rows["score"] < threshold).groupby(rows["indicator"]).sum()
    stats = pd.DataFrame({"mean": by.mean(), "weak_agencies": weak})
    method = methodology.year(fiscal_year)
    table = pd.DataFrame([{"number": i.number, "name_th": i.name_th, "tool": i.tool} for i in method.indicators])
    table = table.join(stats, on="number")
    table["weak_agencies"] = table["weak_agencies"].fillna(0).astype(int)
    table["weak_share"] = table["weak_agencies"] / len(orgs) * 100 if orgs else np.nan
    return table.sort_values(["mean", "number"], ignore_index=True)


@dataclass(frozen=True)
class Standing:
    """One agency-year among the agencies of its data folder with scores that year (two or more)."""

    org: str
    fiscal_year: int
    agencies: int  # the group, the agency included
    rank: int
    below: int
    bins: tuple[int, ...]  # histogram() of the group's totals

    @property
    def percentile(self) -> float:
        return self.below / (self.agencies - 1) * 100

    @property
    def tied(self) -> int:
        """Other agencies with the same total."""
        return self.agencies - self.below - self.rank

    def to_json(self) -> bytes:
        """The slice file: the year's bars are written once per year, not once per agency (58,100 times
        for a national folder of seven years)."""
        fields = json.dumps({k: v for k, v in self.__dict__.items() if k != "bins"}, ensure_ascii=False, sort_keys=True)
        return f'{{"bins": {_json_list(self.bins)}, {fields[1:]}'.encode()

    @classmethod
    def from_json(cls, data: bytes) -> Standing:
        fields = json.loads(data)
        return cls(**fields | {"bins": tuple(fields["bins"])})


@functools.lru_cache(maxsize=64)
def _json_list(values: tuple[int, ...]) -> str:
    return json.dumps(values)


def standings(table: pd.DataFrame, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Standing]:
    """The `Standing` of each agency-year of `pairs` among every agency of `table` that year."""
    wanted: dict[int, set[str]] = {}
    for org, year in pairs:
        wanted.setdefault(int(year), set()).add(org)
    return {(org, year): standing for year, orgs in wanted.items()
            for org, standing in standings_in(ranking(table, year), year, orgs).items()}


def standings_in(ranked: pd.DataFrame, fiscal_year: int, orgs: Iterable[str]) -> dict[str, Standing]:
    """Agency -> its `Standing` in a `ranking`, for those of `orgs` in it; none in a group of one."""
    if len(ranked) < 2:
        return {}
    bins = histogram(ranked["official_total"])
    rows = ranked[ranked["org"].isin(set(orgs))]
    return {org: Standing(org, fiscal_year, len(ranked), rank, below, bins)
            for org, rank, below in zip(rows["org"], rows["rank"].tolist(), rows["below"].tolist())}


def folder_table(folder: DataFolder, years: set[int]) -> pd.DataFrame:
    """The score table of the folder's agencies in `years`, from its valid score files. Agencies whose
    score files clash (one agency-year in two files, two published totals) are left out: none of their
    figures can be trusted, and their own reports fail."""
    everyone = Scores.concat(f.value for f in folder.score_files if f.value is not None)
    reported, national = folder.reference_tables
    clashing = set(reported_total_clashes(reported, everyone.reported_totals)) | set(scored_twice(everyone.indicators))
    indicators = everyone.indicators
    indicators = indicators[indicators["fiscal_year"].isin(years) & ~indicators["org"].isin(clashing)]
    totals = [t[~t["org"].isin(clashing)] for t in (reported, everyone.reported_totals)]
    return score_table(indicators, folder.methodology, combine_reported_totals(*totals), national)


def standing_in(folder: DataFolder, org: str, fiscal_year: int) -> Standing | None:
    """Where the agency-year stands in `folder`: as the planner put it in the report's slice, else worked
    out from the folder's own scores (a slice without PEERS holds no other agency that year)."""
    path = folder.root / PEERS
    if path.is_file():
        standing = Standing.from_json(path.read_bytes())
        if (standing.org, standing.fiscal_year) == (org, fiscal_year):
            return standing
    return standings(folder_table(folder, {fiscal_year}), [(org, fiscal_year)]).get((org, fiscal_year))
