"""Factories for intelligence's models (one per model, as tests/core/test_factories.py asks;
most tests build reports through the services instead, as partners do)."""

import factory

from saferoptions.intelligence.models import EncodedCheck
from tests.core.factories import UserFactory


class EncodedCheckFactory(factory.django.DjangoModelFactory):
    """An encoding waiting for the worker's check (bytes only: no name, date or postcode)."""

    class Meta:
        model = EncodedCheck

    encoding = factory.LazyFunction(lambda: bytes(128))
    fields = "dob family given"
    reported_by = factory.SubFactory(UserFactory)
