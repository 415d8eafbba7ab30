"""Factories for what access is decided on: information-sharing agreements and break-glass grants.

Agencies, teams and users come from tests.core.factories; teams around a child from
tests.cases.factories.
"""

import datetime as dt

import factory

from saferoptions.access.models import BreakGlassGrant, InformationSharingAgreement
from tests.core.factories import AgencyFactory, UserFactory
from tests.people.factories import PersonFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationSharingAgreement

    name = factory.Sequence(lambda n: f"Agreement {n}")
    provider = factory.SubFactory(AgencyFactory)
    recipient = factory.SubFactory(AgencyFactory)
    categories = factory.LazyFunction(lambda: ["identity"])
    purposes = factory.LazyFunction(lambda: ["direct_work"])
    lawful_basis = "safeguarding"
    starts_on = dt.date(2020, 1, 1)
    ends_on = None
    state = "approved"  # tests of the policy's reach need agreements in force


class BreakGlassGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassGrant

    user = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    reason = "Child presented at ED out of hours, need history"
    granted_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    expires_at = factory.LazyAttribute(lambda o: o.granted_at + dt.timedelta(hours=24))
