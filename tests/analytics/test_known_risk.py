"""The known-risk sum: windows, weights, and configuration errors that name the field."""

import datetime as dt

import pytest

from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.known_risk import (
    KnownRecord,
    indicator_for_event,
    indicators_from,
    what_is_known,
)

CONFIG = {
    "missing": {"label": "Missing episode", "weight": 3, "window_days": 90,
                "event_types": ["missing_episode"]},
    "exclusion": {"label": "School exclusion", "weight": 2, "window_days": 365,
                  "event_types": ["school_incident"], "categories": ["exclusion"]},
    "tie": {"label": "Tie", "weight": 1.5, "window_days": 365, "ties": True},
}
TODAY = dt.date(2026, 3, 2)


def test_only_records_inside_their_window_count_newest_first():
    indicators = indicators_from(CONFIG)
    records = [KnownRecord("missing", TODAY - dt.timedelta(days=89), "event", 1, "a"),
               KnownRecord("missing", TODAY - dt.timedelta(days=90), "event", 2, "b"),
               KnownRecord("exclusion", TODAY - dt.timedelta(days=200), "event", 3, "c"),
               KnownRecord("tie", TODAY, "tie", 4, "d"),
               KnownRecord("missing", TODAY + dt.timedelta(days=1), "event", 5, "future")]
    known = what_is_known(records, indicators=indicators, today=TODAY)
    assert [i.record.record_id for i in known.items] == [4, 1, 3]
    assert known.total == 1.5 + 3 + 2
    assert [(i.key, n, w) for i, n, w in known.subtotals()] == [
        ("missing", 1, 3), ("exclusion", 1, 2), ("tie", 1, 1.5)]


def test_an_event_counts_under_the_first_indicator_it_matches():
    indicators = indicators_from(CONFIG)
    assert indicator_for_event(indicators, "school_incident", "exclusion").key == "exclusion"
    assert indicator_for_event(indicators, "school_incident", "violence") is None
    assert indicator_for_event(indicators, "missing_episode", "missing").key == "missing"


@pytest.mark.parametrize(("entry", "field"), [
    ({"label": "x", "weight": -1, "window_days": 9, "ties": True}, "indicators.k.weight"),
    ({"label": "x", "weight": True, "window_days": 9, "ties": True}, "indicators.k.weight"),
    ({"label": "x", "weight": 1, "window_days": 0, "ties": True}, "indicators.k.window_days"),
    ({"label": " ", "weight": 1, "window_days": 9, "ties": True}, "indicators.k.label"),
    ({"label": "x", "weight": 1, "window_days": 9}, "indicators.k"),
])
def test_a_bad_indicator_names_its_field(entry, field):
    with pytest.raises(AnalyticsInputError) as error:
        indicators_from({"k": entry})
    assert error.value.field == field


def test_a_record_of_an_unconfigured_kind_is_refused():
    with pytest.raises(AnalyticsInputError, match="not a configured indicator"):
        what_is_known([KnownRecord("nope", TODAY, "event", 1, "")],
                      indicators=indicators_from(CONFIG), today=TODAY)
