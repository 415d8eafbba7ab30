"""Factories for the pathway: concerns, assessments, plans, clocks (people and users elsewhere)."""

import datetime as dt

import factory

from saferoptions.cases.models import Assessment, Concern, Plan, StatutoryClock

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    person = factory.SubFactory("tests.people.factories.PersonFactory")
    locality = factory.LazyAttribute(lambda o: o.person.locality if o.person else None)
    source = "practitioner"
    kind = "other"
    reason = "Seen with older men at the bus station late at night"
    raised_at = AT
    due_at = AT + dt.timedelta(days=1)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    person = factory.SubFactory("tests.people.factories.PersonFactory")
    worker = factory.SubFactory("tests.access.factories.UserFactory")
    referral_on = dt.date(2026, 3, 2)
    due_on = dt.date(2026, 5, 6)
    started_at = AT


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    person = factory.SubFactory("tests.people.factories.PersonFactory")
    worker = factory.SubFactory("tests.access.factories.UserFactory")
    kind = "contextual_safety"
    outcomes = "Safe from the group at the underpass"
    review_on = dt.date(2026, 6, 1)
    created_at = AT


class ClockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatutoryClock

    kind = "return_home_interview"
    key = factory.Sequence(lambda n: f"test:{n}")
    person = factory.SubFactory("tests.people.factories.PersonFactory")
    started_at = AT
    due_at = AT + dt.timedelta(hours=72)
