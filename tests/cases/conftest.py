"""A small partnership around one child, with the clock fixed on a Monday morning."""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest

from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, Role
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
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
    agencies: dict = field(default_factory=dict)
    child: object = None
    other: object = None  # a child in the south: nobody here works with them
    north: object = None
    south: object = None


@pytest.fixture
def world(db) -> World:
    w = World(north=LocalityFactory(), south=LocalityFactory())
    for kind in ("social_care", "police", "barnardos", "licensing"):
        w.agencies[kind] = AgencyFactory(kind=getattr(AgencyKind, kind.upper()))
    team = TeamFactory(agency=w.agencies["social_care"])
    people = {
        "hub": (Role.HUB_PRACTITIONER, "social_care", w.north, None),
        "social_worker": (Role.SOCIAL_WORKER, "social_care", None, team),
        "manager": (Role.TEAM_MANAGER, "social_care", None, team),
        "lead": (Role.LEAD_WORKER, "barnardos", None, None),
        "police": (Role.POLICE_OFFICER, "police", None, None),
        "licensing": (Role.LICENSING_OFFICER, "licensing", None, None),
        "outsider": (Role.SOCIAL_WORKER, "social_care", None, None),
    }
    for name, (role, agency, locality, team_) in people.items():
        w.users[name] = UserFactory(username=name, role=role, agency=w.agencies[agency],
                                    locality=locality, team=team_, email=f"{name}@example.org")
    w.child = PersonFactory(given_name="Amara", family_name="Okafor", locality=w.north)
    w.other = PersonFactory(given_name="Zephyrine", family_name="Quillfeather",
                            locality=w.south)
    for name in ("social_worker", "lead"):
        TeamMemberFactory(person=w.child, user=w.users[name], started_on=dt.date(2026, 1, 5))
    AgreementFactory(provider=w.agencies["police"], recipient=w.agencies["social_care"],
                     categories=["identity", "police_incidents", "missing"],
                     purposes=["direct_work", "triage"])
    return w


def share_case_records(w, provider="social_care", recipient="barnardos"):
    """An agreement under which one agency's case records reach another's team members."""
    return AgreementFactory(provider=w.agencies[provider], recipient=w.agencies[recipient],
                            categories=["case_records"], purposes=["direct_work"])


def police_event(w, person, **kwargs):
    """A police stop-search about the person (social care may see it; Barnardo's may not)."""
    kwargs.setdefault("event_type", "stop_search")
    kwargs.setdefault("category", "weapon")
    event = EventFactory(reporting_agency=w.agencies["police"], **kwargs)
    InvolvementFactory(event=event, person=person, role="subject")
    return event


TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def same_page(one, other, *references) -> bool:
    """Two responses are the same page once per-request tokens and references are taken out."""
    def plain(response):
        body = TOKEN.sub(b"", response.content)
        for ref in references:
            body = body.replace(str(ref).encode(), b"REF")
        return body
    return one.status_code == other.status_code and plain(one) == plain(other)
