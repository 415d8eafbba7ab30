"""Before/after counts and matched children, against a plain reference where the space is large."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.analytics import outcomes
from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.outcomes import Candidate, EventIndex, Occurrence, Referred

START, END = dt.date(2025, 6, 1), dt.date(2025, 9, 30)
TODAY = dt.date(2026, 3, 2)


def occ(person, measure, on):
    return Occurrence(person, measure, on)


def test_events_are_classed_into_the_four_measures():
    assert outcomes.measure_of("missing_episode", "missing") == "missing"
    assert outcomes.measure_of("school_incident", "exclusion") == "exclusions"
    assert outcomes.measure_of("school_incident", "knife") is None
    assert outcomes.measure_of("stop_search", "drugs") == "police"
    assert outcomes.measure_of("ed_assault", "violence") == "ed"
    assert outcomes.measure_of("housing_report", "other") is None


def test_windows_are_the_ninety_days_either_side_with_the_edges_exact():
    index = EventIndex([
        occ(1, "missing", START - dt.timedelta(days=91)),  # too early
        occ(1, "missing", START - dt.timedelta(days=90)),  # first day before
        occ(1, "missing", START - dt.timedelta(days=1)),
        occ(1, "missing", START),  # the start day: neither
        occ(1, "missing", END),  # the end day: neither
        occ(1, "missing", END + dt.timedelta(days=90)),  # last day after
        occ(1, "missing", END + dt.timedelta(days=91)),  # too late
        occ(1, "police", START - dt.timedelta(days=3)),
    ])
    changes = outcomes.before_after(index, 1, ["missing", "police"], START, END, TODAY)
    assert [(c.measure, c.before, c.after) for c in changes] == \
        [("missing", 2, 1), ("police", 1, 0)]


def test_an_after_window_still_open_is_not_counted():
    index = EventIndex([occ(1, "missing", END + dt.timedelta(days=2))])
    soon = END + dt.timedelta(days=30)
    assert outcomes.before_after(index, 1, ["missing"], START, END, soon)[0].after is None
    assert outcomes.before_after(index, 1, ["missing"], START, None, TODAY)[0].after is None
    assert outcomes.before_after(index, 1, ["missing"], None, None, TODAY)[0].before is None


def test_unknown_measures_are_refused_naming_the_field():
    with pytest.raises(AnalyticsInputError) as error:
        outcomes.before_after(EventIndex([]), 1, ["burglary"], START, END, TODAY)
    assert error.value.field == "measures"
    with pytest.raises(AnalyticsInputError):
        EventIndex([occ(1, "burglary", START)])


def test_age_bands():
    assert outcomes.age_band(dt.date(2011, 9, 14), dt.date(2026, 3, 2)) == "14-15"
    assert outcomes.age_band(dt.date(2012, 3, 3), dt.date(2026, 3, 2)) == "10-13"
    assert outcomes.age_band(None, dt.date(2026, 3, 2)) is None


def referred(rid, person, locality=7, born=dt.date(2011, 1, 1)):
    return Referred(rid, person, locality, born, START, END)


def test_matching_takes_the_same_band_and_locality_and_the_closest_before_count():
    before = START - dt.timedelta(days=10)
    index = EventIndex([occ(1, "missing", before)] * 3
                       + [occ(10, "missing", before)] * 3  # wrong locality
                       + [occ(11, "missing", before)] * 3  # too young
                       + [occ(12, "missing", before)] * 1  # too far (gap 2)
                       + [occ(13, "missing", before)] * 2  # gap 1
                       + [occ(14, "missing", before)] * 3)  # exact
    pool = [Candidate(10, 8, dt.date(2011, 1, 1)), Candidate(11, 7, dt.date(2015, 1, 1)),
            Candidate(12, 7, dt.date(2011, 5, 1)), Candidate(13, 7, dt.date(2010, 6, 1)),
            Candidate(14, 7, dt.date(2011, 2, 1))]
    assert outcomes.match([referred(100, 1)], pool, index, ["missing"]) == {100: 14}
    # Used once: a second referral with the same profile takes the next closest.
    index2 = EventIndex([*[occ(1, "missing", before)] * 3, *[occ(2, "missing", before)] * 3,
                         *[occ(14, "missing", before)] * 3, *[occ(13, "missing", before)] * 2])
    assert outcomes.match([referred(100, 1), referred(101, 2)], pool, index2, ["missing"]) == \
        {100: 14, 101: 13}
    assert outcomes.match([referred(100, 1)], pool, index, ["missing"], tolerance=0) == {100: 14}
    assert outcomes.match([referred(100, 1, born=None)], pool, index, ["missing"]) == {100: None}


days = st.integers(min_value=-200, max_value=400).map(lambda n: START + dt.timedelta(days=n))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(outcomes.MEASURES), days), max_size=40))
def test_window_counts_agree_with_a_plain_reference(rows):
    index = EventIndex(occ(1, m, d) for m, d in rows)
    changes = {c.measure: c for c in outcomes.before_after(index, 1, outcomes.MEASURES,
                                                           START, END, TODAY)}
    for measure in outcomes.MEASURES:
        mine = [d for m, d in rows if m == measure]
        assert changes[measure].before == sum(0 < (START - d).days <= 90 for d in mine)
        assert changes[measure].after == sum(0 < (d - END).days <= 90 for d in mine)


def test_totals_and_median():
    index = EventIndex([occ(1, "ed", START - dt.timedelta(days=5)),
                        occ(2, "ed", END + dt.timedelta(days=5))])
    result = outcomes.totals([(1, START, END), (2, START, END)], index, ["ed"])
    assert (result.children, result.before, result.after) == (2, {"ed": 1}, {"ed": 1})
    assert outcomes.median([3, 1, 2]) == 2 and outcomes.median([1, 4]) == 2.5
    assert outcomes.median([]) is None
