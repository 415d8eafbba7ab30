"""Working-day arithmetic across weekends, bank holidays and year ends."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from saferoptions.core import calendar

DATES = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2032, 12, 31))


def test_christmas_and_boxing_day_are_skipped():
    # Wed 23 Dec 2026 + 2 working days: 24th (Thu), then 25/26 Dec and 28 Dec (Boxing Day
    # substitute) are holidays or weekend, so Tue 29 Dec.
    assert calendar.add_working_days(dt.date(2026, 12, 23), 2) == dt.date(2026, 12, 29)


def test_easter_monday_is_not_a_working_day():
    assert not calendar.is_working_day(dt.date(2027, 3, 29))


def test_forty_five_working_days_crosses_the_year_end():
    due = calendar.add_working_days(dt.date(2026, 11, 27), 45)
    assert due == dt.date(2027, 2, 3)


@given(DATES, st.integers(min_value=0, max_value=300))
def test_adding_then_counting_round_trips(start, n):
    due = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, due) == n
    assert n == 0 or calendar.is_working_day(due)


@given(DATES, DATES)
def test_counting_is_antisymmetric(a, b):
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)
