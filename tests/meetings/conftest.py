"""North locality on the Tuesday of its meeting: a chair, partners, and children to discuss."""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role, Team
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .factories import AT, AttendeeFactory, MeetingFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tuesday():
    with clock.frozen(AT):
        yield AT


@dataclass
class World:
    north: object = None
    south: object = None
    meeting: object = None
    users: dict = field(default_factory=dict)
    # known to police and social care: police may see them through their own record
    known_to_police: object = None
    # known to health and social care only: police have no record and no agreement
    health_only: object = None


def _user(name, role, agency, team=None, locality=None):
    return UserFactory(username=name, role=role, agency=Agency.objects.get(slug=agency),
                       team=Team.objects.get(slug=team) if team else None,
                       locality=Locality.objects.get(slug=locality) if locality else None,
                       first_name=name.title(), last_name="Tester")


@pytest.fixture
def world(db) -> World:
    w = World(north=Locality.objects.get(slug="north"), south=Locality.objects.get(slug="south"))
    w.users = {
        "chair": _user("chair", Role.LOCALITY_CHAIR, "social-care", "social-care-north", "north"),
        "south_chair": _user("southchair", Role.LOCALITY_CHAIR, "social-care",
                             "social-care-south", "south"),
        "police": _user("police", Role.POLICE_OFFICER, "police", "police-violence-reduction"),
        "other_police": _user("otherpolice", Role.POLICE_OFFICER, "police",
                              "police-violence-reduction"),
        "early_help": _user("earlyhelp", Role.EARLY_HELP_WORKER, "early-help",
                            "early-help-north", "north"),
        "admin": _user("admin", Role.SYSTEM_ADMINISTRATOR, "social-care"),
    }
    w.known_to_police = PersonFactory(given_name="Amara", family_name="Okafor", locality=w.north)
    IdentityFactory(person=w.known_to_police, agency=Agency.objects.get(slug="police"))
    IdentityFactory(person=w.known_to_police, agency=Agency.objects.get(slug="social-care"))
    w.health_only = PersonFactory(given_name="Zephyrine", family_name="Quillfeather",
                                  locality=w.north)
    IdentityFactory(person=w.health_only, agency=Agency.objects.get(slug="health"))
    IdentityFactory(person=w.health_only, agency=Agency.objects.get(slug="social-care"))
    w.meeting = MeetingFactory(locality=w.north, held_on=dt.date(2026, 3, 3))
    AttendeeFactory(meeting=w.meeting, user=w.users["police"])
    return w
