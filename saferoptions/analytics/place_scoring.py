"""Scoring place forecasts and hot-spot maps against a known true intensity (no Django).

The synthetic city knows how many incidents each place was expected to have each week
(`city.place_risk.intensity`). With it:

- `rolling_with_oracle`: for each target week, the forecast, the naive baseline ("last
  week's hot spots") and an oracle that flags the cells of highest *true* intensity that week,
  each flagging the same share of the area; PAI, hit rate and PEI* per week;
- `bootstrap_mean` / `bootstrap_ratio`: percentile confidence intervals by resampling weeks;
- `hotspot_truth`: the share of the area a hot-spot map flags, and how many of the truly
  riskiest cells (the top `share` of the area by true intensity) it finds.
"""

import datetime as dt
import random

import h3
import polars as pl

from saferoptions.analytics import forecast as model
from saferoptions.analytics._checks import require_columns
from saferoptions.analytics.errors import AnalyticsInputError


def truth_by_cell(truth: pl.DataFrame, *, resolution: int) -> pl.DataFrame:
    """True expected incidents per H3 cell and week (`cell`, `week`, `expected`)."""
    require_columns(truth, "truth", ("latitude", "longitude", "week", "expected"))
    cells = [h3.latlng_to_cell(a, b, resolution) for a, b in
             zip(truth.get_column("latitude").to_list(), truth.get_column("longitude").to_list(),
                 strict=True)]
    return truth.with_columns(pl.Series("cell", cells, dtype=pl.Utf8)).group_by(
        "cell", "week").agg(pl.col("expected").sum()).sort("week", "cell")


def rolling_with_oracle(counts: pl.DataFrame, truth: pl.DataFrame, *,
                        target_weeks: list[dt.date], area_cells: int, share: float,
                        method: model.Method) -> list[dict]:
    """Per target week with incidents: PAI, hit rate and PEI* of forecast, naive and oracle."""
    if not target_weeks:
        raise AnalyticsInputError("target_weeks", "name at least one week to score")
    k = model.cells_to_flag(area_cells, share)
    rows = []
    for week in sorted(target_weeks):
        actual = dict(counts.filter(pl.col("week") == week).select("cell", "n").iter_rows())
        if not sum(actual.values()):
            continue
        best = model.best_score(actual, area_cells=area_cells, k=k)
        oracle = truth.filter(pl.col("week") == week).select("cell", "expected")
        row = {"week": week, "incidents": sum(actual.values()), "best_pai": best.pai}
        for name, predicted in (
                ("forecast", model.forecast(counts, target_week=week, method=method)),
                ("naive", model.naive(counts, target_week=week, method=method)),
                ("oracle", oracle)):
            got = model.score(model.top_cells(predicted, k), actual, area_cells=area_cells, k=k)
            row[f"{name}_pai"] = got.pai
            row[f"{name}_hit_rate"] = got.hit_rate
            row[f"{name}_pei"] = got.pai / best.pai
        rows.append(row)
    return rows


def bootstrap_mean(values: list[float], *, draws: int = 2000, seed: int = 0,
                   level: float = 0.95) -> tuple[float, float, float]:
    """The mean and a percentile bootstrap interval (resampling the values, e.g. weeks)."""
    return bootstrap_ratio(values, None, draws=draws, seed=seed, level=level)


def bootstrap_ratio(top: list[float], bottom: list[float] | None, *, draws: int = 2000,
                    seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """mean(top) / mean(bottom) over paired units (weeks), with a percentile interval."""
    n = len(top)
    if n == 0:
        raise AnalyticsInputError("values", "nothing to resample")
    if bottom is not None and len(bottom) != n:
        raise AnalyticsInputError("values", "the two lists must pair up (same weeks)")
    rng = random.Random(seed)

    def statistic(index):
        a = sum(top[i] for i in index) / len(index)
        if bottom is None:
            return a
        b = sum(bottom[i] for i in index) / len(index)
        return a / b if b else float("nan")
    estimates = sorted(statistic([rng.randrange(n) for _ in range(n)]) for _ in range(draws))
    tail = (1 - level) / 2
    low = estimates[int(tail * (draws - 1))]
    high = estimates[int((1 - tail) * (draws - 1))]
    return statistic(list(range(n))), low, high


def hotspot_truth(flagged: set[str], truth_total: dict[str, float], *, area_cells: int,
                  share: float = 0.05) -> dict:
    """How well a hot-spot map targets: share of area flagged, truly risky cells found.

    Truly risky = the top `share` of the area's cells by true expected incidents over the
    period. `found` is how many of those are flagged; `precision` the share of flagged cells
    that are truly risky; `intensity_captured` the share of all true incidents in flagged cells.
    """
    k = model.cells_to_flag(area_cells, share)
    risky = set(sorted(truth_total, key=lambda c: (-truth_total[c], c))[:k])
    total = sum(truth_total.values()) or 1.0
    hits = flagged & risky
    return {"area_cells": area_cells, "flagged": len(flagged),
            "area_share_flagged": round(len(flagged) / area_cells, 4),
            "truly_risky": len(risky), "found": len(hits),
            "recall": round(len(hits) / len(risky), 3) if risky else None,
            "precision": round(len(hits) / len(flagged), 3) if flagged else None,
            "intensity_captured": round(sum(truth_total.get(c, 0.0) for c in flagged) / total,
                                        3)}
