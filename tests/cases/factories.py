"""Factories for the pathway: concerns, assessments, plans, clocks and the team around a child.

People come from tests.people.factories, users from tests.core.factories.
"""

import datetime as dt

import factory

from saferoptions.cases.models import (
    Assessment,
    Concern,
    MeetingAttendance,
    Plan,
    StatutoryClock,
    TeamAroundChildMember,
)
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    person = factory.SubFactory(PersonFactory)
    locality = factory.LazyAttribute(lambda o: o.person.locality if o.person else None)
    source = "practitioner"
    kind = "other"
    reason = "Seen with older men at the bus station late at night"
    raised_at = AT
    due_at = AT + dt.timedelta(days=1)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    person = factory.SubFactory(PersonFactory)
    worker = factory.SubFactory(UserFactory)
    referral_on = dt.date(2026, 3, 2)
    due_on = dt.date(2026, 5, 6)
    started_at = AT


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    person = factory.SubFactory(PersonFactory)
    worker = factory.SubFactory(UserFactory)
    kind = "contextual_safety"
    outcomes = "Safe from the group at the underpass"
    review_on = dt.date(2026, 6, 1)
    created_at = AT


class ClockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatutoryClock

    kind = "return_home_interview"
    key = factory.Sequence(lambda n: f"test:{n}")
    person = factory.SubFactory(PersonFactory)
    started_at = AT
    due_at = AT + dt.timedelta(hours=72)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamAroundChildMember

    person = factory.SubFactory(PersonFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"
    started_on = dt.date(2020, 1, 1)
    ended_on = None


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    person = factory.SubFactory(PersonFactory)
    user = factory.SubFactory(UserFactory)
    meeting_on = dt.date(2026, 1, 6)
