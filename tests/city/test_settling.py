"""Settling the past: the demo's teams worked their queues, through the real services."""

import datetime as dt
import io
import random
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import ClockKind, Concern, StatutoryClock
from saferoptions.city.settling import open_work, settling_time, still_open_chance
from saferoptions.core import clock
from saferoptions.tasks.models import OutcomeState, Task, TaskOutcome, TaskStatus, TaskType

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=LONDON)  # a Wednesday morning
HOUR, DAY, WINDOW = dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(days=14)


def run(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def settled(settings, tmp_path):
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    run("generate_city", "--children", "300", "--seed", "2", "--ending-today")
    return run("bring_demo_to_life")


@pytest.mark.django_db
def test_most_past_work_is_done_and_only_a_few_items_are_overdue(settled):
    with clock.frozen(NOW):
        state = open_work(NOW)
    assert state["tasks"] and state["concerns"]  # live work is waiting
    # A few: at most a fifth, or two in a small city (last week's meeting may leave an action
    # or two overdue for next week's agenda to chase, as real teams do).
    assert state["tasks_overdue"] <= max(2, 0.2 * state["tasks"])
    assert state["concerns_overdue"] <= max(2, 0.2 * state["concerns"])
    assert Task.objects.filter(status=TaskStatus.DONE).count() > state["tasks"]
    assert Concern.objects.exclude(outcome="").count() > state["concerns"]
    # Nothing not yet due was settled: the recent work is open for the newcomer.
    assert not Task.objects.filter(status=TaskStatus.DONE, due_at__gte=NOW).exists()
    # The fresh present arrives after settling and only adds open work, so the settling line's
    # count of what it left open is at most what is open now.
    line = next(x for x in settled.splitlines() if x.startswith("Settled the past: "))
    left_open = int(re.search(r"left open: ([\d,]+) tasks", line).group(1).replace(",", ""))
    assert 0 < left_open <= state["tasks"]


@pytest.mark.django_db
def test_settled_work_has_its_outcome_audit_rows_and_met_clocks(settled):
    done = list(Task.objects.filter(status=TaskStatus.DONE))
    assert {t.task_type for t in done} >= {TaskType.HUB_TRIAGE, TaskType.RETURN_HOME_INTERVIEW}
    current = {o.task_id: o for o in TaskOutcome.objects.filter(state=OutcomeState.CURRENT)}
    audited = {pk for e in AuditEntry.objects.filter(object_type="task", action="create",
                                                     purpose="direct_work")
               for pk in e.object_ids}
    for task in done:
        outcome = current[task.pk]
        assert outcome.happened_at <= task.completed_at <= NOW and task.completed_by_id
        assert task.created_at <= outcome.recorded_at
        assert str(task.pk) in audited
    decided = Concern.objects.exclude(outcome="")
    assert all(c.outcome_reasons and c.decided_by_id and c.raised_at <= c.decided_at <= NOW
               for c in decided)
    audited = {pk for e in AuditEntry.objects.filter(object_type="concern", action="update",
                                                     purpose="triage") for pk in e.object_ids}
    assert {str(pk) for pk in decided.values_list("pk", flat=True)} <= audited
    # A decision meets its triage clock; an interview done meets the child's interview clock.
    triage = StatutoryClock.objects.filter(kind=ClockKind.TRIAGE_DECISION)
    assert triage.filter(met_at__isnull=False).count() == decided.count()
    interviews = [t for t in done if t.task_type == TaskType.RETURN_HOME_INTERVIEW]
    for task in interviews:
        clocks = StatutoryClock.objects.filter(key__startswith=f"rhi:event:{task.event_id}:")
        assert not clocks.filter(met_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_second_run_settles_nothing_new(settled):
    def state():
        with clock.frozen(NOW):
            return (open_work(NOW), TaskOutcome.objects.count(), AuditEntry.objects.count(),
                    list(Concern.objects.values_list("pk", "outcome", "decided_at")))

    before = state()
    assert "already alive" in run("bring_demo_to_life")
    assert state() == before


def test_work_not_yet_due_stays_open_and_past_work_is_done_between_arrival_and_now():
    arrived = NOW - 3 * DAY
    assert settling_time(random.Random(1), arrived, NOW + HOUR, NOW, WINDOW) is None
    times = [settling_time(random.Random(n), arrived, arrived + DAY, NOW, WINDOW)
             for n in range(400)]
    done = [t for t in times if t is not None]
    assert len(done) > 0.9 * len(times)
    assert all(arrived < t <= NOW for t in done)
    late = [t for t in done if t > arrived + DAY]
    assert 0.05 * len(done) < len(late) < 0.3 * len(done)


def test_the_recently_overdue_are_likelier_still_open_than_the_long_overdue():
    chances = [still_open_chance(DAY, days * DAY, WINDOW) for days in (0, 1, 3, 10)]
    assert chances == sorted(chances, reverse=True) and 0 < chances[-1] < chances[0] < 0.2
