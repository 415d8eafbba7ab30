"""Every clock's due date, across weekends, bank holidays and year ends."""

import datetime as dt

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.cases import timescales
from saferoptions.core.calendar import is_working_day, working_days_between

DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


def _local(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@given(DAYS, st.integers(min_value=1, max_value=60))
def test_a_working_day_clock_ends_on_a_working_day_exactly_n_working_days_later(day, n):
    due = timescales.after_working_days(_local(day), n)
    due_day = timezone.localdate(due)
    assert is_working_day(due_day)
    assert working_days_between(day, due_day) == n
    assert timezone.localtime(due).time() == timescales.END_OF_DAY


def test_triage_decision_due_by_the_end_of_the_next_working_day():
    friday = _local(dt.date(2026, 3, 27), 16)
    assert timezone.localdate(timescales.triage_due(friday)) == dt.date(2026, 3, 30)
    # Maundy Thursday -> Good Friday and Easter Monday are bank holidays in 2026.
    thursday = _local(dt.date(2026, 4, 2))
    assert timezone.localdate(timescales.triage_due(thursday)) == dt.date(2026, 4, 7)


def test_triage_over_christmas_and_new_year():
    christmas_eve = _local(dt.date(2026, 12, 24))
    # 25 Dec (Fri) and 28 Dec (substitute Boxing Day, Mon) are bank holidays.
    assert timezone.localdate(timescales.triage_due(christmas_eve)) == dt.date(2026, 12, 29)
    new_years_eve = _local(dt.date(2026, 12, 31))
    assert timezone.localdate(timescales.triage_due(new_years_eve)) == dt.date(2027, 1, 4)


def test_single_assessment_due_45_working_days_after_referral():
    assert timescales.assessment_due(dt.date(2026, 3, 2)) == dt.date(2026, 5, 7)
    assert working_days_between(dt.date(2026, 3, 2), dt.date(2026, 5, 7)) == 45


def test_initial_conference_15_and_core_group_10_working_days():
    strategy = dt.date(2026, 12, 16)  # across Christmas
    icpc = timezone.localdate(timescales.initial_conference_due(strategy))
    assert icpc == dt.date(2027, 1, 11)
    assert working_days_between(strategy, icpc) == 15
    core = timezone.localdate(timescales.core_group_due(dt.date(2026, 5, 1)))
    assert core == dt.date(2026, 5, 18)  # the early May and spring bank holidays skipped


def test_review_conferences_three_then_six_months():
    first = timescales.review_conference_due(dt.date(2026, 11, 30), first=True)
    later = timescales.review_conference_due(dt.date(2027, 2, 28), first=False)
    assert timezone.localdate(first) == dt.date(2027, 2, 28)
    assert timezone.localdate(later) == dt.date(2027, 8, 28)


def test_return_home_interview_due_72_hours_after_return():
    back = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)  # across the clocks going forward
    assert timescales.return_home_interview_due(back) == back + dt.timedelta(hours=72)


def test_nrm_reasonable_grounds_five_working_days_conclusive_from_settings(settings):
    rg = timescales.nrm_reasonable_grounds_due(dt.date(2026, 4, 1))
    assert timezone.localdate(rg) == dt.date(2026, 4, 10)  # Easter skipped
    settings.CASES_NRM_CONCLUSIVE_GROUNDS_DAYS = 30
    cg = timescales.nrm_conclusive_grounds_due(dt.date(2026, 4, 10))
    assert timezone.localdate(cg) == dt.date(2026, 5, 10)


def test_timescales_come_from_settings(settings):
    settings.CASES_ASSESSMENT_WORKING_DAYS = 10
    settings.CASES_RETURN_HOME_INTERVIEW_HOURS = 48
    assert timescales.assessment_due(dt.date(2026, 3, 2)) == dt.date(2026, 3, 16)
    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert timescales.return_home_interview_due(start) - start == dt.timedelta(hours=48)


START = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
DUE = START + dt.timedelta(hours=100)


def test_clock_states_in_words():
    def at(**delta):
        return START + dt.timedelta(**delta)

    assert timescales.state(START, DUE, None, at(hours=10)).label == "On time"
    assert timescales.state(START, DUE, None, at(hours=80)).label == "Due soon"
    assert timescales.state(START, DUE, None, at(hours=101)).label == "Overdue"
    assert timescales.state(START, DUE, at(hours=99), at(hours=200)).label == "Met"
    assert timescales.state(START, DUE, at(hours=120), at(hours=200)).label == "Met late"


@given(st.integers(min_value=0, max_value=300))
def test_a_clock_is_overdue_exactly_when_past_due_and_unmet(hours):
    now = START + dt.timedelta(hours=hours)
    code = timescales.state(START, DUE, None, now).code
    assert (code == timescales.OVERDUE) == (now > DUE)
