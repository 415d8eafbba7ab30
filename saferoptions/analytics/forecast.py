"""Next week's expected incidents per H3 cell, and how well such forecasts did in the past.

The method is deliberately plain and deterministic (no randomness, so the same data always
give the same forecast): for each cell, a mix of its recent weeks (an exponentially weighted
mean, recent weeks counting most) and its long-run weekly rate over the whole history.

It is judged the way place forecasts are judged (Chainey et al. 2008; the NIJ Real-Time
Crime Forecasting Challenge, 2017) by rolling origin: for each past week, forecast it from
the weeks before it only, flag the top 1% or 5% of the study area, and see what share of
that week's incidents fell in the flagged cells:

- hit rate = incidents in flagged cells / all incidents that week;
- PAI (predictive accuracy index) = hit rate / share of the area flagged;
- PEI* = PAI / the best PAI any choice of that many cells could have had that week.

Beside it, the naive baseline: "last week's hot spots" (the cells with most incidents in the
week before). "No better than the baseline" is an allowed answer and is reported as such.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

import h3
import polars as pl

from saferoptions.analytics._checks import require_columns, require_no_nulls
from saferoptions.analytics.errors import AnalyticsInputError

WEEK = dt.timedelta(weeks=1)
SHARES = (0.01, 0.05)


@dataclass(frozen=True)
class Method:
    """The forecast's two settings; `gap_weeks` leaves weeks out between history and target."""

    half_life_weeks: float = 4.0  # a week's weight in the recent mean halves this often
    recent_share: float = 0.5  # the rest is the cell's long-run weekly rate
    gap_weeks: int = 0  # 1: forecast next week from whole weeks up to last Sunday

    def __post_init__(self):
        if not (isinstance(self.half_life_weeks, int | float) and self.half_life_weeks > 0):
            raise AnalyticsInputError("half_life_weeks", "must be a number more than zero")
        if not (isinstance(self.recent_share, int | float) and 0 <= self.recent_share <= 1):
            raise AnalyticsInputError("recent_share", "must be a number from 0 to 1")
        if isinstance(self.gap_weeks, bool) or self.gap_weeks not in range(0, 5):
            raise AnalyticsInputError("gap_weeks", "must be a whole number from 0 to 4")

    def described(self) -> str:
        return (f"For each hexagon: {self.recent_share:.0%} its recent weeks (a weighted mean "
                f"in which a week counts half as much every {self.half_life_weeks:g} weeks "
                f"back) and {1 - self.recent_share:.0%} its average week over the whole "
                f"history.")


def weekly_counts(events: pl.DataFrame, *, resolution: int,
                  timezone: str = "Europe/London") -> pl.DataFrame:
    """Incidents per H3 cell (`cell`) and local week (`week`, its Monday): column `n`."""
    require_columns(events, "events", ("lat", "lng", "occurred_at"))
    require_no_nulls(events, "events", ("lat", "lng", "occurred_at"))
    cells = [h3.latlng_to_cell(a, b, resolution) for a, b in
             zip(events.get_column("lat").to_list(), events.get_column("lng").to_list(),
                 strict=True)]
    week = pl.col("occurred_at").dt.convert_time_zone(timezone).dt.date().dt.truncate("1w")
    frame = events.select(week.alias("week")).with_columns(pl.Series("cell", cells,
                                                                     dtype=pl.Utf8))
    return frame.group_by("cell", "week").agg(pl.len().cast(pl.Int64).alias("n")).sort(
        "week", "cell")


def cell_counts(placed: pl.DataFrame, *, resolution: int) -> pl.DataFrame:
    """Incidents already counted per location (`lat`, `lng`) and `week` (column `n`) as
    `weekly_counts` gives them: summed per H3 cell and week, each location's cell found once."""
    require_columns(placed, "counts", ("lat", "lng", "week", "n"))
    require_no_nulls(placed, "counts", ("lat", "lng", "week", "n"))
    spots = placed.select("lat", "lng").unique()
    cells = spots.with_columns(pl.Series("cell", [
        h3.latlng_to_cell(a, b, resolution) for a, b in spots.iter_rows()], dtype=pl.Utf8))
    return (placed.join(cells, on=["lat", "lng"]).group_by("cell", "week")
            .agg(pl.col("n").sum().cast(pl.Int64)).sort("week", "cell"))


def study_cells(*, min_lat: float, min_lng: float, max_lat: float, max_lng: float,
                resolution: int) -> list[str]:
    """Every cell whose centre is inside the box: the area that flagged cells are a share of."""
    box = h3.LatLngPoly([(min_lat, min_lng), (min_lat, max_lng), (max_lat, max_lng),
                         (max_lat, min_lng)])
    return sorted(h3.h3shape_to_cells(box, resolution))


def _check_counts(counts: pl.DataFrame) -> None:
    require_columns(counts, "counts", ("cell", "week", "n"))
    require_no_nulls(counts, "counts", ("cell", "week", "n"))


def _history(counts: pl.DataFrame, target_week: dt.date, method: Method) -> pl.DataFrame:
    """Only the weeks before the target (less the gap): nothing later can leak in."""
    last = target_week - WEEK * (1 + method.gap_weeks)
    return counts.filter(pl.col("week") <= last)


def forecast(counts: pl.DataFrame, *, target_week: dt.date,
             method: Method = Method()) -> pl.DataFrame:
    """Expected incidents in `target_week` per cell seen in the history (`cell`, `expected`)."""
    _check_counts(counts)
    past = _history(counts, target_week, method)
    if past.height == 0:
        return pl.DataFrame(schema={"cell": pl.Utf8, "expected": pl.Float64})
    last = target_week - WEEK * (1 + method.gap_weeks)
    weeks = (last - past.get_column("week").min()).days // 7 + 1
    decay = 0.5 ** (1 / method.half_life_weeks)
    # Every week of the history has a weight, weeks with no incidents in a cell included.
    total_weight = sum(decay ** a for a in range(weeks))
    age = ((pl.lit(last) - pl.col("week")).dt.total_days() // 7).cast(pl.Float64)
    return past.group_by("cell").agg(
        ((pl.col("n") * pl.lit(decay).pow(age)).sum() / total_weight).alias("recent"),
        (pl.col("n").sum() / weeks).alias("long_run"),
    ).select("cell", (method.recent_share * pl.col("recent")
                      + (1 - method.recent_share) * pl.col("long_run")).alias("expected")
             ).sort("cell")


def naive(counts: pl.DataFrame, *, target_week: dt.date, method: Method = Method()
          ) -> pl.DataFrame:
    """Last week's hot spots: each cell's count in the latest week the forecast may use."""
    _check_counts(counts)
    last = target_week - WEEK * (1 + method.gap_weeks)
    return counts.filter(pl.col("week") == last).select(
        "cell", pl.col("n").cast(pl.Float64).alias("expected")).sort("cell")


def cells_to_flag(area_cells: int, share: float) -> int:
    """How many cells make `share` of the area (at least one)."""
    if area_cells < 1:
        raise AnalyticsInputError("cells", "the study area has no cells")
    if not 0 < share <= 1:
        raise AnalyticsInputError("share", "must be more than 0 and at most 1")
    return max(1, round(area_cells * share))


def top_cells(predicted: pl.DataFrame, k: int) -> list[str]:
    """The k cells with the highest expected value; ties go to the lower cell id (stable)."""
    ranked = predicted.filter(pl.col("expected") > 0).sort(["expected", "cell"],
                                                           descending=[True, False])
    return ranked.get_column("cell").head(k).to_list()


@dataclass(frozen=True)
class Score:
    hits: int
    incidents: int
    hit_rate: float
    area_share: float
    pai: float


def score(flagged: list[str], actual: dict, *, area_cells: int, k: int) -> Score:
    """Hit rate and PAI of flagging `flagged` (k cells of `area_cells`) against `actual`."""
    incidents = sum(actual.values())
    if incidents == 0:
        raise AnalyticsInputError("actual", "no incidents that week: PAI is not defined")
    hits = sum(actual.get(c, 0) for c in set(flagged))
    hit_rate, area_share = hits / incidents, k / area_cells
    return Score(hits, incidents, hit_rate, area_share, hit_rate / area_share)


def best_score(actual: dict, *, area_cells: int, k: int) -> Score:
    """The best any choice of k cells could have done (the denominator of PEI*)."""
    best = sorted(actual, key=lambda c: (-actual[c], c))[:k]
    return score(best, actual, area_cells=area_cells, k=k)


@dataclass
class WeekResult:
    week: dt.date
    share: float
    incidents: int
    forecast: Score
    naive: Score
    best: Score

    @property
    def pei(self) -> float:
        return self.forecast.pai / self.best.pai

    @property
    def naive_pei(self) -> float:
        return self.naive.pai / self.best.pai


@dataclass
class Summary:
    """Means over the weeks scored, at one share of the area."""

    share: float
    weeks: int
    forecast_pai: float
    naive_pai: float
    forecast_hit_rate: float
    naive_hit_rate: float
    forecast_pei: float
    naive_pei: float

    @property
    def verdict(self) -> str:
        if self.weeks == 0:
            return "not enough history to say"
        if self.forecast_pai > self.naive_pai * 1.05:
            return "better than last week's hot spots"
        if self.forecast_pai < self.naive_pai * 0.95:
            return "worse than last week's hot spots"
        return "no better than last week's hot spots"


@dataclass
class Evaluation:
    method: Method
    area_cells: int
    weeks: list = field(default_factory=list)  # WeekResult, oldest first
    skipped: list = field(default_factory=list)  # weeks with no incidents: PAI undefined

    def summary(self, share: float) -> Summary:
        rows = [w for w in self.weeks if w.share == share]
        n = len(rows)

        def mean(values):
            values = list(values)
            return sum(values) / len(values) if values else math.nan
        return Summary(share, n, mean(w.forecast.pai for w in rows),
                       mean(w.naive.pai for w in rows),
                       mean(w.forecast.hit_rate for w in rows),
                       mean(w.naive.hit_rate for w in rows),
                       mean(w.pei for w in rows), mean(w.naive_pei for w in rows))


def evaluate(counts: pl.DataFrame, *, target_weeks: list[dt.date], area_cells: int,
             shares=SHARES, method: Method = Method()) -> Evaluation:
    """Rolling origin: each target week forecast from the weeks before it, then scored."""
    _check_counts(counts)
    if not target_weeks:
        raise AnalyticsInputError("target_weeks", "name at least one week to score")
    result = Evaluation(method, area_cells)
    for week in sorted(target_weeks):
        actual = dict(counts.filter(pl.col("week") == week).select("cell", "n").iter_rows())
        if not sum(actual.values()):
            result.skipped.append(week)
            continue
        predicted = forecast(counts, target_week=week, method=method)
        baseline = naive(counts, target_week=week, method=method)
        for share in shares:
            k = cells_to_flag(area_cells, share)
            result.weeks.append(WeekResult(
                week, share, sum(actual.values()),
                score(top_cells(predicted, k), actual, area_cells=area_cells, k=k),
                score(top_cells(baseline, k), actual, area_cells=area_cells, k=k),
                best_score(actual, area_cells=area_cells, k=k)))
    return result
