"""The demo's present: the last hours' partner messages arrive through the feeds' own intake,
so each journey's person signing in finds live work (journey 1: the rapid-response referral)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import ClockKind, StatutoryClock, TeamAroundChildMember
from saferoptions.city.present import KEY_PREFIX, arrive_now
from saferoptions.core import clock
from saferoptions.core.models import User
from saferoptions.events.models import EventType, Involvement
from saferoptions.feeds.models import InboxMessage, MessageStatus
from saferoptions.people.models import Relationship
from saferoptions.tasks.models import Notification, Task, TaskStatus, TaskType

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2025, 3, 12, 15, 30, tzinfo=LONDON)  # a Wednesday afternoon


def run(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, tmp_path):
    """`make demo` on a small city: generated, accounts and caseloads, brought to life."""
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    # seed 3: a child still missing this week, whom the present brings home (seed 2's city has
    # none since the city's individual truth was made honest, city/visibility.py)
    run("generate_city", "--children", "600", "--seed", "3", "--ending-today")
    run("create_demo_accounts")
    run("assign_demo_caseloads")
    return run("bring_demo_to_life")


def _present():
    return InboxMessage.objects.filter(idempotency_key__startswith=KEY_PREFIX)


def test_the_present_arrives_through_the_feeds_once_leaving_live_work_for_each_journey(demo):
    assert "Arrived in the last hours" in demo
    messages = list(_present().select_related("event"))
    assert {"ed_assault", "missing_episode", "school_incident"} <= {
        m.feed_type for m in messages} <= {"ed_assault", "missing_episode", "school_incident",
                                           "stop_search"}
    # Stored, then processed by the feeds' job: accepted, each with its event, in the hours
    # before now, oldest first; the job's own audit row names them.
    assert all(m.status == MessageStatus.ACCEPTED and m.event_id for m in messages)
    assert all(NOW - dt.timedelta(hours=8) < m.received_at < NOW for m in messages)
    assert sorted(messages, key=lambda m: m.received_at) == sorted(messages, key=lambda m: m.pk)
    audited = {pk for e in AuditEntry.objects.filter(object_type="event", action="create",
                                                     purpose="partner feed")
               for pk in e.detail.get("messages", [])}
    assert {m.pk for m in messages} <= audited

    # Journey 1: the Barnardo's lead worker's rapid response, due within 24 hours, names the
    # boy, known to the Hub: records from three agencies, missing twice lately, a lead worker.
    worker = User.objects.get(username="demo-lead-worker")
    fresh = Task.objects.filter(task_type=TaskType.HOSPITAL_RAPID_RESPONSE,
                                status=TaskStatus.OPEN, team=worker.team,
                                created_at__gte=NOW - dt.timedelta(hours=1))
    task = fresh.select_related("person", "event").get()
    assert NOW < task.due_at <= NOW + dt.timedelta(hours=24)
    assert task.event.reporting_agency.slug == "hospital-ed"
    boy = task.person
    assert boy.identities.values("agency").distinct().count() >= 3
    assert boy.involvements.filter(event__event_type=EventType.MISSING_EPISODE).count() >= 2
    assert TeamAroundChildMember.objects.filter(person=boy, role="lead_professional").exists()
    client = Client()
    client.force_login(worker)
    with clock.frozen(NOW):
        page = client.get(f"/tasks/{task.pk}/").content.decode()
        inbox = client.get("/tasks/").content.decode()
    assert boy.display_name in page
    assert Notification.objects.filter(user=worker, task=task, read_at__isnull=True).exists()
    assert f'href="/tasks/{task.pk}/"' in inbox

    # The Education Inclusion Manager's risk assessment after the knife in a bag.
    school = Task.objects.get(task_type=TaskType.RISK_ASSESSMENT,
                              event__in=[m.event for m in messages])
    assert school.status == TaskStatus.OPEN and NOW < school.due_at <= NOW + dt.timedelta(hours=24)
    # Journey 2: the pupil's older brother or sister was stopped and searched two evenings ago,
    # on the police's record (the city's own, or sent this morning where the city had none).
    family = Relationship.objects.filter(kind="family", person=school.person).values("other_id")
    assert Involvement.objects.filter(
        person_id__in=family, event__event_type=EventType.STOP_SEARCH,
        event__occurred_at__gte=NOW - dt.timedelta(days=7)).exists()
    # The child home from missing: an interview and its clock, one duty with one deadline
    # (each child's own, where children went missing together).
    returned = next(m.event for m in messages if m.feed_type == "missing_episode")
    assert returned.ended_at is not None
    interviews = Task.objects.filter(task_type=TaskType.RETURN_HOME_INTERVIEW, event=returned)
    assert interviews.exists()
    for interview in interviews:
        clock_row = StatutoryClock.objects.get(
            kind=ClockKind.RETURN_HOME_INTERVIEW,
            key=f"rhi:event:{returned.pk}:{interview.person_id}")
        assert interview.due_at == clock_row.due_at > NOW
        assert interview.team.slug.startswith("early-help-")

    # Once until it is stale (one city generated for both: it is the slow part).
    first = _present().count()
    again = run("bring_demo_to_life")
    assert "already alive" in again and "already fresh" in again
    assert _present().count() == first
    with clock.frozen(NOW + dt.timedelta(hours=13)):  # the next morning: a new day's few
        assert arrive_now(seed=2).messages
    assert _present().count() > first
