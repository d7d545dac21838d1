"""Everything the peer-comparison notebook (compare.ipynb) shows, computed once: the notebook only
displays it. The figures are peers.py's; this module picks the group, the year and the agency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..domain.methodology import YearMethod
from ..domain.scoring import DEFAULT_THRESHOLD
from ..inputs.dataset import Dataset, load_dataset
from . import peers
from .report import check_values


@dataclass(frozen=True)
class Comparison:
    fiscal_year: int
    threshold: float
    dataset: Dataset
    method: YearMethod
    ranked: pd.DataFrame  # peers.ranking of the group
    weakest: pd.DataFrame  # peers.weakest_indicators of the group
    org: str | None  # the agency whose standing is shown, if any
    standing: peers.Standing | None  # None without an agency, or in a group of one

    @property
    def summary(self) -> dict[str, float | int]:
        return peers.summary(self.ranked)

    @property
    def histogram(self) -> tuple[int, ...]:
        return peers.histogram(self.ranked["official_total"])

    @property
    def national_average(self) -> float | None:
        return self.dataset.national_average(self.fiscal_year)

    @property
    def total(self) -> float | None:
        """The chosen agency's official total."""
        row = self.ranked[self.ranked["org"] == self.org]
        return None if row.empty else float(row["official_total"].iloc[0])

    def excerpt(self, top: int = 20, around: int = 2) -> pd.DataFrame:
        """The ranking's first `top` rows and the `around` rows either side of the chosen agency."""
        keep = self.ranked.index < top
        if self.org is not None:
            at = self.ranked.index[self.ranked["org"] == self.org][0]
            keep |= (self.ranked.index >= at - around) & (self.ranked.index <= at + around)
        return self.ranked[keep]


def build_comparison(fiscal_year: int, agencies: list[str] | None = None, org: str | None = None,
                     data_dir: Path | str | None = None, threshold: float = DEFAULT_THRESHOLD,
                     digits: str = "thai") -> Comparison:
    """The group (`agencies`, or every agency of the folder with scores in `fiscal_year`) and where `org`
    stands in it. `org` must be one of the group."""
    check_values(None, threshold, digits)
    dataset = load_dataset(data_dir)
    fiscal_year = int(fiscal_year)
    ranked = peers.ranking(dataset.score_table(threshold), fiscal_year, agencies, str(dataset.data_dir))
    if ranked.empty:
        years = ", ".join(map(str, sorted(set(dataset.indicators["fiscal_year"]))))
        raise ITADataError(Problem(str(dataset.data_dir), _("no indicator scores for year(s) {years}; years in the "
                                                            "data: {have}").format(years=fiscal_year, have=years)))
    if org is not None and org not in set(ranked["org"]):
        raise ITADataError(Problem(str(dataset.data_dir), _("{org} is not in the group; the group is: {orgs}").format(
            org=org, orgs=", ".join(sorted(ranked["org"])))))
    standing = peers.standings_in(ranked, fiscal_year, [org]).get(org) if org is not None else None
    return Comparison(fiscal_year, float(threshold), dataset, dataset.methodology.year(fiscal_year), ranked,
                      peers.weakest_indicators(dataset.indicators, dataset.methodology, fiscal_year, ranked["org"],
                                               threshold), org, standing)
