"""SLA clocks: amber at 75% of the time, red at breach, each notified once, in app and email."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.tasks import outcomes, services
from saferoptions.tasks.models import Notification, Task
from saferoptions.tasks.selectors import clock_of
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

from .factories import make_task, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def barnardos_worker():
    return UserFactory(role="lead_worker", team=Team.objects.get(slug="barnardos-base-routes"))


def test_a_new_task_notifies_the_team_in_the_app_and_by_email(barnardos_worker):
    send("ed_assault")
    note = Notification.objects.get(user=barnardos_worker)
    assert note.kind == "new" and note.emailed_at is not None
    assert mail.outbox[0].to == [barnardos_worker.email]
    # The email names no one: the task type, the due time and a link.
    assert "Sam" not in mail.outbox[0].body and "Taylor" not in mail.outbox[0].body
    # ...a link that works from a mail program, not a path with no site before it
    task = Task.objects.get()
    assert f"{settings.SITE_URL}/tasks/{task.pk}/" in mail.outbox[0].body
    assert settings.SITE_URL.startswith("http")


def test_escalation_marks_amber_then_red_once_each(barnardos_worker):
    send("ed_assault")
    task = Task.objects.get()
    start = task.created_at
    with clock.frozen(start + dt.timedelta(hours=12)):
        assert services.escalate_due_tasks() == []
        assert clock_of(task)["state"] == "green"
    with clock.frozen(start + dt.timedelta(hours=18, minutes=1)):
        assert services.escalate_due_tasks() == [task.pk]
        assert services.escalate_due_tasks() == []  # the periodic job runs again: no repeat
        task.refresh_from_db()
        assert task.escalation == 1 and clock_of(task)["state"] == "amber"
    with clock.frozen(start + dt.timedelta(hours=24, minutes=1)):
        assert services.escalate_due_tasks() == [task.pk]
        task.refresh_from_db()
        assert task.escalation == 2 and clock_of(task)["state"] == "red"
        assert "overdue" in clock_of(task)["text"]
    kinds = set(Notification.objects.filter(user=barnardos_worker).values_list("kind", flat=True))
    assert kinds == {"new", "amber", "breach"}


def test_a_completed_task_is_never_escalated(barnardos_worker):
    send("ed_assault")
    task = Task.objects.get()
    outcomes.record_outcome(actor=barnardos_worker, task=task, outcome="not_reached",
                            happened_at=clock.now(), answers={})
    with clock.frozen(task.due_at + dt.timedelta(hours=1)):
        assert services.escalate_due_tasks() == []


def _banner(page: str) -> str:
    return page.split('id="notes-title"')[1].split("Mark as read")[0]


def test_new_for_you_names_the_child_the_worker_may_see_and_no_other(barnardos_worker):
    """The rapid-response referral names its child (the team's open task is its work with him);
    a place review about a child the team does not work with reads exactly as a place review
    about no child: forbidden looks like absent. Naming the child is audited."""
    boy = PersonFactory(given_name="Tyrese", family_name="Iqbal")
    task = make_task("barnardos-base-routes", person=boy, key="referral")
    stranger = PersonFactory(given_name="Zinnia", family_name="Quarrington")
    with clock.frozen(clock.now()):  # the two place reviews fall due at the same moment
        about = make_task("barnardos-base-routes", "community-concern-place-review",
                          key="about", person=stranger, due_in_hours=30)
        nobody = make_task("barnardos-base-routes", "community-concern-place-review",
                           key="nobody", due_in_hours=30)
    done = make_task("barnardos-base-routes", person=boy, key="done", status="done")
    for row in (task, about, nobody, done):
        Notification.objects.create(user=barnardos_worker, task=row, kind="new",
                                    created_at=clock.now())
    client = Client()
    client.force_login(barnardos_worker)
    banner = _banner(client.get("/tasks/").content.decode())
    assert "New task: Hospital rapid response for Tyrese Iqbal</a>" in banner
    assert "Quarrington" not in banner and "Person " not in banner
    assert f"/tasks/{done.pk}/" not in banner  # done already: waiting for no one
    items = {row: re.search(rf'href="/tasks/{row.pk}/">(.*?)</li>', banner).group(1)
             for row in (about, nobody)}
    assert items[about] == items[nobody]  # the same due time: the same words
    assert items[about].startswith("New task: Place review</a>, due ")
    entry = AuditEntry.objects.filter(actor=barnardos_worker, object_type="person").get()
    assert entry.object_ids == [str(boy.pk)] and entry.detail["tasks"] == [task.pk]


def test_new_for_you_has_one_line_per_task_its_newest_news(barnardos_worker):
    """A task that went amber after it arrived was listed twice ('New task' and 'Task at 75%'),
    so a busy team's banner ran to a screen of repeats above the tasks themselves."""
    boy = PersonFactory(given_name="Tyrese", family_name="Iqbal")
    task = make_task("barnardos-base-routes", person=boy, key="referral")
    other = make_task("barnardos-base-routes", person=boy, key="other")
    start = clock.now()
    for row, kind, minutes in ((task, "new", 0), (other, "new", 1), (task, "amber", 2)):
        Notification.objects.create(user=barnardos_worker, task=row, kind=kind,
                                    created_at=start + dt.timedelta(minutes=minutes))
    client = Client()
    client.force_login(barnardos_worker)
    banner = _banner(client.get("/tasks/").content.decode())
    assert banner.count(f'href="/tasks/{task.pk}/"') == 1
    assert banner.count(f'href="/tasks/{other.pk}/"') == 1
    assert f'href="/tasks/{task.pk}/">Task at 75% of its time' in banner
    assert banner.index(f"/tasks/{task.pk}/") < banner.index(f"/tasks/{other.pk}/")


def test_mark_as_read_clears_only_the_news_the_banner_showed(barnardos_worker):
    """The banner shows the newest 20 tasks' news; 'Mark as read' cleared every unread notice,
    so news about a 21st task was never seen."""
    tasks = [make_task("barnardos-base-routes", key=f"t{i}") for i in range(22)]
    for minutes, row in enumerate(tasks):
        Notification.objects.create(user=barnardos_worker, task=row, kind="new",
                                    created_at=clock.now() + dt.timedelta(minutes=minutes))
    client = Client()
    client.force_login(barnardos_worker)
    page = client.get("/tasks/").content.decode()
    assert f'href="/tasks/{tasks[0].pk}/"' not in _banner(page)  # the oldest two wait
    shown = re.findall(r'name="task" value="(\d+)"', page)
    assert len(shown) == 20
    client.post("/tasks/notifications/read/", {"task": shown})
    unread = Notification.objects.filter(user=barnardos_worker, read_at__isnull=True)
    assert sorted(unread.values_list("task_id", flat=True)) == [tasks[0].pk, tasks[1].pk]
    assert f'href="/tasks/{tasks[0].pk}/"' in _banner(client.get("/tasks/").content.decode())


def test_a_tampered_list_of_notices_marks_nothing(barnardos_worker):
    task = make_task("barnardos-base-routes", key="one")
    Notification.objects.create(user=barnardos_worker, task=task, kind="new",
                                created_at=clock.now())
    client = Client()
    client.force_login(barnardos_worker)
    response = client.post("/tasks/notifications/read/", {"task": ["1", "x; drop"]})
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "-1", ""])
def test_a_notice_number_that_is_no_number_marks_nothing_and_says_so(barnardos_worker, value):
    # '²' passed str.isdigit() and int() refused it: the banner's button answered 500.
    task = make_task("barnardos-base-routes", key="one")
    Notification.objects.create(user=barnardos_worker, task=task, kind="new",
                                created_at=clock.now())
    client = Client()
    client.force_login(barnardos_worker)
    response = client.post("/tasks/notifications/read/", {"task": [str(task.pk), value]},
                           follow=True)
    assert response.status_code == 200
    assert "Nothing was marked as read" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
