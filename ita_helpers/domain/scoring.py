"""ITA scoring as pure functions on DataFrames: tool scores, totals, ratings, changes,
weak indicators and headroom. Vectorised over agency-years, grouped only by fiscal year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .methodology import Methodology, YearMethod

DEFAULT_THRESHOLD = 85.0
TOLERANCE = 0.01  # published totals come from unrounded data: recomputed ones may differ by ~0.006
KEYS = ["org", "fiscal_year"]


def wide(indicators: pd.DataFrame) -> pd.DataFrame:
    """Long indicator scores as one row per agency-year and one column per indicator number."""
    return indicators.pivot(index=KEYS, columns="indicator", values="score")


def _tool_scores(matrix: pd.DataFrame, method: YearMethod) -> pd.DataFrame:
    """Each tool's mean of its indicators, weighted by their weights inside the tool."""
    scores = {}
    for tool in method.tool_weights:
        weights = method.weights_in_tool(tool)
        scores[tool.lower()] = matrix[list(weights.index)].mul(weights).sum(axis=1) / weights.sum()
    return pd.DataFrame(scores, index=matrix.index)


def tools_of(table: pd.DataFrame) -> list[str]:
    """Tool codes of the years in a score table or history (its `tools` column), in methodology order:
    year by year, each year's tools in its order. Years may differ in tools: this is their union."""
    joined = table.sort_values("fiscal_year", kind="stable")["tools"].dropna().unique()
    return list(dict.fromkeys(tool for codes in joined for tool in codes.split(";")))


def _weak_lists(matrix: pd.DataFrame, threshold: float) -> pd.Series:
    """Weak indicator numbers per row, highest score first (ties by number), joined with ';'."""
    values = matrix.to_numpy(dtype="float64")
    numbers = np.asarray(matrix.columns, dtype="int64")
    masked = np.where(values < threshold, values, -np.inf)
    order = np.lexsort((np.broadcast_to(numbers, values.shape), -masked), axis=1)
    labels = np.array([str(number) for number in numbers], dtype=object)
    ranked = labels[order].tolist()  # weak ones first: the others sort last
    weak = (values < threshold).sum(axis=1).tolist()
    return pd.Series([";".join(row[:count]) for row, count in zip(ranked, weak, strict=True)], index=matrix.index,
                     dtype="string")


def score_year(matrix: pd.DataFrame, method: YearMethod, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Tool scores, total, rating, pass flag and weak indicators for agency-years of one fiscal year."""
    matrix = matrix[method.indicator_numbers]
    tools = _tool_scores(matrix, method)
    total = sum(tools[tool.lower()] * weight for tool, weight in method.tool_weights.items())
    published = tools.round(2)
    published.columns = [c.upper() for c in published.columns]
    rounded_total = total.round(2)
    return tools.assign(
        total=total,
        rating=method.rate(rounded_total, published),
        passed=rounded_total >= method.pass_mark,
        weak_indicators=_weak_lists(matrix, threshold),
        weights_presumed=method.weights_presumed,
        framework_presumed=method.framework_presumed,  # no entry of its own: the latest year's framework
        tools=";".join(method.tool_weights),
    )


def score_table(
    indicators: pd.DataFrame,
    methodology: Methodology,
    reported_totals: pd.DataFrame | None = None,
    national_averages: pd.DataFrame | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """One row per agency-year with indicator scores: one column per tool of its year (the code in lower
    case: iit, eit, oit), tools (the year's tool codes, ';'-joined), total (recomputed), reported_total,
    official_total (the published total where known, as ITA treats it as authoritative, else the
    recomputed one), rating and passed (of the official total), difference (recomputed - reported),
    mismatch (> 0.01), weak_indicators, previous_year, change (of the official total from the previous
    year with a known total), national_average."""
    matrix = wide(indicators)
    years = matrix.index.get_level_values("fiscal_year")
    parts = [score_year(matrix[years == year], methodology.year(int(year)), threshold) for year in sorted(set(years))]
    table = pd.concat(parts).reset_index() if parts else pd.DataFrame(columns=KEYS)
    table["org"] = table["org"].astype("string")
    reported = _reported(reported_totals)
    table = table.merge(reported, on=KEYS, how="left")
    table["difference"] = (table["total"] - table["reported_total"]).round(4)
    table["mismatch"] = table["difference"].abs() > TOLERANCE
    table["official_total"] = table["reported_total"].fillna(table["total"].round(2))
    for year in table["fiscal_year"].unique():
        rows = table["fiscal_year"] == year
        method = methodology.year(int(year))
        tools = table.loc[rows, [t.lower() for t in method.tool_weights]].round(2)
        tools.columns = list(method.tool_weights)
        table.loc[rows, "rating"] = method.rate(table.loc[rows, "official_total"], tools)
        table.loc[rows, "passed"] = table.loc[rows, "official_total"] >= method.pass_mark
    table = _with_change(table, reported)
    if national_averages is not None and len(national_averages):
        national = national_averages[["fiscal_year", "average"]].astype({"fiscal_year": "int64", "average": "float64"})
        table = table.merge(national.rename(columns={"average": "national_average"}), on="fiscal_year", how="left")
    else:
        table["national_average"] = np.nan
    return table.sort_values(KEYS, ignore_index=True)


def _reported(reported_totals: pd.DataFrame | None) -> pd.DataFrame:
    if reported_totals is None or reported_totals.empty:
        return pd.DataFrame({"org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
                             "reported_total": pd.Series(dtype="float64")})
    reported = reported_totals[["org", "fiscal_year", "reported_total"]].dropna(subset=["reported_total"])
    reported["org"] = reported["org"].astype("string")
    return reported.astype({"fiscal_year": "int64", "reported_total": "float64"})


def _with_change(table: pd.DataFrame, reported: pd.DataFrame) -> pd.DataFrame:
    """Change of the official total from the previous year that has a total (years without indicator
    scores count through their reported totals)."""
    computed = table[KEYS].assign(comparable=table["official_total"])
    only_reported = reported.merge(computed[KEYS], on=KEYS, how="left", indicator=True)
    only_reported = only_reported[only_reported["_merge"] == "left_only"]
    series = pd.concat([computed, only_reported[KEYS].assign(comparable=only_reported["reported_total"])])
    series = series.sort_values(KEYS)
    grouped = series.groupby("org", sort=False)
    series["previous_year"] = grouped["fiscal_year"].shift(1).astype("Int64")
    series["previous_total"] = grouped["comparable"].shift(1)
    table = table.merge(series[KEYS + ["previous_year", "previous_total"]], on=KEYS, how="left")
    table["change"] = (table["official_total"] - table["previous_total"]).round(2)
    return table


def total_history(table: pd.DataFrame, reported_totals: pd.DataFrame, national_averages: pd.DataFrame,
                  org: str) -> pd.DataFrame:
    """The agency's totals over every fiscal year from its first known one to its last, for trend charts:
    recomputed total where indicator scores exist (tool scores too), the reported total elsewhere (tools
    missing, never zero), nothing in a year between without either (the total missing, never zero). One column
    per tool of the agency's years with indicator scores (`tools_of`), and their `tools`."""
    own = table[table["org"] == org].set_index("fiscal_year")
    reported = _reported(reported_totals)
    reported = reported[reported["org"] == org].set_index("fiscal_year")["reported_total"]
    known = set(own.index) | set(reported.index)
    # Every fiscal year of the range, so that a year without a known total is a gap (NaN) in a trend, still
    # with that year's national average, not a line drawn straight across it.
    years = list(range(min(known), max(known) + 1)) if known else []
    history = pd.DataFrame(index=pd.Index(years, name="fiscal_year"))
    history["total"] = own["official_total"].reindex(years).fillna(reported.reindex(years))
    for tool in tools_of(own.reset_index()):
        history[tool.lower()] = own[tool.lower()].reindex(years)
    history["tools"] = own["tools"].reindex(years)
    national = national_averages.astype({"fiscal_year": "int64"}).set_index("fiscal_year")["average"]
    history["national_average"] = national.reindex(years).astype("float64")
    history["has_indicators"] = history.index.isin(own.index)
    return history.reset_index()


def histories(table: pd.DataFrame, reported_totals: pd.DataFrame, national_averages: pd.DataFrame) -> pd.DataFrame:
    """`total_history` of every agency in `table`, stacked with an `org` column."""
    return pd.concat([total_history(table, reported_totals, national_averages, org).assign(org=org)
                      for org in sorted(set(table["org"]))], ignore_index=True)


def weak_indicators(scores: pd.Series, method: YearMethod, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Indicators below `threshold`, highest score first as the published reports order them.
    `scores` holds one agency-year's scores indexed by indicator number."""
    table = indicator_table(scores, method)
    weak = table[table["score"] < threshold]
    return weak.sort_values(["score", "number"], ascending=[False, True], ignore_index=True)


def indicator_table(scores: pd.Series, method: YearMethod) -> pd.DataFrame:
    """Number, tool, official names and score of each indicator of one agency-year."""
    return pd.DataFrame([
        {"number": i.number, "tool": i.tool, "name_th": i.name_th, "name_en": i.name_en,
         "score": float(scores[i.number])}
        for i in method.indicators
    ])


def headroom(scores: pd.Series, method: YearMethod, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """For each indicator: the points of total it could still add (weight x (100 - score)), the
    points it would add by reaching the threshold, and its gap to the threshold; most headroom first."""
    table = indicator_table(scores, method)
    weights = method.indicator_weights
    table["weight"] = table["number"].map(weights)
    table["headroom"] = table["weight"] * (100 - table["score"])
    table["gap"] = (threshold - table["score"]).clip(lower=0)
    table["gain_at_threshold"] = table["weight"] * table["gap"]
    return table.sort_values(["headroom", "number"], ascending=[False, True], ignore_index=True)


def what_if(scores: pd.Series, changes: dict[int, float], method: YearMethod,
            threshold: float = DEFAULT_THRESHOLD) -> pd.Series:
    """Total, rating and remaining weak indicators after changing some indicator scores."""
    new = scores.copy()
    for number, value in changes.items():
        new[number] = value
    matrix = pd.DataFrame([new.reindex(method.indicator_numbers).to_numpy()], columns=method.indicator_numbers,
                          index=pd.MultiIndex.from_tuples([("what-if", method.fiscal_year)], names=KEYS))
    return score_year(matrix, method, threshold).iloc[0]
