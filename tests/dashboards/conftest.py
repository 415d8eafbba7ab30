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
from saferoptions.interventions.models import Programme, ProgrammeArea, Referral
from saferoptions.tasks.models import Task, TaskOutcome, TaskRule
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import ContextCaseFactory, GroupFactory, PlaceFactory
from tests.core.factories import AgencyFactory, TeamFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory

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
    _sex_and_ethnicity(c)
    _referrals(c, rng)
    _risk_assessments(c, rng)
    return c


ETHNICITIES = ["white_british", "black_caribbean", "asian_pakistani", "mixed_other",
               "not_recorded", "white_other", "other_arab"]


def _sex_and_ethnicity(c: City) -> None:
    """Sexes and ethnic groups as agencies recorded them (one child's record changed since)."""
    agency = AgencyFactory(kind=AgencyKind.SOCIAL_CARE)
    for i, child in enumerate(c.children):
        child.sex = "FMU"[i % 3] if i % 5 else "M"
        child.save(update_fields=["sex"])
        IdentityFactory(person=child, agency=agency, ethnicity=ETHNICITIES[i % 7],
                        ethnicity_recorded_at=None if i % 7 == 4 else NOW - dt.timedelta(days=90))
        if i % 6 == 0:  # a later record says otherwise: the later one is the child's
            IdentityFactory(person=child, ethnicity="black_african",
                            ethnicity_recorded_at=NOW - dt.timedelta(days=3))


def _referrals(c: City, rng) -> None:
    programme = Programme.objects.order_by("pk").first()
    area = ProgrammeArea.objects.filter(programme=programme).first() or \
        ProgrammeArea.objects.create(programme=programme, locality=None, monthly_places=10)
    worker, provider = c.users[Role.HUB_PRACTITIONER], TeamFactory()
    for i in range(36):
        child = c.children[(i * 5 + 2) % len(c.children)]
        referred = _moment(rng)
        started = clock.local(referred).date() + dt.timedelta(days=rng.randint(0, 9)) \
            if i % 4 else None
        ended = started + dt.timedelta(days=rng.randint(1, 12)) if started and i % 3 == 0 \
            else None
        Referral.objects.create(
            person=child, programme=programme, team=provider, area=area,
            status="ended" if ended else ("started" if started else "waiting"),
            referred_by=worker, referred_at=referred, reason="test",
            young_person_consent="given", started_on=started, ended_on=ended,
            end_reason=("completed" if i % 2 else "disengaged") if ended else "")


def _risk_assessments(c: City, rng) -> None:
    rule = TaskRule.objects.create(slug="school-risk", name="School risk assessment",
                                   event_types=["school_incident"], task_type="risk_assessment",
                                   team_slug="hub", sla_hours=72)
    team = TeamFactory(locality=c.here)
    outcomes = ["not_excluded", "suspended", "not_excluded", "managed_move"]
    for i in range(28):
        child = c.children[(i * 7 + 3) % len(c.children)]
        happened = _moment(rng)
        task = Task.objects.create(rule=rule, rule_version=1, dedupe_key=f"r{i}",
                                   task_type="risk_assessment", team=team,
                                   person=child if i % 5 else None, created_at=happened,
                                   due_at=happened + dt.timedelta(hours=72), status="done",
                                   completed_at=happened)
        TaskOutcome.objects.create(
            task=task, version=1, task_type="risk_assessment", outcome=outcomes[i % 4],
            happened_at=happened, answers={"programme_instead": "yes" if i % 3 else "no"},
            recorded_by=c.users[Role.HUB_PRACTITIONER],
            state="withdrawn" if i == 13 else "current")


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
