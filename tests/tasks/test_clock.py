"""SLA clocks: amber at 75% of the time, red at breach, each notified once, in app and email."""

import datetime as dt

import pytest
from django.core import mail

from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.tasks import outcomes, services
from saferoptions.tasks.models import Notification, Task
from saferoptions.tasks.selectors import clock_of
from tests.core.factories import UserFactory

from .factories import send

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
