"""Demand forecasts: 80% intervals that cover about 80% of what happened, reproducibly."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from saferoptions.analytics import demand
from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.city.generator import generate
from saferoptions.city.recording import LONDON
from saferoptions.core.reference import WARDS

START = dt.date(2024, 1, 1)  # a Monday


@pytest.fixture(scope="module")
def series():
    """Weekly missing episodes and police incidents per locality of a synthetic city."""
    city = generate(children=3000, seed=23, months=24, start=START)
    locality = {code: loc for _name, code, loc, _lat, _lng in WARDS}
    people = city.people
    rows = []
    for e in city.events:
        if e.event_type not in ("missing_episode", "police_incident") or not e.involvements:
            continue
        person = city.identities[e.involvements[0][0]].person_key
        ward = people[int(person[2:])].ward_code
        day = e.occurred_at.astimezone(LONDON).date()
        rows.append((f"{e.event_type}:{locality[ward]}", day - dt.timedelta(days=day.weekday())))
    weeks = [START + dt.timedelta(weeks=w) for w in range((city.end - START).days // 7)]
    frame = pl.DataFrame(rows, orient="row", schema={"group": pl.Utf8, "week": pl.Date})
    return demand.weekly_series(frame.filter(pl.col("week") <= weeks[-1]), weeks=weeks)


def test_eighty_percent_intervals_cover_seventy_to_ninety_percent_of_held_out_weeks(series):
    inside = outcomes = 0
    for history in series.values():
        got = demand.past_coverage(history, first_week=START, origins=24, horizon=4, seed=1)
        inside, outcomes = inside + got.inside, outcomes + got.outcomes
    assert outcomes >= 100
    assert 0.70 <= inside / outcomes <= 0.90


def test_the_same_seed_gives_the_same_forecast(series):
    history = next(iter(series.values()))
    a = demand.forecast(history, first_week=START, horizon=12, seed=4)
    b = demand.forecast(history, first_week=START, horizon=12, seed=4)
    assert a == b and len(a) == 12
    assert a[0].week == START + dt.timedelta(weeks=len(history))
    assert all(w.low <= w.expected <= w.high for w in a)


def test_a_growing_count_is_forecast_to_keep_growing():
    history = [int(5 + w / 4) for w in range(52)]
    ahead = demand.forecast(history, first_week=START, horizon=8, seed=0)
    assert ahead[-1].expected > np.mean(history)


def test_a_count_that_never_happened_is_forecast_as_nothing():
    ahead = demand.forecast([0] * 20, first_week=START, horizon=4)
    assert all((w.low, w.high, w.expected) == (0, 0, 0.0) for w in ahead)


def test_a_count_recorded_only_lately_is_not_forecast_from_the_zeros_before_it():
    with pytest.raises(AnalyticsInputError) as error:
        demand.forecast([0] * 50 + [90, 110], first_week=START, horizon=4)
    assert "since the first record" in error.value.reason
    ahead = demand.forecast([0] * 30 + [10] * 20, first_week=START, horizon=12, seed=2)
    assert all(8 < w.expected < 12.5 for w in ahead)


@pytest.mark.parametrize(("history", "horizon", "field"), [
    ([1] * 5, 4, "history"), ([1] * 20 + [-1], 4, "history"), ([1] * 20, 0, "horizon"),
    ([1] * 20, 27, "horizon"),
])
def test_bad_input_names_the_field(history, horizon, field):
    with pytest.raises(AnalyticsInputError) as error:
        demand.forecast(history, first_week=START, horizon=horizon)
    assert error.value.field == field
