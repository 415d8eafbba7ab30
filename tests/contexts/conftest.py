"""A small partnership for context tests: a Hub practitioner who works with one child, a
second child nobody here works with, and the roles around contexts."""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest

from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, Role, Ward
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .factories import GroupFactory, MembershipFactory, PlaceFactory

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
HIDDEN_GIVEN, HIDDEN_FAMILY = "Zephyrine", "Quillfeather"
NOW = "2026-09-01T12:00:00+00:00"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(dt.datetime.fromisoformat(NOW)):
        yield


@dataclass
class World:
    users: dict = field(default_factory=dict)
    police: object = None
    hospital: object = None
    known: object = None  # a child the Hub practitioner works with
    hidden: object = None  # a child nobody here works with
    place: object = None
    group: object = None


@pytest.fixture
def world(db) -> World:
    w = World()
    w.police = AgencyFactory(kind=AgencyKind.POLICE)
    w.hospital = AgencyFactory(kind=AgencyKind.HOSPITAL_ED)
    council = AgencyFactory(kind=AgencyKind.SOCIAL_CARE)
    # The locality of the places the factories make, so the Hub's cases are in its scope.
    north = Ward.objects.order_by("pk").first().locality
    for role in Role.values:
        # A Hub practitioner triages their own locality's children: give them one.
        w.users[role] = UserFactory(username=role, role=role, agency=council,
                                    locality=north if role == Role.HUB_PRACTITIONER else None)
    w.known = PersonFactory(given_name="Ashanti", family_name="Mbeki", locality=north)
    w.hidden = PersonFactory(given_name=HIDDEN_GIVEN, family_name=HIDDEN_FAMILY)
    for role in (Role.HUB_PRACTITIONER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER):
        TeamMemberFactory(person=w.known, user=w.users[role])
    w.place = PlaceFactory(name="Stokes Croft underpass", place_type="street")
    w.group = GroupFactory(name="Bus station group")
    for person in (w.known, w.hidden):
        InvolvementFactory(person=person, event=EventFactory(reporting_agency=w.police,
                                                             place=w.place))
        MembershipFactory(person=person, group=w.group, source=w.police)
    return w


def same_page(one, other) -> bool:
    """Two responses identical but for per-request tokens (forbidden must look like absent)."""
    return TOKEN.sub(b"", one.content) == TOKEN.sub(b"", other.content)
