"""What tasks tells the access policy (`access/registry.py`), registered in `TasksConfig.ready()`.

A task the partnership's rules (or the locality meeting) send a team to do with a child is
that team's direct work with the child: the rapid response worker must find and call them,
the Education Inclusion Manager assess them. So a member of the task's team works with the
task's child while the task is open, and for `TASKS_ACCESS_DAYS_AFTER` days after it is done
(from the day it was completed, inclusive). A cancelled task gives nothing: the partnership
withdrew the ask. The Hub's triage and a place review are work *about* a child, not with
them: the Hub reads the child for triage already, so those tasks give nothing here either
(and never turn triage into direct work, whose agreements share more).

Which categories the team then sees is still the agreements' question (direct work, by the
source agency): this only says the team works with the child. docs/access-policy.md.
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from saferoptions.access import registry
from saferoptions.core import clock

from .models import Task, TaskStatus, TaskType

# Task types that are work with the child themselves.
WORK_WITH_THE_CHILD = (TaskType.HOSPITAL_RAPID_RESPONSE, TaskType.RISK_ASSESSMENT,
                       TaskType.RETURN_HOME_INTERVIEW, TaskType.LOCALITY_MEETING_ACTION)


def done_since(today: dt.date) -> dt.datetime:
    """A task done at or after this moment (local midnight) still gives its team the child."""
    first = today - dt.timedelta(days=settings.TASKS_ACCESS_DAYS_AFTER)
    return dt.datetime.combine(first, dt.time.min, tzinfo=clock.LOCAL)


def _task_people(viewer, today) -> QuerySet | None:
    if viewer.team_id is None:
        return None
    done_lately = Q(status=TaskStatus.DONE, completed_at__gte=done_since(today))
    live = Q(status=TaskStatus.OPEN) | done_lately
    return Task.objects.filter(live, team_id=viewer.team_id, task_type__in=WORK_WITH_THE_CHILD,
                               person_id__isnull=False).values("person_id")


def _task_exists(viewer, person_id, today) -> tuple[str, list] | None:
    if viewer.team_id is None:
        return None
    task = Task._meta.db_table
    types = ", ".join(["%s"] * len(WORK_WITH_THE_CHILD))
    since = connection.ops.adapt_datetimefield_value(done_since(today))
    # Only the table name from the model is formatted in; every value is a query parameter.
    sql = (f"EXISTS(SELECT 1 FROM {task} t WHERE t.person_id = %s AND t.team_id = %s"  # noqa: S608
           f" AND t.task_type IN ({types})"
           " AND (t.status = %s OR (t.status = %s AND t.completed_at >= %s)))")
    return sql, [person_id, viewer.team_id, *[str(t) for t in WORK_WITH_THE_CHILD],
                 str(TaskStatus.OPEN), str(TaskStatus.DONE), since]


TASK = registry.WorksWith("a task for the viewer's team", _task_people, _task_exists)


def register() -> None:
    registry.register_works_with(TASK)
