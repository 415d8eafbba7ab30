"""Factories for the partnership side of access tests: agencies, teams, users, agreements."""

import datetime as dt

import factory

from saferoptions.access.models import BreakGlassGrant, InformationSharingAgreement
from saferoptions.cases.models import MeetingAttendance, TeamAroundChildMember
from saferoptions.core.models import Agency, AgencyKind, Locality, Role, Team, User


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
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.LEAD_WORKER
    agency = factory.SubFactory(AgencyFactory)
    team = None
    locality = None
    password = factory.django.Password("a long test passphrase 1")


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


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamAroundChildMember

    person = factory.SubFactory("tests.people.factories.PersonFactory")
    user = factory.SubFactory(UserFactory)
    role = "member"
    started_on = dt.date(2020, 1, 1)
    ended_on = None


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    person = factory.SubFactory("tests.people.factories.PersonFactory")
    user = factory.SubFactory(UserFactory)
    meeting_on = dt.date(2026, 1, 6)


class BreakGlassGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassGrant

    user = factory.SubFactory(UserFactory)
    person = factory.SubFactory("tests.people.factories.PersonFactory")
    reason = "Child presented at ED out of hours, need history"
    granted_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    expires_at = factory.LazyAttribute(lambda o: o.granted_at + dt.timedelta(hours=24))
