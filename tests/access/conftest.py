"""A small partnership with one child in everyone's work and one canary child in no one's."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

import pytest

from saferoptions.core.models import AgencyKind, Role
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import GroupFactory, MembershipFactory, PlaceFactory
from tests.core.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .factories import AgreementFactory

CANARY_GIVEN, CANARY_FAMILY = "Zephyrine", "Quillfeather"
CANARY_DOB = dt.date(2010, 7, 19)
CANARY_TEXTS = [CANARY_GIVEN, CANARY_FAMILY, "2010-07-19", "19 July 2010", "19/07/2010",
                "Canary Lane"]
# Roles whose work with a child gives them its record (team around the child).
PRACTITIONERS = [
    Role.HUB_PRACTITIONER, Role.SOCIAL_WORKER, Role.EARLY_HELP_WORKER, Role.LEAD_WORKER,
    Role.CLINICAL_PSYCHOLOGIST, Role.POLICE_OFFICER, Role.EDUCATION_INCLUSION_MANAGER,
    Role.HEALTH_PRACTITIONER, Role.HOUSING_OFFICER, Role.LOCALITY_CHAIR,
]
NO_RECORDS = [Role.LICENSING_OFFICER, Role.COMMUNITY_MEMBER, Role.STRATEGIC_LEAD, Role.ANALYST,
              Role.SYSTEM_ADMINISTRATOR]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Scene:
    users: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    mine: object = None  # in the team around the child of every practitioner persona
    canary: object = None  # nobody's child: only the data protection officer may open it
    absent: uuid.UUID = field(default_factory=uuid.uuid4)
    place: object = None
    group: object = None


@pytest.fixture
def scene(db) -> Scene:
    s = Scene()
    north, south = LocalityFactory(), LocalityFactory()
    for kind in ["police", "social_care", "hospital_ed", "licensing", "barnardos"]:
        s.agencies[kind] = AgencyFactory(kind=getattr(AgencyKind, kind.upper()))
    team = TeamFactory(agency=s.agencies["social_care"])
    agency_of = {Role.POLICE_OFFICER: "police", Role.HEALTH_PRACTITIONER: "hospital_ed",
                 Role.LICENSING_OFFICER: "licensing", Role.LEAD_WORKER: "barnardos"}
    for role in Role.values:
        s.users[role] = UserFactory(
            username=role, role=role, agency=s.agencies[agency_of.get(role, "social_care")],
            locality=north if role == Role.HUB_PRACTITIONER else None,
            team=team if role in (Role.TEAM_MANAGER, Role.SOCIAL_WORKER) else None)
    s.mine = PersonFactory(given_name="Ashanti", family_name="Mbeki", locality=north)
    s.canary = PersonFactory(given_name=CANARY_GIVEN, family_name=CANARY_FAMILY,
                             date_of_birth=CANARY_DOB, locality=south)
    for role in PRACTITIONERS:
        if role != Role.HUB_PRACTITIONER:  # the Hub sees the child through its locality
            lead = "lead_professional" if role == Role.LEAD_WORKER else "member"
            TeamMemberFactory(person=s.mine, user=s.users[role], role=lead)
    _records(s)
    return s


def _records(s: Scene):
    police, hospital = s.agencies["police"], s.agencies["hospital_ed"]
    for person in (s.mine, s.canary):
        IdentityFactory(person=person, agency=police, address="1 Canary Lane"
                        if person == s.canary else "2 Known Road")
        IdentityFactory(person=person, agency=hospital)
    AgreementFactory(provider=police, recipient=s.agencies["social_care"],
                     categories=["identity", "police_incidents"],
                     purposes=["direct_work", "triage"])
    s.place = PlaceFactory()
    s.group = GroupFactory()
    for person in (s.mine, s.canary):
        InvolvementFactory(person=person, event=EventFactory(reporting_agency=police,
                                                             place=s.place))
        MembershipFactory(person=person, group=s.group, source=police)
