"""Factories for governance tests; people, events and users come from their own apps' factories."""

import datetime as dt

import factory

from saferoptions.core import clock
from saferoptions.governance.models import AuditVerificationRun, LegalHold
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    person_id = factory.LazyAttribute(lambda o: PersonFactory().pk)
    reason = "Inquiry reference INQ-1"
    placed_by = factory.SubFactory(UserFactory, dpo=True)
    placed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class AuditVerificationRunFactory(factory.django.DjangoModelFactory):
    """A check of the audit trail the DPO asked for, still waiting for the worker."""

    class Meta:
        model = AuditVerificationRun

    requested_by = factory.SubFactory(UserFactory, dpo=True)
    requested_at = factory.LazyFunction(clock.now)
