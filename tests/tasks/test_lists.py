"""The team inbox and my tasks: sorted, filtered, paged at 50, counted, titled in the rule's
words; taking and giving tasks within the team; the child as the policy lets the viewer see."""

import datetime as dt
import re

import pytest
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity
from saferoptions.tasks.models import Task
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory

from .factories import make_task, on_team_around, send

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _member(slug="hub", role="hub_practitioner"):
    return UserFactory(role=role, team=Team.objects.get(slug=slug))


def _task_ids(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="govuk-table__cell"><a class="govuk-link" '
                                       r'href="/tasks/(\d+)/">', body)]


def test_the_inbox_pages_at_50_and_counts_every_task():
    worker = _member()
    made = [make_task("hub", due_in_hours=h + 1) for h in range(53)]
    first = _client(worker).get("/tasks/").content.decode()
    assert _task_ids(first) == [t.pk for t in made[:50]]  # soonest due first
    assert 'id="count-open">53<' in first and "Page 1 of 2" in first
    second = _client(worker).get("/tasks/?page=2").content.decode()
    assert _task_ids(second) == [t.pk for t in made[50:]]
    # A page past the end shows the last page, never an error.
    assert _task_ids(_client(worker).get("/tasks/?page=99").content.decode()) == \
        [t.pk for t in made[50:]]


def test_the_inbox_sorts_by_urgency_and_newest():
    worker = _member()
    later = make_task("hub", due_in_hours=48)
    soon = make_task("hub", due_in_hours=2)
    breached = make_task("hub", due_in_hours=30, escalation=2)
    by_urgency = _task_ids(_client(worker).get("/tasks/?sort=urgency").content.decode())
    assert by_urgency == [breached.pk, soon.pk, later.pk]
    assert _task_ids(_client(worker).get("/tasks/?sort=newest").content.decode()) == \
        [breached.pk, soon.pk, later.pk]
    assert _task_ids(_client(worker).get("/tasks/").content.decode()) == \
        [soon.pk, breached.pk, later.pk]


def test_the_inbox_filters_by_type_owner_and_overdue():
    worker, colleague = _member(), _member()
    review = make_task("hub", "community-concern-place-review")
    mine = make_task("hub", assigned_to=worker)
    theirs = make_task("hub", assigned_to=colleague)
    overdue = make_task("hub", due_in_hours=-3)
    get = lambda q: _task_ids(_client(worker).get(f"/tasks/?{q}").content.decode())  # noqa: E731
    assert get("task_type=place_review") == [review.pk]
    assert get("owner=me") == [mine.pk]
    assert get(f"owner={colleague.pk}") == [theirs.pk]
    assert set(get("owner=unassigned")) == {review.pk, overdue.pk}
    assert get("overdue=on") == [overdue.pk]
    assert _task_ids(_client(worker).get("/tasks/mine/").content.decode()) == [mine.pk]
    body = _client(worker).get("/tasks/").content.decode()
    assert 'id="count-overdue">1<' in body and 'id="count-unassigned">2<' in body
    # The count's label read "Nobody's yet" (seen on the tour).
    assert ">Not assigned yet</dt>" in body and "Nobody's yet" not in body
    # A filter it does not know is named, and the list still shows: never a server error.
    odd = _client(worker).get("/tasks/?task_type=nonsense&owner=999999")
    assert odd.status_code == 400 and "Type" in odd.content.decode()
    assert len(_task_ids(odd.content.decode())) == 4


def test_titles_are_the_rules_words_or_the_actions_text():
    worker = _member()
    make_task("hub", "missing-three-in-ninety-days")
    make_task("hub", "community-concern-place-review", description="Walk the underpass at 10pm")
    body = _client(worker).get("/tasks/").content.decode()
    assert "Hub triage: three missing episodes in 90 days" in body
    assert "Walk the underpass at 10pm" in body


def test_the_live_notice_counts_only_new_tasks_matching_the_filters():
    worker = _member()
    seen = make_task("hub")
    page = _client(worker).get("/tasks/?task_type=place_review").content.decode()
    assert f'/tasks/new/?task_type=place_review&amp;after={seen.pk}' in page
    make_task("hub")  # a new task of another type: not in this list
    quiet = _client(worker).get(f"/tasks/new/?task_type=place_review&after={seen.pk}")
    assert quiet.content.decode().strip() == ""
    make_task("hub", "community-concern-place-review")
    make_task("hub", "community-concern-place-review")
    notice = _client(worker).get(f"/tasks/new/?task_type=place_review&after={seen.pk}")
    body = notice.content.decode()
    assert "2 new: show" in body and 'href="/tasks/?task_type=place_review"' in body
    colleague = _member()
    make_task("hub", assigned_to=colleague)
    theirs = _client(worker).get(f"/tasks/new/?owner={colleague.pk}&after={seen.pk}")
    assert "1 new: show" in theirs.content.decode()
    for after in ("\u00b2", "9" * 25):  # '²' passes str.isdigit() but not int(): was a 500
        assert _client(worker).get("/tasks/new/", {"after": after}).status_code == 200


def test_a_list_page_is_audited_with_the_tasks_it_showed():
    worker = _member()
    shown = make_task("hub")
    _client(worker).get("/tasks/")
    entry = AuditEntry.objects.filter(actor_id=worker.pk, action="list",
                                      object_type="task").latest("sequence")
    assert entry.object_ids == [str(shown.pk)] and entry.detail["page"] == 1


# --- taking and giving tasks -----------------------------------------------------------------

def test_a_member_takes_a_task_and_gives_it_to_a_colleague():
    worker, colleague = _member(), _member()
    task = make_task("hub")
    assert _client(worker).post(f"/tasks/{task.pk}/take/").status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == worker
    assert f"/tasks/{task.pk}/" in _client(worker).get("/tasks/mine/").content.decode()
    given = _client(worker).post(f"/tasks/{task.pk}/reassign/", {"assignee": colleague.pk})
    assert given.status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == colleague
    entry = AuditEntry.objects.filter(actor_id=worker.pk, action="update",
                                      object_type="task").latest("sequence")
    assert entry.detail == {"assigned_to": colleague.pk, "assigned_before": worker.pk}


def test_a_task_cannot_be_given_outside_its_team_nor_taken_by_another_team():
    worker = _member()
    outsider = _member("barnardos-base-routes", role="lead_worker")
    task = make_task("hub")
    refused = _client(worker).post(f"/tasks/{task.pk}/reassign/", {"assignee": outsider.pk})
    assert refused.status_code == 400
    assert "Choose a member of the task&#x27;s team" in refused.content.decode()
    for url, data in ((f"/tasks/{task.pk}/take/", {}),
                      (f"/tasks/{task.pk}/reassign/", {"assignee": outsider.pk}),
                      (f"/tasks/{task.pk}/", None)):
        response = (_client(outsider).post(url, data) if data is not None
                    else _client(outsider).get(url))
        assert response.status_code == 404, url
    task.refresh_from_db()
    assert task.assigned_to is None


# --- the child as the policy lets the viewer see them ---------------------------------------

def _named_child_task():
    send("ed_assault", referral={"source_id": "X1", "given_name": "Zed", "family_name": "Quill",
                                 "date_of_birth": "2010-01-01"})
    resolve_identity(actor=None, identity=Identity.objects.get(source_id="X1"))
    return Task.objects.get()


def test_a_viewer_outside_the_childs_scope_sees_a_reference_and_no_event(settings):
    worker = _member("barnardos-base-routes", role="lead_worker")
    task = _named_child_task()
    # The team's own task gives it the child until some days after it is done: past them,
    # the worker is outside the child's scope (tasks/access_rules.py).
    days = settings.TASKS_ACCESS_DAYS_AFTER + 2
    Task.objects.filter(pk=task.pk).update(
        status="done", completed_at=clock.now() - dt.timedelta(days=days))
    body = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert f"Person {str(task.person.public_id)[:8]}" in body
    assert "Zed" not in body and "Quill" not in body
    assert str(task.person.public_id) not in body  # no link to the child's page
    assert 'id="task-event"' not in body and "What partners know" not in body
    # The same as a task whose event and child never existed.
    bare = make_task("barnardos-base-routes")
    plain = _client(worker).get(f"/tasks/{bare.pk}/").content.decode()
    assert 'id="task-event"' not in plain and "What partners know" not in plain


def test_a_viewer_on_the_team_around_the_child_sees_the_name_link_and_what_partners_know():
    worker = _member("barnardos-base-routes", role="lead_worker")
    task = _named_child_task()
    on_team_around(worker, task.person)
    # The hospital shares who the child is with the team's agency, as the partnership's
    # agreements do (access/partnership.py): without it the name is not shown.
    AgreementFactory(provider=Identity.objects.get(source_id="X1").agency, recipient=worker.agency,
                     categories=["identity"], purposes=["direct_work"])
    body = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert f'href="/cases/children/{task.person.public_id}/">Zed Quill</a>' in body
    assert "What partners know" in body
    assert "0 missing episodes in the last 90 days" in body
    assert "No lead professional named" in body
    viewed = AuditEntry.objects.filter(actor_id=worker.pk, action="view",
                                       object_type="task").latest("sequence")
    assert viewed.purpose == "direct_work"
