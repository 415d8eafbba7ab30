"""Factories for locality meetings and their agendas (people, users and cases elsewhere)."""

import datetime as dt

import factory

from saferoptions.core.models import Locality
from saferoptions.meetings.models import (
    AgendaItem,
    Attendee,
    LocalityMeeting,
    MeetingAction,
    MeetingActionCorrection,
)
from tests.core.factories import TeamFactory, UserFactory
from tests.people.factories import PersonFactory

AT = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)  # a Tuesday, before the meeting


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalityMeeting

    locality = factory.LazyFunction(lambda: Locality.objects.get(slug="north"))
    held_on = dt.date(2026, 3, 3)
    starts_at = dt.time(10, 0)
    created_at = AT


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    kind = "added_by_chair"
    person = factory.SubFactory(PersonFactory)
    key = factory.LazyAttribute(lambda o: f"person:{o.person.pk}")
    why = "Added by the chair."
    sources = factory.LazyFunction(lambda: {"added_by_chair": True})
    position = factory.Sequence(lambda n: n + 1)
    created_at = AT


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda o: o.user.agency)
    invited_at = AT


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    item = factory.SubFactory(AgendaItemFactory)
    description = "Offer a return home interview"
    team = factory.SubFactory(TeamFactory)
    due_on = dt.date(2026, 3, 10)
    created_by = factory.SubFactory(UserFactory)
    created_at = AT


class MeetingActionCorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingActionCorrection

    action = factory.SubFactory(MeetingActionFactory)
    old_description = "Offer a return home interview"
    new_description = "Offer a return home interview within 72 hours"
    old_team = factory.SelfAttribute("action.team")
    new_team = factory.SelfAttribute("action.team")
    old_due_on = dt.date(2026, 3, 10)
    new_due_on = dt.date(2026, 3, 10)
    reason = "The time limit was left out"
    corrected_by = factory.SubFactory(UserFactory)
    corrected_at = AT
