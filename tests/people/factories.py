"""Factories for people, their agency identities and relationships."""

import datetime as dt

import factory

from saferoptions.people.models import Identity, Person, Relationship
from tests.core.factories import AgencyFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = dt.date(2011, 3, 4)
    locality = None


class IdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identity

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    source_id = factory.Sequence(lambda n: f"SRC{n}")
    given_name = factory.LazyAttribute(lambda o: o.person.given_name if o.person else "")
    family_name = factory.LazyAttribute(lambda o: o.person.family_name if o.person else "")
    date_of_birth = dt.date(2011, 3, 4)
    address = "1 Test Street"
    postcode = "BS1 1AA"
    nhs_number = "9434765919"


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    identity = factory.SubFactory(IdentityFactory)
    other_identity = factory.SubFactory(IdentityFactory)
    person = factory.LazyAttribute(lambda o: o.identity.person)
    other = factory.LazyAttribute(lambda o: o.other_identity.person)
    kind = "family"
    detail = "sibling"
    source = factory.LazyAttribute(lambda o: o.identity.agency)
