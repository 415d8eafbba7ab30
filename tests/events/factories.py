"""Factories for events and who was involved in them."""

import datetime as dt

import factory

from saferoptions.events.models import Event, Involvement
from tests.core.factories import AgencyFactory
from tests.people.factories import PersonFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    event_type = "police_incident"
    category = "violence"
    occurred_at = dt.datetime(2026, 1, 1, 20, 0, tzinfo=dt.UTC)
    reported_at = dt.datetime(2026, 1, 1, 21, 0, tzinfo=dt.UTC)
    reporting_agency = factory.SubFactory(AgencyFactory)
    source_reference = factory.Sequence(lambda n: f"EV{n}")
    place = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class._default_manager.create(*args, **kwargs)


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    role = "victim"
