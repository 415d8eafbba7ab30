"""Factories for governance tests; people and events come from their own apps' factories."""

import datetime as dt

import factory

from saferoptions.core.models import Role
from saferoptions.governance.models import LegalHold
from tests.access.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory

__all__ = [
    "AgencyFactory",
    "EventFactory",
    "IdentityFactory",
    "InvolvementFactory",
    "PersonFactory",
    "RelationshipFactory",
    "UserFactory",
    "DpoFactory",
    "LegalHoldFactory",
]


class DpoFactory(UserFactory):
    role = Role.DATA_PROTECTION_OFFICER
    # An unusable password: these tests sign in with force_login, and hashing is slow.
    password = "!"


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    person_id = factory.LazyAttribute(lambda o: PersonFactory().pk)
    reason = "Inquiry reference INQ-1"
    placed_by = factory.SubFactory(DpoFactory)
    placed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
