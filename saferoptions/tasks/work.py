"""The team's open tasks as open work about children, for the caseload pages in `cases`."""

from django.urls import reverse

from saferoptions.cases import timescales
from saferoptions.cases.work_sources import OpenItem
from saferoptions.core import clock

from .models import Task, TaskStatus


def _state(task: Task, now) -> timescales.ClockState:
    """The task's SLA in the clocks' words: overdue at breach, due soon at 75% of the time."""
    if now > task.due_at:
        return timescales.ClockState(timescales.OVERDUE)
    return timescales.ClockState(timescales.AMBER if now >= task.amber_at
                                 else timescales.ON_TIME)


def open_team_tasks(*, team_id, person_ids=None) -> list[OpenItem]:
    """Open tasks of the team, about the given children (every open task when None)."""
    rows = Task.objects.filter(team_id=team_id, status=TaskStatus.OPEN)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    now = clock.now()
    return [OpenItem(kind=t.get_task_type_display(), due_at=t.due_at, state=_state(t, now),
                     url=reverse("tasks:detail", args=[t.pk]), person_id=t.person_id,
                     source="task", item_id=t.pk)
            for t in rows.order_by("due_at")]
