"""Outcome measures: events and concerns before and after a case opened, small counts hidden."""

import datetime as dt

import pytest

from saferoptions.contexts.outcomes import outcomes_for
from tests.events.factories import EventFactory, InvolvementFactory

from .factories import ContextCaseFactory, GroupFactory, MembershipFactory, PlaceFactory

pytestmark = pytest.mark.django_db
OPENED = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def _events(place, days_from_opening, opened=OPENED, **kwargs):
    for days in days_from_opening:
        EventFactory(place=place, occurred_at=opened + dt.timedelta(days=days), **kwargs)


def test_events_before_and_after_give_a_trend(settings):
    place = PlaceFactory()
    _events(place, [-80, -60, -50, -40, -30, -20, -10, -5, -2, -1])  # 10 before
    _events(place, [1, 3, 10, 20, 30, 40])  # 6 after, within 90 days of opening
    _events(place, [-200, 200])  # outside both windows
    case = ContextCaseFactory(place=place, opened_at=OPENED)
    events = outcomes_for(case).measures[0]
    assert (events.before, events.after) == (10, 6)
    assert events.trend == "fewer since the case opened"
    assert events.before_rate == round(10 * 30 / 90, 1)


def test_small_counts_are_suppressed_and_no_rate_gives_them_away():
    place = PlaceFactory()
    _events(place, [-10, -5, -3], event_type="community_concern", category="antisocial")
    _events(place, [2, 5, 8, 9, 11, 12, 13])
    case = ContextCaseFactory(place=place, opened_at=OPENED)
    events, concerns = outcomes_for(case).measures
    assert events.before == "<5" and events.after == "*"  # 3 and 7: 7 would give away 3
    assert events.before_rate is None and events.trend == "too few to say"
    assert concerns.before == "<5" and concerns.after == 0


def test_a_group_counts_events_involving_its_members():
    group = GroupFactory()
    member = MembershipFactory(group=group).person
    for days in range(-30, 0, 5):
        InvolvementFactory(person=member, event=EventFactory(
            occurred_at=OPENED + dt.timedelta(days=days)))
    InvolvementFactory(event=EventFactory(occurred_at=OPENED - dt.timedelta(days=3)))
    case = ContextCaseFactory(kind="group", place=None, group=group, opened_at=OPENED)
    assert outcomes_for(case).measures[0].before == 6


def test_no_trend_is_claimed_in_the_first_weeks(settings):
    place = PlaceFactory()
    opened = dt.datetime(2026, 8, 20, tzinfo=dt.UTC)  # 12 days before "now" in these tests
    _events(place, range(-60, 0, 6), opened=opened)  # 10 before, none since
    case = ContextCaseFactory(place=place, opened_at=opened)
    events = outcomes_for(case).measures[0]
    assert events.trend == "too early to say" and events.after_rate is None
