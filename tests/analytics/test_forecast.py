"""Place forecasts: PAI on a hand-made grid, the method by hand, no leakage, reproducible."""

import datetime as dt
import random

import polars as pl
import pytest

from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.forecast import (
    Method,
    best_score,
    cells_to_flag,
    evaluate,
    forecast,
    naive,
    score,
    top_cells,
    weekly_counts,
)

MONDAY = dt.date(2026, 1, 5)


def week(n: int) -> dt.date:
    return MONDAY + dt.timedelta(weeks=n)


def counts(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"cell": pl.Utf8, "week": pl.Date, "n": pl.Int64},
                        orient="row")


def test_pai_on_a_hand_made_grid():
    # 100 cells; that week 10 incidents: 6 in A, 3 in B, 1 in C.
    actual = {"A": 6, "B": 3, "C": 1}
    one = score(["A"], actual, area_cells=100, k=1)
    assert (one.hits, one.hit_rate, one.area_share) == (6, 0.6, 0.01)
    assert one.pai == pytest.approx(60.0)
    five = score(["C", "D", "E", "F", "G"], actual, area_cells=100, k=5)
    assert five.hit_rate == pytest.approx(0.1) and five.pai == pytest.approx(2.0)
    best = best_score(actual, area_cells=100, k=5)
    assert best.hit_rate == 1.0 and best.pai == pytest.approx(20.0)
    assert five.pai / best.pai == pytest.approx(0.1)  # PEI*


def test_the_area_share_is_one_and_five_percent_of_the_grid():
    assert cells_to_flag(2700, 0.01) == 27 and cells_to_flag(2700, 0.05) == 135
    assert cells_to_flag(10, 0.01) == 1  # never nothing
    with pytest.raises(AnalyticsInputError) as error:
        cells_to_flag(100, 0)
    assert error.value.field == "share"


def test_the_forecast_is_the_stated_mix_worked_by_hand():
    data = counts([("x", week(0), 2), ("x", week(2), 4), ("y", week(1), 1)])
    got = dict(forecast(data, target_week=week(3),
                        method=Method(half_life_weeks=1, recent_share=0.5)).iter_rows())
    # x: weights 1, 0.5, 0.25 for weeks 2, 1, 0 -> recent (4 + 0.5) / 1.75; long run 6 / 3.
    assert got["x"] == pytest.approx(0.5 * 4.5 / 1.75 + 0.5 * 2)
    assert got["y"] == pytest.approx(0.5 * 0.5 / 1.75 + 0.5 * 1 / 3)
    assert dict(naive(data, target_week=week(3)).iter_rows()) == {"x": 4.0}


def test_ties_are_broken_by_cell_so_the_flagged_cells_never_vary():
    predicted = pl.DataFrame({"cell": ["c", "a", "b", "z"], "expected": [1.0, 1.0, 2.0, 0.0]})
    assert top_cells(predicted, 2) == ["b", "a"]
    assert top_cells(predicted, 10) == ["b", "a", "c"]  # a cell expected to have none: never


def _history(seed: int, weeks: int = 20) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = [(f"c{c}", week(w), rng.randrange(0, 4 if c < 3 else 2))
            for w in range(weeks) for c in range(12)]
    return counts([r for r in rows if r[2]])


def _shuffled_from(data: pl.DataFrame, first: dt.date, seed: int) -> pl.DataFrame:
    """The same past; everything from `first` on shuffled between cells, and more added."""
    rng = random.Random(seed)
    past = data.filter(pl.col("week") < first)
    future = data.filter(pl.col("week") >= first)
    values = future.get_column("n").to_list()
    rng.shuffle(values)
    future = future.with_columns(pl.Series("n", values)).with_columns(
        pl.col("cell").shuffle(seed=seed))
    extra = counts([("c11", first, 50), ("new", first + dt.timedelta(weeks=1), 9)])
    return pl.concat([past, future, extra])


@pytest.mark.parametrize("gap", [0, 1])
def test_no_leakage_the_forecast_for_a_week_ignores_that_week_and_after(gap):
    data = _history(3)
    method = Method(gap_weeks=gap)
    target = week(14)
    changed = _shuffled_from(data, target - dt.timedelta(weeks=gap), seed=9)
    assert not changed.sort("cell", "week", "n").equals(data.sort("cell", "week", "n"))
    for fn in (forecast, naive):
        assert fn(data, target_week=target, method=method).equals(
            fn(changed, target_week=target, method=method))


def test_rolling_origin_scores_each_week_from_its_own_past_only():
    data = _history(4)
    targets = [week(w) for w in range(8, 16)]
    full = evaluate(data, target_weeks=targets, area_cells=100)
    later = _shuffled_from(data, week(12), seed=2)
    again = evaluate(later, target_weeks=targets, area_cells=100)
    before = [r for r in full.weeks if r.week < week(12)]
    assert before and before == [r for r in again.weeks if r.week < week(12)]


def test_evaluation_is_reproducible_and_summarised():
    data = _history(5)
    targets = [week(w) for w in range(8, 20)]
    one = evaluate(data, target_weeks=targets, area_cells=100)
    two = evaluate(data, target_weeks=targets, area_cells=100)
    assert one.weeks == two.weeks
    five = one.summary(0.05)
    assert five.weeks == 12
    assert five.forecast_pai == pytest.approx(
        sum(r.forecast.pai for r in one.weeks if r.share == 0.05) / 12)
    assert 0 < five.forecast_pei <= 1 and 0 <= five.naive_pei <= 1
    assert five.verdict in ("better than last week's hot spots",
                            "no better than last week's hot spots",
                            "worse than last week's hot spots")


def test_a_steady_hot_cell_is_found_where_last_week_missed_it():
    # "h" has incidents every week but the last; the baseline looks only at last week.
    rows = [("h", week(w), 3) for w in range(10)] + [("q", week(10), 1)]
    rows += [("h", week(11), 3), ("q", week(11), 0)]
    data = counts(rows)
    result = evaluate(data, target_weeks=[week(11)], area_cells=100, shares=(0.01,))
    (only,) = result.weeks
    assert only.forecast.hit_rate == 1.0 and only.naive.hit_rate == 0.0
    assert result.summary(0.01).verdict == "better than last week's hot spots"


def test_weeks_come_from_local_time_and_cells_from_h3():
    events = pl.DataFrame({
        "lat": [51.4545, 51.4545], "lng": [-2.5879, -2.5879],
        # 23:30 UTC on Sunday 29 March 2026 is 00:30 on Monday in London (summer time).
        "occurred_at": [dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC),
                        dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC)]})
    got = weekly_counts(events, resolution=9)
    assert sorted(got.get_column("week").to_list()) == [dt.date(2026, 3, 23),
                                                        dt.date(2026, 3, 30)]
    assert got.get_column("cell").n_unique() == 1


def test_bad_input_names_the_field():
    with pytest.raises(AnalyticsInputError) as error:
        forecast(pl.DataFrame({"cell": ["a"], "week": [MONDAY]}), target_week=MONDAY)
    assert error.value.field == "counts.n"
    with pytest.raises(AnalyticsInputError) as error:
        Method(recent_share=2)
    assert error.value.field == "recent_share"
    with pytest.raises(AnalyticsInputError) as error:
        score([], {}, area_cells=10, k=1)
    assert error.value.field == "actual"
