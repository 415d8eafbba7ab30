"""A licensing officer, the Hub, practitioners of three agencies, the DPO, and a child."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.cache import caches

from saferoptions.core import clock
from saferoptions.core.models import Agency, AgencyKind, Locality, Role, Team
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import PlaceFactory
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # Monday 2 March 2026


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def monday():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture(autouse=True)
def empty_throttle_cache(db):
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@dataclass
class World:
    users: dict = field(default_factory=dict)
    child: object = None
    other_child: object = None
    place: object = None


def _user(name, role, agency, team=None, locality=None):
    return UserFactory(username=name, role=role, agency=Agency.objects.get(slug=agency),
                       team=Team.objects.get(slug=team) if team else None,
                       locality=Locality.objects.get(slug=locality) if locality else None,
                       first_name=name.title(), last_name="Tester")


@pytest.fixture
def world(db) -> World:
    shop = Agency.objects.create(name="Late Night Takeaways Ltd", slug="takeaways",
                                 kind=AgencyKind.BUSINESS)
    w = World(place=PlaceFactory(name="Chicken Palace", place_type="takeaway"))
    w.users = {
        "licensing": _user("licensing", Role.LICENSING_OFFICER, "licensing", "licensing"),
        "hub": _user("hub", Role.HUB_PRACTITIONER, "social-care", "hub"),
        "social_worker": _user("social_worker", Role.SOCIAL_WORKER, "social-care",
                               "social-care-east-central"),
        "police": _user("police", Role.POLICE_OFFICER, "police", "police-exploitation"),
        "housing": _user("housing", Role.HOUSING_OFFICER, "housing", "housing"),
        "dpo": _user("dpo", Role.DATA_PROTECTION_OFFICER, "social-care"),
        "analyst": _user("analyst", Role.ANALYST, "community-safety", "strategy"),
        "business": UserFactory(username="shopkeeper", role=Role.COMMUNITY_MEMBER, agency=shop),
    }
    east = Locality.objects.get(slug="east-central")
    w.child = PersonFactory(given_name="Tyrese", family_name="Campbell-Okoro",
                            date_of_birth=dt.date(2011, 5, 3), locality=east)
    w.other_child = PersonFactory(given_name="Keisha", family_name="Montgomery-Ade",
                                  date_of_birth=dt.date(2010, 1, 9), locality=east)
    TeamMemberFactory(person=w.child, user=w.users["social_worker"],
                      started_on=dt.date(2026, 1, 5))
    return w


def signed_in(client, user):
    client.force_login(user)
    return client
