"""A small partnership for dashboard tests: two localities' concerns, events, clocks, tasks,
NRM referrals and context cases, spread over six weeks so the period edges are exercised."""

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest

from saferoptions.cases.models import Concern, NrmReferral, StatutoryClock
from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, Locality, Role
from saferoptions.events.models import EventObject
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import ContextCaseFactory, GroupFactory, PlaceFactory
from tests.core.factories import AgencyFactory, TeamFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

# A Wednesday: the 4-week period runs from Monday 10 August 2026 (local time) to now.
NOW = dt.datetime(2026, 9, 2, 12, 0, tzinfo=dt.UTC)
FIRST = dt.datetime(2026, 7, 27, 6, 0, tzinfo=dt.UTC)  # two weeks before the period starts


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(NOW):
        yield


@dataclass
class City:
    here: Locality = None
    there: Locality = None
    users: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    known: object = None  # a child the Hub practitioner works with
    hidden: object = None  # a child in the other locality nobody here works with


def _moment(rng) -> dt.datetime:
    return FIRST + dt.timedelta(hours=rng.randrange(0, 38 * 24))


@pytest.fixture
def city(db) -> City:
    rng = random.Random(16)
    c = City()
    c.here, c.there = list(Locality.objects.order_by("pk")[:2])
    council = AgencyFactory(kind=AgencyKind.SOCIAL_CARE)
    for role in Role.values:
        c.users[role] = UserFactory(username=role, role=role, agency=council,
                                    locality=c.here if role in (Role.HUB_PRACTITIONER,
                                                               Role.LOCALITY_CHAIR) else None)
    births = [dt.date(2012, 5, 1), dt.date(2010, 9, 1), dt.date(2008, 12, 31),
              dt.date(2004, 2, 2), None]
    for i in range(24):
        c.children.append(PersonFactory(locality=c.here if i % 3 else c.there,
                                        date_of_birth=births[i % len(births)]))
    # The Hub practitioner triages its own locality's children and works with `known`;
    # `hidden` lives in the other locality and nobody here works with them.
    c.known, c.hidden = c.children[1], c.children[3]
    TeamMemberFactory(person=c.known, user=c.users[Role.HUB_PRACTITIONER])
    _concerns(c, rng)
    _events(c, rng)
    _clocks_and_tasks(c, rng)
    _nrm_and_cases(c, rng)
    return c


def _concerns(c: City, rng) -> None:
    outcomes = ["", "early_help", "no_further_action", "social_care_referral"]
    kinds = ["missing", "exploitation", "sexual_exploitation", "weapon"]
    for i in range(60):
        child = c.children[i % len(c.children)]
        raised = _moment(rng)
        outcome = outcomes[i % 4]
        Concern.objects.create(
            person=child, locality=child.locality if i % 11 else None, source="feed_rule",
            kind=kinds[i % 4], reason="test", raised_at=raised,
            due_at=raised + dt.timedelta(days=1), outcome=outcome,
            decided_at=raised + dt.timedelta(hours=rng.randrange(1, 60)) if outcome else None)


def _events(c: City, rng) -> None:
    police = AgencyFactory(kind=AgencyKind.POLICE)
    hospital = AgencyFactory(kind=AgencyKind.HOSPITAL_ED)
    wards = list(c.here.wards.all()[:2]) + list(c.there.wards.all()[:1])
    places = [PlaceFactory(ward=ward, latitude=51.45 + n * 0.001, longitude=-2.59)
              for n, ward in enumerate(wards)]
    kinds = [("police_incident", "knife", police), ("police_incident", "violence", police),
             ("ed_assault", "knife", hospital), ("ed_assault", "violence", hospital),
             ("stop_search", "drugs", police), ("missing_episode", "missing", police),
             ("police_incident", "exploitation", police),
             ("school_incident", "sexual_exploitation", police)]
    for i in range(160):
        event_type, category, agency = kinds[i % len(kinds)]
        event = EventFactory(event_type=event_type, category=category, occurred_at=_moment(rng),
                             reported_at=NOW, reporting_agency=agency,
                             place=places[i % 4] if i % 4 < 3 else None)
        role = {"ed_assault": "patient", "missing_episode": "missing_person",
                "stop_search": "subject"}.get(event_type, "victim")
        InvolvementFactory(event=event, person=c.children[(i * 7) % len(c.children)], role=role)
        InvolvementFactory(event=event, person=PersonFactory(), role="reporter")
        if event_type == "police_incident" and i % 5 == 0:
            EventObject.objects.create(event=event, kind="knife", description="Lock knife")


def _clocks_and_tasks(c: City, rng) -> None:
    rule = TaskRule.objects.create(slug="ed-rapid", name="ED rapid response",
                                   event_types=["ed_assault"], task_type="hospital_rapid_response",
                                   team_slug="hub", sla_hours=24)
    team = TeamFactory(locality=c.there)
    for i in range(40):
        child = c.children[(i * 5) % len(c.children)]
        start = _moment(rng)
        due = start + dt.timedelta(hours=72 if i % 2 else 24 * 60)
        met = start + dt.timedelta(hours=rng.randrange(1, 100)) if i % 3 else None
        StatutoryClock.objects.create(
            kind="return_home_interview" if i % 2 else "assessment", key=f"k{i}", person=child,
            locality=child.locality, started_at=start, due_at=due,
            met_at=met if met is None or met < NOW else None)
        done = i % 3 != 0
        Task.objects.create(rule=rule, rule_version=1, dedupe_key=f"t{i}",
                            task_type="hospital_rapid_response", team=team,
                            person=child if i % 4 else None, created_at=start,
                            due_at=start + dt.timedelta(hours=24),
                            status="done" if done else ("cancelled" if i % 9 == 0 else "open"),
                            completed_at=start + dt.timedelta(hours=rng.randrange(1, 40))
                            if done else None)


def _nrm_and_cases(c: City, rng) -> None:
    outcomes = ["", "positive", "negative"]
    for i in range(30):
        child = c.children[(i * 3 + 1) % len(c.children)]
        NrmReferral.objects.create(
            person=child, referred_on=clock.local(_moment(rng)).date(),
            reasonable_grounds=outcomes[i % 3], conclusive_grounds=outcomes[(i // 3) % 3]
            if i % 3 == 1 else "", recorded_by=c.users[Role.HUB_PRACTITIONER])
    for i in range(9):
        ward = (c.here if i % 2 else c.there).wards.first()
        if i % 3 == 0:
            ContextCaseFactory(kind="group", place=None,
                               group=GroupFactory(locality=None if i == 3 else ward.locality))
        else:
            ContextCaseFactory(place=PlaceFactory(ward=ward),
                               status="closed" if i == 8 else "referred")
