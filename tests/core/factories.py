"""Factories for the partnership's shape: localities, agencies, teams and the people who sign in.

Every app's tests make users here, so a user means the same thing everywhere: a lead worker in
an agency of their own unless the test says otherwise, with a password that signs in.
"""

import factory

from saferoptions.core.models import Agency, AgencyKind, Locality, Role, Team, User

PASSWORD = "a long passphrase for tests"


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Test locality {n}")
    slug = factory.Sequence(lambda n: f"test-locality-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test agency {n}")
    slug = factory.Sequence(lambda n: f"test-agency-{n}")
    kind = AgencyKind.VOLUNTARY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Test team {n}")
    slug = factory.Sequence(lambda n: f"test-team-{n}")
    agency = factory.SubFactory(AgencyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A lead worker; `hub=True` makes a Hub practitioner in the seeded Hub team instead."""

    class Meta:
        model = User

    class Params:
        # The seeded Hub team, as partners' messages and the Hub's pages expect to find it.
        hub = factory.Trait(
            role=Role.HUB_PRACTITIONER,
            team=factory.LazyFunction(lambda: Team.objects.get(slug="hub")),
        )
        dpo = factory.Trait(role=Role.DATA_PROTECTION_OFFICER)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.LEAD_WORKER
    team = None
    # A member of a team works for the team's agency; anyone else gets an agency of their own.
    agency = factory.Maybe(
        "team",
        yes_declaration=factory.LazyAttribute(lambda o: o.team.agency),
        no_declaration=factory.SubFactory(AgencyFactory),
    )
    locality = None
    password = factory.django.Password(PASSWORD)
