"""Factories for places, groups and group membership."""

import factory

from saferoptions.contexts.models import Group, GroupMembership, Place
from saferoptions.core.models import Ward


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
    person = factory.SubFactory("saferoptions.people.tests.factories.PersonFactory")
    source = factory.SubFactory("saferoptions.access.tests.factories.AgencyFactory")
