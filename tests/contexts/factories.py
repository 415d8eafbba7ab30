"""Factories for places, groups and group membership."""

import datetime as dt

import factory

from saferoptions.contexts.models import Group, GroupMembership, Place
from saferoptions.core.models import Ward
from tests.core.factories import AgencyFactory, UserFactory
from tests.people.factories import PersonFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    place_type = "park"
    latitude = 51.45
    longitude = -2.59
    ward = factory.LazyFunction(lambda: Ward.objects.order_by("pk").first())


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    source = factory.SubFactory(AgencyFactory)


class ContextCaseFactory(factory.django.DjangoModelFactory):
    """A place case referred by a Hub practitioner."""

    class Meta:
        model = "contexts.ContextCase"

    kind = "place"
    place = factory.SubFactory(PlaceFactory)
    referred_by = factory.SubFactory(UserFactory, role="hub_practitioner")
    referral_reason = "Older men seen giving children lifts from the stairwell"
    opened_at = factory.LazyFunction(lambda: dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))


class ContextCorrectionFactory(factory.django.DjangoModelFactory):
    """A referral's words put right by a Hub practitioner."""

    class Meta:
        model = "contexts.ContextCorrection"

    case = factory.SubFactory(ContextCaseFactory)
    record = "referral"
    record_id = factory.SelfAttribute("case.pk")
    changes = factory.LazyFunction(lambda: [{"what": "What was seen or heard", "old": "Lifts",
                                             "new": "Lifts from the stairwell", "date": False}])
    reason = "The stairwell was left out"
    corrected_by = factory.SubFactory(UserFactory, role="hub_practitioner")
    corrected_at = factory.LazyFunction(lambda: dt.datetime(2026, 6, 2, 12, tzinfo=dt.UTC))
