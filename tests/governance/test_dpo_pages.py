"""The DPO's way in to a subject access request, and checking the audit trail from the site."""

import datetime as dt
import json
import re

import pytest
from django.db import DatabaseError
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.governance import audit_check
from saferoptions.governance.models import AuditVerificationRun
from tests.audit.factories import append_entries
from tests.audit.tampering import triggers_lifted
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .factories import AuditVerificationRunFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("governance:subject-access-search")
VERIFY = reverse("governance:audit-verification")


@pytest.fixture
def dpo(client):
    user = UserFactory(dpo=True)
    client.force_login(user)
    return user


@pytest.fixture
def subject():
    child = PersonFactory(given_name="Ayla", family_name="Subject", kind="child")
    identity = IdentityFactory(person=child)
    other = PersonFactory(given_name="Thaddeus", family_name="Otherperson")
    event = EventFactory(summary="Ayla seen with Thaddeus Otherperson near the park")
    InvolvementFactory(event=event, person=child, identity=identity, role="victim")
    InvolvementFactory(event=event, person=other, identity=IdentityFactory(person=other))
    return child


def _link(html: str, text: str) -> str:
    found = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(text), html)
    assert found, f"no link {text!r} on the page"
    return found.group(1)


def test_the_dpo_goes_from_home_to_a_redacted_subject_access_export(client, dpo, subject):
    home = client.get("/").content.decode()
    search = _link(home, "Answer a subject access request")
    found = client.get(search, {"q": "ayla subject"})
    assert found.status_code == 200
    assert [p.pk for p in found.context["found"].object_list] == [subject.pk]
    export = _link(found.content.decode(), "Prepare the export")
    page = client.get(export)
    assert page.status_code == 200 and "Ayla Subject" in page.content.decode()
    response = client.post(export)
    assert response["Content-Disposition"].startswith("attachment;")
    body = json.loads(response.content)
    assert body["person"]["given_name"] == "Ayla"
    assert "Thaddeus" not in response.content.decode()
    assert "[third party]" in body["events"][0]["summary"]["free_text"]


def test_the_search_is_audited_for_subject_access_and_lists_nobody_before_a_name(
    client, dpo, subject
):
    assert client.get(SEARCH).context["found"] is None
    assert not AuditEntry.objects.filter(action="search").exists()
    client.get(SEARCH, {"q": "Subject"})
    entry = AuditEntry.objects.get(action="search")
    assert (entry.actor, entry.purpose, entry.object_ids) == (
        dpo, "subject_access", [str(subject.pk)]
    )


def test_the_people_found_are_listed_by_family_name_whatever_its_case(client, dpo):
    """'Melissa WARNER' as one agency wrote it was listed before 'Amy Warner' (seen on the
    tour): the DPO looking down the list for the person who asked would miss her."""
    for given, family in (("Melissa", "WARNER"), ("Amy", "Warner"), ("Zed", "Warnerby"),
                          ("Bo", "warner")):
        PersonFactory(given_name=given, family_name=family)
    found = client.get(SEARCH, {"q": "warner"}).context["found"].object_list
    assert [p.given_name for p in found] == ["Amy", "Bo", "Melissa", "Zed"]


def test_a_too_long_name_is_refused_naming_the_field(client, dpo):
    """The message names the field in words; its code name ("q", "page") is never shown."""
    response = client.get(SEARCH, {"q": "x" * 101})
    body = response.content.decode()
    assert response.status_code == 400 and "Give a name of 100 characters" in body
    assert "q: " not in body
    paged = client.get(SEARCH, {"q": "x", "page": "two"})
    assert paged.status_code == 400 and "Give the page as a whole number." in paged.content.decode()
    assert "page: " not in paged.content.decode()
    # Django's own wording names no field, so the label goes in front of it.
    far = client.get(SEARCH, {"q": "x", "page": "999999"}).content.decode()
    assert "Page: Enter a number of 100000 or less" in far


@pytest.mark.parametrize("params", [
    {"q": "Ayla O'Brien-Subject " + "x" * 80},  # too long: the name itself is refused
    {"q": "Ayla O'Brien", "page": "two"},  # the name is fine, the page is not
])
def test_a_refused_search_keeps_the_name_typed_in_the_box(client, dpo, params):
    """The DPO corrects what was typed rather than typing the whole name again."""
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    box = re.search(r'<input[^>]*id="id_q"[^>]*>', response.content.decode()).group(0)
    assert 'value="' + params["q"].replace("'", "&#x27;") + '"' in box


def test_an_export_page_for_nobody_is_a_404(client, dpo):
    assert client.get(reverse("governance:subject-access", args=[987654])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.HUB_PRACTITIONER, Role.SOCIAL_WORKER, Role.SYSTEM_ADMINISTRATOR, Role.ANALYST]
)
def test_other_roles_get_a_404_on_the_new_pages(client, subject, role):
    client.force_login(UserFactory(role=role))
    assert client.get(SEARCH, {"q": "Ayla"}).status_code == 404
    assert client.get(VERIFY).status_code == 404
    assert client.post(VERIFY).status_code == 404
    assert not AuditVerificationRun.objects.exists()
    assert b"Answer a subject access request" not in client.get("/").content


def test_the_dpo_verifies_an_intact_trail_and_the_result_is_shown_and_audited(client, dpo):
    append_entries(5)
    assert b"Verify the audit trail now" in client.get(VERIFY).content
    response = client.post(VERIFY, follow=True)
    run = AuditVerificationRun.objects.get()
    assert (run.status, run.requested_by, run.in_progress) == ("intact", dpo, None)
    assert run.entries >= 6  # the five, and the request's own audit row
    page = response.content.decode()
    assert "Intact" in page and str(run.entries) in page
    result = AuditEntry.objects.get(action="verify_audit", detail__step="result")
    assert (result.actor, result.outcome, result.object_ids) == (dpo, "ok", [str(run.pk)])
    assert result.detail["entries"] == run.entries


def test_a_tampered_row_shows_as_a_break_with_where(client, dpo):
    append_entries(8)
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=4).update(outcome="denied")
    page = client.post(VERIFY, follow=True).content.decode()
    run = AuditVerificationRun.objects.get()
    assert (run.status, run.broken_sequence, run.broken_kind) == ("broken", 4, "modified")
    assert run.entries == 3
    assert "Broken" in page and "At entry 4 (modified)" in page
    result = AuditEntry.objects.get(action="verify_audit", detail__step="result")
    assert (result.outcome, result.detail["broken_sequence"]) == ("broken", 4)


def test_a_second_click_while_one_runs_says_it_is_running(client, dpo):
    running = AuditVerificationRunFactory(requested_by=dpo)
    page = client.get(VERIFY).content.decode()
    assert "Verify the audit trail now" not in page and "Refresh the page" in page
    response = client.post(VERIFY, follow=True)
    assert response.status_code == 200
    assert "already running" in response.content.decode()
    assert list(AuditVerificationRun.objects.all()) == [running]
    refused = AuditEntry.objects.get(action="verify_audit")
    assert (refused.outcome, refused.detail["reason"]) == ("denied", "already_running")


def test_a_run_its_worker_never_finished_no_longer_blocks_another(client, dpo):
    stale = AuditVerificationRunFactory(
        requested_at=clock.now() - dt.timedelta(hours=3)
    )
    client.post(VERIFY)
    stale.refresh_from_db()
    assert (stale.status, stale.in_progress) == ("failed", None)
    assert AuditVerificationRun.objects.exclude(pk=stale.pk).get().status == "intact"


def test_a_job_queue_that_does_not_answer_is_a_message_not_a_500(client, dpo, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("queue unavailable")

    monkeypatch.setattr(audit_check, "async_task", refuse)
    response = client.post(VERIFY, follow=True)
    assert response.status_code == 200
    assert "could not be started just now" in response.content.decode()
    assert not AuditVerificationRun.objects.exists()  # nothing is left looking as if it runs
    assert b"Verify the audit trail now" in response.content
