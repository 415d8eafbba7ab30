"""Factories for the interventions app's models (one per model, added as tests need them)."""

import datetime as dt

import factory

from saferoptions.interventions.models import (
    ParticipationActivity,
    ParticipationChild,
    Programme,
)
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory


class ParticipationActivityFactory(factory.django.DjangoModelFactory):
    """An activity of the seeded "Peer influencers" strand, held city-wide."""

    class Meta:
        model = ParticipationActivity

    programme = factory.LazyFunction(lambda: Programme.objects.get(name="Peer influencers"))
    held_on = dt.date(2026, 2, 20)
    locality = None
    what_happened = "Peer influencers planned an assembly on knife carrying."
    young_people = 8
    parents_carers = 0
    own_words = "We want younger ones to hear it from us."
    recorded_by = factory.SubFactory(UserFactory)


class ParticipationChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationChild

    activity = factory.SubFactory(ParticipationActivityFactory)
    person = factory.SubFactory(PersonFactory, kind="child")
