"""Honest gaps on the child's page and chronology (how many, whom to ask), a sibling's event
where the agreement allows it, and break-glass reading as the team around the child does."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.access.models import BreakGlassGrant
from saferoptions.access.partnership import ensure_partnership_agreements
from saferoptions.cases.models import Assessment
from saferoptions.core import clock
from saferoptions.core.models import Agency, Role, Team
from saferoptions.events.models import Event
from saferoptions.people.models import Relationship
from tests.cases.factories import AssessmentFactory, TeamMemberFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)
POLICE_GAP = "1 police record you may not see: ask Avon and Somerset Police, Police Exploitation"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _agency(slug):
    return Agency.objects.get(slug=slug)


def _user(role, slug, team):
    return UserFactory(role=role, agency=_agency(slug), team=Team.objects.get(slug=team))


def _event(person, slug, event_type="police_incident", category="violence"):
    event = EventFactory(reporting_agency=_agency(slug), event_type=event_type,
                         category=category)
    InvolvementFactory(person=person, event=event)
    return event


def _page(client, user, name, person):
    client.force_login(user)
    return client.get(reverse(name, args=[person.public_id]))


@pytest.mark.parametrize("name", ["cases:child", "cases:chronology"])
def test_the_hub_is_told_how_many_police_records_it_may_not_see_and_whom_to_ask(client, name):
    child = PersonFactory()
    _event(child, "police")
    hub = _user(Role.HUB_PRACTITIONER, "social-care", "hub")
    body = _page(client, hub, name, child).content.decode()
    assert POLICE_GAP in body
    # Once the Hub's triage agreement is in force the incident is evidence, not a gap; an
    # exploitation report is still withheld from triage, and said so.
    ensure_partnership_agreements(starts_on=START)
    _event(child, "police", category="sexual_exploitation")
    body = _page(client, hub, name, child).content.decode()
    assert body.count("you may not see: ask") == 1 and POLICE_GAP in body


def test_a_team_member_with_every_record_shared_gets_no_notice(client):
    child = PersonFactory()
    _event(child, "police")
    nurse = _user(Role.HEALTH_PRACTITIONER, "hospital-ed", "hospital-ed")
    TeamMemberFactory(person=child, user=nurse)
    assert POLICE_GAP in _page(client, nurse, "cases:child", child).content.decode()
    ensure_partnership_agreements(starts_on=START)
    assert "you may not see: ask" not in _page(client, nurse, "cases:child", child).content.decode()


def test_no_one_outside_the_childs_work_hears_of_withheld_records(client):
    child = PersonFactory()
    _event(child, "police")
    nurse = _user(Role.HEALTH_PRACTITIONER, "hospital-ed", "hospital-ed")  # not on the team
    for name in ("cases:child", "cases:chronology"):
        response = _page(client, nurse, name, child)
        assert response.status_code == 404
        assert b"you may not see: ask" not in response.content


def _siblings():
    """A Year 9 pupil and an older brother, the tie recorded by the police from his side."""
    pupil, brother = PersonFactory(given_name="Tyrese"), PersonFactory(given_name="Jermaine")
    police = _agency("police")
    RelationshipFactory(identity=IdentityFactory(person=brother, agency=police),
                        other_identity=IdentityFactory(person=pupil, agency=police),
                        detail="brother")
    stop = _event(brother, "police", "stop_search", "weapon")
    return pupil, brother, stop


def test_a_siblings_stop_and_search_shows_as_a_sibling_only_where_the_agreement_allows(client):
    pupil, brother, stop = _siblings()
    manager = _user(Role.EDUCATION_INCLUSION_MANAGER, "education", "education-inclusion")
    TeamMemberFactory(person=pupil, user=manager)
    decision = policy.decision_for(manager, pupil)
    assert not policy.sibling_event_rows(decision, Event.objects.all()).exists()
    body = _page(client, manager, "cases:child", pupil).content.decode()
    assert "a sibling" not in body
    ensure_partnership_agreements(starts_on=START)  # police share incidents with the team
    decision = policy.decision_for(manager, pupil)
    assert list(policy.sibling_event_rows(decision, Event.objects.all())) == [stop]
    for name in ("cases:child", "cases:chronology"):
        body = _page(client, manager, name, pupil).content.decode()
        assert "Stop and search (Weapon)" in body and "a sibling" in body, name
        assert brother.given_name not in body, "the sibling is never named here"
    assert policy.decision_for(manager, brother) is None, "nor may she open his record"


def test_a_family_tie_that_is_not_a_siblings_shares_nothing():
    pupil, brother, _ = _siblings()
    Relationship.objects.update(detail="uncle")
    manager = _user(Role.EDUCATION_INCLUSION_MANAGER, "education", "education-inclusion")
    TeamMemberFactory(person=pupil, user=manager)
    ensure_partnership_agreements(starts_on=START)
    decision = policy.decision_for(manager, pupil)
    assert not policy.sibling_event_rows(decision, Event.objects.all()).exists()


def test_break_glass_reads_what_a_member_of_the_team_reads(client):
    child = PersonFactory()
    events = {_event(child, slug, kind, category).pk for slug, kind, category in [
        ("police", "police_incident", "violence"), ("hospital-ed", "ed_assault", "violence"),
        ("education", "school_incident", "exclusion")]}
    worker = _user(Role.SOCIAL_WORKER, "social-care", "social-care-north")
    assessment = AssessmentFactory(person=child, worker=worker)
    ensure_partnership_agreements(starts_on=START)
    member = _user(Role.POLICE_OFFICER, "police", "police-exploitation")
    TeamMemberFactory(person=child, user=member)
    holder = _user(Role.POLICE_OFFICER, "police", "police-missing")
    assert policy.decision_for(holder, child) is None
    now = clock.now()
    BreakGlassGrant.objects.create(user=holder, person=child, reason="Found at 2am, no record",
                                   granted_at=now, expires_at=now + dt.timedelta(hours=24))

    def reads(user):
        decision = policy.decision_for(user, child)
        return (set(policy.record_rows(decision, Event.objects.all()).values_list("pk", flat=True)),
                list(policy.record_rows(decision, Assessment.objects.all())))

    assert policy.decision_for(holder, child).is_break_glass
    assert reads(holder) == reads(member) == (events, [assessment])
    body = _page(client, holder, "cases:chronology", child).content.decode()
    assert "Hospital Emergency Department" in body and "Single assessment started" in body


def test_the_pupils_task_shows_a_siblings_recent_stop_and_search_only_where_allowed(client):
    pupil, brother, stop = _siblings()
    Event.objects.filter(pk=stop.pk).update(occurred_at=clock.now() - dt.timedelta(days=2))
    manager = _user(Role.EDUCATION_INCLUSION_MANAGER, "education", "education-inclusion")
    TeamMemberFactory(person=pupil, user=manager)
    task = TaskFactory(person=pupil, team=manager.team)
    client.force_login(manager)
    assert "A sibling:" not in client.get(f"/tasks/{task.pk}/").content.decode()
    ensure_partnership_agreements(starts_on=START)  # police share incidents with the team
    body = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "A sibling: stop and search (weapon)" in body
    assert brother.given_name not in body, "the sibling is never named here"


def test_the_childs_page_lists_the_viewers_teams_open_tasks_for_the_child_only(client):
    child = PersonFactory()
    manager = _user(Role.EDUCATION_INCLUSION_MANAGER, "education", "education-inclusion")
    TeamMemberFactory(person=child, user=manager)
    ours = TaskFactory(person=child, team=manager.team)
    theirs = TaskFactory(person=child, team=Team.objects.get(slug="hub"))
    body = _page(client, manager, "cases:child", child).content.decode()
    assert "Your team's open tasks for this child" in body
    assert f'href="/tasks/{ours.pk}/"' in body and f'href="/tasks/{theirs.pk}/"' not in body
