"""Subject access covers the casework: concerns, assessments and their versions, plans, tasks,
clocks, meeting items, break glass and the access log, on the DPO's review page and in the
JSON and CSV files; only the DPO reaches it, and every view and download is audited."""

import io
import json
import re
import zipfile

import pytest
from django.db import transaction
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.audit.services import record
from saferoptions.cases.models import PlanAction, Revision
from saferoptions.core.models import Role
from saferoptions.governance import sar_review, sar_sections
from saferoptions.tasks.models import TaskOutcome
from tests.access.factories import BreakGlassGrantFactory
from tests.cases.factories import AssessmentFactory, ClockFactory, ConcernFactory, PlanFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingActionCorrectionFactory,
    MeetingActionFactory,
)
from tests.people.factories import IdentityFactory, PersonFactory
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(client):
    user = UserFactory(dpo=True)
    client.force_login(user)
    return user


@pytest.fixture
def child():
    """A child with a knife concern, an amended assessment, a plan, a task with its outcome, a
    clock, a meeting item with an action, a break-glass grant and a read of their record."""
    child = PersonFactory(given_name="Ayla", family_name="Subject", kind="child")
    mine = IdentityFactory(person=child)
    other = PersonFactory(given_name="Thaddeus", family_name="Otherperson")
    event = EventFactory(summary="Ayla seen with Thaddeus")
    InvolvementFactory(event=event, person=child, identity=mine, role="victim")
    InvolvementFactory(event=event, person=other, identity=IdentityFactory(person=other),
                       role="suspect")
    ConcernFactory(person=child, reason="Carrying a knife, given to her by Thaddeus")
    assessment = AssessmentFactory(person=child, analysis="Risk outside the home is high",
                                   version=2)
    Revision.objects.create(object_type="assessment", object_id=assessment.pk, version=1,
                            changed={"analysis": ["Risk is moderate", "Risk is high"]},
                            reason="Amended after the strategy discussion",
                            saved_by=assessment.worker, saved_at=assessment.started_at)
    plan = PlanFactory(person=child)
    PlanAction.objects.create(plan=plan, description="Weekly mentoring at the youth club",
                              owner=plan.worker, due_on=plan.review_on)
    task = TaskFactory(person=child, description="Rapid response after the knife injury")
    TaskOutcome.objects.create(task=task, version=1, task_type=task.task_type,
                               outcome="contacted", happened_at=task.created_at,
                               answers={"note": "Spoke to Ayla at home"},
                               recorded_by=plan.worker)
    ClockFactory(person=child, late_reason="Could not reach her for four days")
    item = AgendaItemFactory(person=child, notes="Discussed the knife concern")
    MeetingActionCorrectionFactory(action=MeetingActionFactory(
        item=item, description="Police to share the stop-search"))
    BreakGlassGrantFactory(person=child, reason="Out of hours at the ED")
    reader = UserFactory(first_name="Priya", last_name="Reader")
    with transaction.atomic():
        record(actor=reader, action="view", object_type="person", object_ids=[child.pk],
               purpose="direct_work")
    return child


def _without_tokens(response) -> str:
    """The page less its CSRF token, which differs on every page."""
    return re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "",
                  response.content.decode())


def _export(client, child, fmt="json"):
    response = client.post(reverse("governance:subject-access", args=[child.pk]),
                           {"format": fmt})
    assert response.status_code == 200
    return response


def _text(value):
    """A field's words, whether exported as free text to check or as a short label."""
    return value["free_text"] if isinstance(value, dict) else value


def test_the_recorded_concern_assessment_and_task_appear_in_the_export(client, dpo, child):
    body = json.loads(_export(client, child).content)
    concern = body["concerns"][0]
    assert concern["reason"] == {"free_text": "Carrying a knife, given to her by [third party]",
                                 "check_before_release": True}
    assert concern["person"] == "you"
    assessment = body["assessments"][0]
    assert assessment["analysis"]["free_text"] == "Risk outside the home is high"
    assert "Risk is moderate" in assessment["earlier_versions"][0]["changed"]["free_text"]
    task = body["tasks"][0]
    assert task["description"]["free_text"] == "Rapid response after the knife injury"
    assert "Spoke to Ayla at home" in task["outcomes"][0]["answers"]["free_text"]
    assert _text(body["plans"][0]["actions"][0]["description"]) == (
        "Weekly mentoring at the youth club")
    assert body["clocks"][0]["late_reason"]["free_text"] == "Could not reach her for four days"
    assert body["meeting_items"][0]["notes"]["free_text"] == "Discussed the knife concern"
    assert _text(body["meeting_items"][0]["actions"][0]["description"]) == (
        "Police to share the stop-search")
    correction = body["meeting_items"][0]["action_corrections"][0]
    assert correction["reason"]["free_text"] == "The time limit was left out"
    assert body["break_glass"][0]["reason"]["free_text"] == "Out of hours at the ED"
    assert any(entry["who"].startswith("Priya Reader") for entry in body["access_log"])
    assert "/concerns/0/reason" in body["free_text_for_review"]
    assert "Thaddeus" not in json.dumps(body)


def test_the_review_page_shows_each_section_and_flags_free_text(client, dpo, child):
    response = client.get(reverse("governance:subject-access", args=[child.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for words in ("Concerns and referrals", "Carrying a knife, given to her by [third party]",
                  "Risk outside the home is high", "Rapid response after the knife injury",
                  "Discussed the knife concern", "Out of hours at the ED", "Priya Reader",
                  "Check before release", "Download the export (JSON)"):
        assert words in page, words
    assert "Thaddeus" not in page
    one = client.get(reverse("governance:subject-access", args=[child.pk]),
                     {"section": "tasks", "page": "²"})
    assert one.status_code == 200 and "Rapid response" in one.content.decode()
    assert "Discussed the knife concern" not in one.content.decode()


def test_the_csv_zip_holds_a_file_per_section_with_the_free_text_flagged(client, dpo, child):
    response = _export(client, child, "csv")
    assert response["Content-Disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    concerns = archive.read("concerns.csv").decode()
    assert "Carrying a knife, given to her by [third party]" in concerns
    assert "check_before_release" in concerns.splitlines()[0]
    assert "Weekly mentoring" in archive.read("plans-actions.csv").decode()
    assert "Thaddeus" not in b"".join(archive.read(n) for n in archive.namelist()).decode()


@pytest.mark.parametrize("role", [Role.HUB_PRACTITIONER, Role.SOCIAL_WORKER,
                                  Role.SYSTEM_ADMINISTRATOR])
def test_anyone_but_the_dpo_gets_the_same_answer_as_for_nobody(client, child, role):
    client.force_login(UserFactory(role=role))
    url = reverse("governance:subject-access", args=[child.pk])
    nobody = reverse("governance:subject-access", args=[987654])
    for ask in (lambda u: client.get(u), lambda u: client.post(u, {"format": "csv"}),
                lambda u: client.post(u, {"format": "json"})):
        mine, absent = ask(url), ask(nobody)
        assert mine.status_code == absent.status_code == 404
        assert _without_tokens(mine) == _without_tokens(absent)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_every_view_and_download_leaves_an_audit_row(client, dpo, child):
    client.get(reverse("governance:subject-access", args=[child.pk]))
    _export(client, child)
    _export(client, child, "csv")
    rows = AuditEntry.objects.filter(actor=dpo, purpose="subject_access").order_by("sequence")
    assert [(r.action, r.detail.get("page"), r.detail.get("format")) for r in rows] == [
        ("view", "subject_access_review", None), ("export", None, "json"),
        ("export", None, "csv")]
    assert all(r.object_ids == [str(child.pk)] for r in rows)
    assert rows[1].detail["casework"]["concerns"]
    assert "Ayla" not in json.dumps([r.detail for r in rows])


def test_an_absent_person_is_a_404_for_the_dpo_too(client, dpo):
    assert client.get(reverse("governance:subject-access", args=[987654])).status_code == 404


def test_every_key_to_a_person_is_exported_or_left_out_with_a_reason():
    """A new model about a person fails here until a section reads it or NOT_SECTIONS says
    why not (saferoptions/governance/sar_sections.py)."""
    assert sar_sections.unexported() == set()
    assert all(reason.strip() for reason in sar_sections.NOT_SECTIONS.values())
    # Every section and exception names a key that exists.
    assert sar_sections.covered() <= sar_sections.keys_to_the_subject()
    assert set(sar_sections.NOT_SECTIONS) <= sar_sections.keys_to_the_subject()


def test_the_page_of_every_section_shows_the_shortest_whole_and_at_most_50_rows():
    body = {key: [] for key, _, _ in sar_review.CONTENTS}
    body.update(events=[{"summary": "x"}] * 50, concerns=[{"reason": "y"}] * 2,
                tasks=[{"raised_at": "2026-03-02T10:00:00+00:00"}] * 3,
                free_text_for_review=[])
    shown = {s.key: s for s in sar_review.sections(body)}
    assert len(shown["concerns"].rows) == 2 and shown["concerns"].complete
    assert shown["events"].rows == [] and not shown["events"].complete
    assert sum(len(s.rows) for s in shown.values()) <= sar_review.ROWS_SHOWN
    assert shown["tasks"].rows[0][0].text == "2 March 2026, 10:00am"
    one = sar_review.sections(body, only="events", start=50)
    assert [s.key for s in one] == ["events"] and one[0].rows == []
