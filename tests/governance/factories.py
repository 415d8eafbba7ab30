"""Factories for governance tests; people, events and users come from their own apps' factories."""

import datetime as dt

import factory

from saferoptions.governance.models import LegalHold
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    person_id = factory.LazyAttribute(lambda o: PersonFactory().pk)
    reason = "Inquiry reference INQ-1"
    placed_by = factory.SubFactory(UserFactory, dpo=True)
    placed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
