"""Persona x route x record: zero leaks, and forbidden looks exactly like absent."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.cases.models import NrmReferral
from saferoptions.cases.selectors.child import WORK_PURPOSES
from saferoptions.contexts.case_selectors import visible_cases
from saferoptions.contexts.models import ContextCase
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.events.models import Event
from saferoptions.feeds.models import InboxMessage
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import AssessmentFactory, PlanFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .conftest import CANARY_TEXTS, NO_RECORDS, PRACTITIONERS

pytestmark = pytest.mark.django_db

# Pages about one person, and who may open them for the child in everyone's work ("mine").
PERSON_ROUTES = {
    "people:detail": set(PRACTITIONERS) | {Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER},
    "people-api:detail": set(PRACTITIONERS) | {Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER},
    "access:access-log": {Role.LEAD_WORKER, Role.DATA_PROTECTION_OFFICER},
}
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def _normalised(response, reference) -> bytes:
    """The body with the address's own reference and per-request tokens taken out."""
    return TOKEN.sub(b"", response.content.replace(str(reference).encode(), b"REF"))


def _get(client, user, name, reference):
    client.force_login(user)
    return client.get(reverse(name, args=[reference]))


def _assert_no_canary(response):
    body = response.content.decode(errors="replace")
    for text in CANARY_TEXTS:
        assert text not in body


# One test per route, every role inside it: the scene is built once per route, not per role.
@pytest.mark.parametrize("name", PERSON_ROUTES)
def test_person_pages(client, scene, name):
    for role in Role.values:
        user = scene.users[role]
        in_scope = _get(client, user, name, scene.mine.public_id)
        assert in_scope.status_code == (200 if role in PERSON_ROUTES[name] else 404), role
        forbidden = _get(client, user, name, scene.canary.public_id)
        absent = _get(client, user, name, scene.absent)
        assert absent.status_code == 404, role
        _assert_no_canary(in_scope)
        if role == Role.DATA_PROTECTION_OFFICER:
            assert forbidden.status_code == 200  # the DPO may open every record
            continue
        assert forbidden.status_code == 404, role
        assert _normalised(forbidden, scene.canary.public_id) == \
            _normalised(absent, scene.absent), role
        _assert_no_canary(forbidden)


@pytest.mark.parametrize("name", ["people:search", "people:export", "people-api:list"])
def test_lists_never_show_an_out_of_scope_child(client, scene, name):
    for role in Role.values:
        client.force_login(scene.users[role])
        response = client.get(reverse(name), {"q": ""})
        assert response.status_code == 200
        if role != Role.DATA_PROTECTION_OFFICER:
            _assert_no_canary(response)
        # By reference: the lead worker's agency is on the child's team but is not given the
        # identity category, so the child is listed without their name (test_identity_category).
        shows_mine = str(scene.mine.public_id).encode() in response.content
        assert shows_mine == (role in PERSON_ROUTES["people:detail"]), role


@pytest.mark.parametrize("name", ["contexts:place", "contexts:group"])
def test_context_pages_mask_people_the_user_may_not_see(client, scene, name):
    context = scene.place if name == "contexts:place" else scene.group
    for role in Role.values:
        client.force_login(scene.users[role])
        response = client.get(reverse(name, args=[context.pk]))
        _assert_no_canary(response)
        absent = client.get(reverse(name, args=[context.pk + 1000]))
        assert absent.status_code == 404
        if response.status_code == 404:
            # Numeric ids are not echoed in the page, so the bodies must match as they are.
            assert TOKEN.sub(b"", response.content) == TOKEN.sub(b"", absent.content), role
            continue
        assert b"whose records you may not see" in response.content  # the canary, counted
        # By reference, as in the lists: the lead worker's agency is not given the identity
        # category, so the child is listed there as '(name not known)'.
        shows_mine = str(scene.mine.public_id).encode() in response.content
        assert shows_mine == (role in PERSON_ROUTES["people:detail"]), role


def test_licensing_officer_sees_the_place_but_no_child(client, scene):
    client.force_login(scene.users[Role.LICENSING_OFFICER])
    response = client.get(reverse("contexts:place", args=[scene.place.pk]))
    assert response.status_code == 200
    # Both children, counted by the one small-number rule: never a stub each.
    assert b"Not shown: &lt;5 people linked here whose records you may not see." in response.content
    assert Role.LICENSING_OFFICER in NO_RECORDS


def test_signed_out_visitor_is_sent_to_sign_in_and_sees_nothing(client, scene):
    response = client.get(reverse("people:detail", args=[scene.mine.public_id]))
    assert response.status_code == 302
    assert b"Ashanti" not in response.content


# --- tasks, inboxes, quarantine, context cases, peer maps, case records ----------------------
# The canary child's records reach every one of these pages; for every role each page shows
# none of them, and a record the role may not open answers exactly like one that is absent.

ABSENT_PK = 999_999


@pytest.fixture
def records(scene):
    """The canary's records on every page that shows other agencies' work."""
    author = scene.users[Role.SOCIAL_WORKER]
    canary_event = Event.objects.filter(involvements__person=scene.canary).get()
    # A place review: work about the child, not with them, so it gives the team no
    # relationship with the child (tasks/access_rules.py; test_task_access.py for the others).
    rule = TaskRule.objects.get(slug="community-concern-place-review", version=1)
    now = clock.now()
    task = Task.objects.create(
        rule=rule, rule_version=rule.version, dedupe_key="canary", task_type=rule.task_type,
        team=author.team, person=scene.canary, event=canary_event, created_at=now,
        due_at=now + dt.timedelta(days=1))
    raw = (f'{{"given_name": "{CANARY_TEXTS[0]}", "family_name": "{CANARY_TEXTS[1]}", '
           '"date_of_birth": "2010-07-19", "category": "violence"}').encode()
    message = InboxMessage.objects.create(
        agency=scene.agencies["police"], feed_type="police_incident", idempotency_key="canary",
        body_hash="0" * 64, raw=raw, status="quarantined", received_at=now,
        errors=[{"row": None, "field": "occurred_at", "reason": "is required"}])
    case = ContextCase.objects.create(kind="place", place=scene.place, referred_by=author,
                                      referral_reason="Children gather here", opened_at=now)
    return {
        "task": task, "message": message, "case": case,
        "assessment": AssessmentFactory(person=scene.canary, worker=author),
        "plan": PlanFactory(person=scene.canary, worker=author),
        "referral": NrmReferral.objects.create(person=scene.canary, recorded_by=author,
                                               referred_on=dt.date(2026, 1, 5)),
    }


# Pages about one record: (route, the record in `records`), and who may open the canary's.
RECORD_ROUTES = {
    "tasks:detail": ("task", {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}),  # their team's task
    "feeds:correct": ("message", set()),
    "contexts:case": ("case", None),  # by role and locality: checked against the policy
    "cases:assessment": ("assessment", {Role.DATA_PROTECTION_OFFICER}),
    "cases:plan": ("plan", {Role.DATA_PROTECTION_OFFICER}),
}


@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_record_pages_never_show_the_canary_and_forbidden_is_absent(client, scene, records,
                                                                      name):
    key, allowed = RECORD_ROUTES[name]
    record = records[key]
    for role in Role.values:
        user = scene.users[role]
        may = (visible_cases(user).filter(pk=record.pk).exists() if allowed is None
               else role in allowed)
        page = _get(client, user, name, record.pk)
        absent = _get(client, user, name, ABSENT_PK)
        assert absent.status_code == 404, role
        if role != Role.DATA_PROTECTION_OFFICER:
            _assert_no_canary(page)
        if may:
            assert page.status_code == 200, role
            continue
        assert page.status_code == 404, role
        # Numeric ids are not echoed in the page, so the bodies must match as they are.
        assert TOKEN.sub(b"", page.content) == TOKEN.sub(b"", absent.content), role


def test_a_teams_task_about_the_canary_shows_no_trace_of_its_event(client, scene, records):
    # The team owns the task, but the child and the event are outside its scope: the page
    # leaves the event out altogether (forbidden identical to absent) and names no one.
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
        body = _get(client, scene.users[role], "tasks:detail", records["task"].pk)
        assert body.status_code == 200, role
        _assert_no_canary(body)


@pytest.mark.parametrize("name", ["tasks:inbox", "tasks:mine", "tasks:new", "feeds:quarantine",
                                  "contexts:cases", "cases:triage"])
def test_lists_and_inboxes_never_show_the_canary(client, scene, records, name):
    for role in Role.values:
        client.force_login(scene.users[role])
        response = client.get(reverse(name))
        assert response.status_code in (200, 404), role
        if role != Role.DATA_PROTECTION_OFFICER:
            _assert_no_canary(response)


@pytest.mark.parametrize("name", ["cases:child", "cases:chronology", "contexts:child-peer-map"])
def test_child_pages_and_peer_maps_answer_the_canary_like_an_absent_child(client, scene, records,
                                                                          name):
    for role in Role.values:
        user = scene.users[role]
        mine = _get(client, user, name, scene.mine.public_id)
        _assert_no_canary(mine)
        forbidden = _get(client, user, name, scene.canary.public_id)
        absent = _get(client, user, name, scene.absent)
        assert absent.status_code == 404, role
        if role == Role.DATA_PROTECTION_OFFICER and forbidden.status_code == 200:
            continue  # the DPO may open every record (subject access, audit)
        assert forbidden.status_code == 404, role
        assert _normalised(forbidden, scene.canary.public_id) == \
            _normalised(absent, scene.absent), role


def test_the_group_peer_map_masks_the_canary_for_every_role(client, scene, records):
    for role in Role.values:
        client.force_login(scene.users[role])
        response = client.get(reverse("contexts:group-peer-map", args=[scene.group.pk]))
        _assert_no_canary(response)
        absent = client.get(reverse("contexts:group-peer-map", args=[ABSENT_PK]))
        assert absent.status_code == 404, role
        if response.status_code == 404:
            assert TOKEN.sub(b"", response.content) == TOKEN.sub(b"", absent.content), role


# --- honest gaps: said only to someone who may already open the child ---------------------
GAP = b"you may not see: ask"


def test_withheld_notices_reach_only_those_who_may_open_the_child(client, scene, records):
    for person in (scene.mine, scene.canary):  # a hospital record nobody else is shared
        InvolvementFactory(person=person, event=EventFactory(
            reporting_agency=scene.agencies["hospital_ed"], event_type="ed_assault"))
    for role in Role.values:
        user = scene.users[role]
        for name in ("cases:child", "cases:chronology"):
            for person in (scene.mine, scene.canary):
                response = _get(client, user, name, person.public_id)
                if response.status_code != 200:
                    assert GAP not in response.content, (role, name)
        for name in ("people:search", "tasks:inbox", "cases:triage", "cases:my-work"):
            client.force_login(user)
            assert GAP not in client.get(reverse(name)).content, (role, name)
    # The notice is there for someone working with the child: the checks above can fail.
    mine = _get(client, scene.users[Role.SOCIAL_WORKER], "cases:child", scene.mine.public_id)
    assert GAP in mine.content


# Correcting and withdrawing a recorded item (issue 13): the forms show the item as recorded,
# so a role that may not change the child gets exactly the page of an item that is absent.
CORRECTION_ROUTES = [
    ("cases:record-correct", lambda r: ["nrm", r["referral"].pk], ["nrm", ABSENT_PK]),
    ("cases:record-withdraw", lambda r: ["nrm", r["referral"].pk], ["nrm", ABSENT_PK]),
    ("cases:assessment-amend", lambda r: [r["assessment"].pk], [ABSENT_PK]),
]


@pytest.mark.parametrize("name,args,absent_args", CORRECTION_ROUTES)
def test_correction_forms_about_the_canary_answer_like_an_absent_record(
        client, scene, records, name, args, absent_args):
    for role in Role.values:
        user = scene.users[role]
        decision = policy.decision_for(user, scene.canary)
        may_change = decision is not None and bool(decision.purposes & WORK_PURPOSES)
        client.force_login(user)
        page = client.get(reverse(name, args=args(records)))
        absent = client.get(reverse(name, args=absent_args))
        assert absent.status_code == 404, role
        if may_change:
            continue
        assert page.status_code == 404, role
        _assert_no_canary(page)
        assert TOKEN.sub(b"", page.content) == TOKEN.sub(b"", absent.content), role
