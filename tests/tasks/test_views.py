"""The team inbox, task pages and rules page, including who may not see them."""

import html

import pytest
from django.test import Client

from saferoptions.access import policy
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity, Person
from saferoptions.tasks.models import Task
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory

from .factories import date_parts, send

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker():
    return UserFactory(role="lead_worker", team=Team.objects.get(slug="barnardos-base-routes"))


def test_the_inbox_shows_the_teams_tasks_with_their_clock_and_polls_only_a_notice(worker):
    send("ed_assault")
    page = _client(worker).get("/tasks/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hospital rapid response" in body and "govuk-tag--green" in body
    latest = Task.objects.get().pk
    assert f'hx-get="/tasks/new/?after={latest}"' in body and 'hx-trigger="every 5s"' in body
    # The polled answer is a notice, never the rows: nothing new, nothing shown.
    assert _client(worker).get(f"/tasks/new/?after={latest}").content.decode().strip() == ""
    send("ed_assault")
    notice = _client(worker).get(f"/tasks/new/?after={latest}").content.decode()
    assert "1 new: show" in notice and "<table" not in notice and "<html" not in notice


def test_a_task_names_the_child_only_as_the_access_policy_allows(worker):
    send("ed_assault", referral={"source_id": "X1", "given_name": "Zed", "family_name": "Quill",
                                 "date_of_birth": "2010-01-01"})
    resolve_identity(actor=None, identity=Identity.objects.get(source_id="X1"))
    # The hospital shares who the child is with the team's agency, as the partnership's
    # agreements do (access/partnership.py): without it the name is not shown.
    AgreementFactory(provider=Identity.objects.get(source_id="X1").agency, recipient=worker.agency,
                     categories=["identity"], purposes=["direct_work"])
    task = Task.objects.get()
    page = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    allowed = policy.restrict(worker, "view", Person.objects.filter(pk=task.person_id)).exists()
    assert ("Zed" in page) == allowed
    assert allowed or f"Person {str(task.person.public_id)[:8]}" in page


def test_another_teams_task_is_not_found(worker):
    send("school_incident")
    task = Task.objects.get()
    assert _client(worker).get(f"/tasks/{task.pk}/").status_code == 404
    assert _client(worker).post(f"/tasks/{task.pk}/complete/").status_code == 404


def test_completing_a_task_is_audited_and_removes_it_from_the_inbox(worker):
    send("ed_assault")
    task = Task.objects.get()
    refused = _client(worker).post(f"/tasks/{task.pk}/complete/")
    assert refused.status_code == 400  # done needs an outcome
    response = _client(worker).post(f"/tasks/{task.pk}/outcome/", {
        **date_parts("contact_attempted_at", clock.now()), "contact_made": "no",
        "contact_how": "phone", "support_offered": ["none"], "support_accepted": "no",
        "consent": "not_asked", "referred_to": ["none"], "outcome": "not_reached"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == worker
    assert AuditEntry.objects.filter(actor_id=worker.pk, object_type="task").exists()
    inbox = _client(worker).get("/tasks/").content.decode()
    assert 'id="count-open">0<' in inbox and "No open tasks for your team." in inbox


def test_the_rules_page_reads_in_plain_words(worker):
    body = html.unescape(_client(worker).get("/tasks/rules/").content.decode())
    assert "the category is knife and" in body.replace("(", "").replace(")", "")
    assert "24 hours" in body
    # Teams by the names their members know, events by their names, yes-or-no facts as words
    # (the page read 'for team barnardos-base-routes', 'ed assault', 'a place is named is True',
    # '1 working days').
    assert "Hospital rapid response, for Barnardo's BASE & ROUTES" in body
    assert "Emergency department assault attendance" in body
    assert "a place is named" in body and "is True" not in body
    assert "1 working day<" in body and "1 working days" not in body
    assert "barnardos-base-routes" not in body and "{locality}" not in body
    assert "the team of the event's locality (" in body


def test_signed_out_visitors_are_sent_to_sign_in():
    for url in ("/tasks/", "/tasks/rows/", "/tasks/rules/"):
        assert Client().get(url).status_code in (302, 404)


# --- every read through the policy, audited --------------------------------------------------

def _hospital_colleague(worker):
    return UserFactory(role="lead_worker", team=worker.team,
                       agency=Agency.objects.get(slug="hospital-ed"))


def test_another_agencys_event_is_not_shown_on_the_task_or_in_the_inbox(worker):
    send("ed_assault")
    task = Task.objects.get()
    for url in (f"/tasks/{task.pk}/", "/tasks/", "/tasks/mine/?owner=unassigned"):
        body = _client(worker).get(url).content.decode()
        assert task.event.get_event_type_display() not in body, url
        assert task.event.get_category_display() not in body, url
    detail = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert "Hospital rapid response" in detail  # the team's work is still shown
    # Forbidden looks like absent: no "an event you may not see" either.
    assert 'id="task-event"' not in detail and "do not have access" not in detail
    shown = _client(_hospital_colleague(worker)).get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="task-event"' in shown
    assert task.event.get_event_type_display() in shown


def test_task_reads_are_audited_with_what_was_masked(worker):
    send("ed_assault")
    task = Task.objects.get()
    _client(worker).get("/tasks/")
    listed = AuditEntry.objects.filter(actor_id=worker.pk, object_type="task",
                                       action="list").latest("sequence")
    assert listed.object_ids == [str(task.pk)]
    assert listed.detail["events_masked"] == [task.event_id]
    _client(worker).get(f"/tasks/{task.pk}/")
    viewed = AuditEntry.objects.filter(actor_id=worker.pk, object_type="task",
                                       action="view").latest("sequence")
    assert viewed.object_ids == [str(task.pk)] and viewed.detail["events_shown"] == []
    _client(worker).get(f"/tasks/{task.pk + 1000}/")
    assert AuditEntry.objects.filter(actor_id=worker.pk, object_type="task",
                                     action="deny").exists()


def test_a_task_pages_breadcrumbs_use_the_gov_uk_component_so_they_sit_on_one_line(worker):
    # The crumbs stacked one under another: their items carried a class GOV.UK Frontend does
    # not define, so its one-line breadcrumb layout never applied.
    send("ed_assault")
    page = _client(worker).get(f"/tasks/{Task.objects.get().pk}/").content.decode()
    crumbs = page.split('class="govuk-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert crumbs.count('<li class="govuk-breadcrumbs__list-item">') == 2
    assert "govuk-breadcrumbs__item" not in crumbs
