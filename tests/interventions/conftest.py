"""East Central on a Monday: a 14-year-old girl, her social worker, the Hub and providers."""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role, Team
from tests.cases.factories import TeamMemberFactory
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


@dataclass
class World:
    users: dict = field(default_factory=dict)
    child: object = None
    east: object = None
    mentor_team: object = None


def _user(name, role, agency, team=None, locality=None):
    return UserFactory(username=name, role=role, agency=Agency.objects.get(slug=agency),
                       team=Team.objects.get(slug=team) if team else None,
                       locality=Locality.objects.get(slug=locality) if locality else None,
                       first_name=name.title(), last_name="Tester")


@pytest.fixture
def world(db) -> World:
    w = World(east=Locality.objects.get(slug="east-central"))
    w.mentor_team = Team.objects.get(slug="mentor-easton-community-mentors")
    w.users = {
        "social_worker": _user("social_worker", Role.SOCIAL_WORKER, "social-care",
                               "social-care-east-central"),
        "hub": _user("hub", Role.HUB_PRACTITIONER, "social-care", "hub", "east-central"),
        "mentor": _user("mentor", Role.LEAD_WORKER, w.mentor_team.agency.slug,
                        w.mentor_team.slug),
        "other_mentor": _user("other_mentor", Role.LEAD_WORKER,
                              "mentor-knowle-west-mentors", "mentor-knowle-west-mentors"),
        "outsider": _user("outsider", Role.SOCIAL_WORKER, "social-care", "social-care-south"),
        "catalogue": _user("catalogue", Role.CATALOGUE_MANAGER, "community-safety"),
        "dpo": _user("dpo", Role.DATA_PROTECTION_OFFICER, "social-care"),
    }
    w.child = PersonFactory(given_name="Amara", family_name="Okafor", sex="F",
                            date_of_birth=dt.date(2011, 9, 14), locality=w.east)
    TeamMemberFactory(person=w.child, user=w.users["social_worker"],
                      started_on=dt.date(2026, 1, 5))
    return w
