"""The task pages in the header and on the home page, and the home page's count of the team's
open tasks (registered in apps.py)."""

from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.core.navigation import CHILD_WORKERS, NavEntry, WorkCount

from .models import Task, TaskStatus

NAV_ENTRIES = [
    NavEntry("My tasks", "tasks:inbox", "Your tasks and their deadlines.", CHILD_WORKERS,
             order=20),
    NavEntry("Task rules", "tasks:rules", "The timescales that create tasks.",
             frozenset({Role.HUB_PRACTITIONER, Role.TEAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}),
             header=False, order=90),
]


def _task_counts(user) -> list[WorkCount]:
    """Open tasks of the user's team (the tasks they may open), and whether any is overdue."""
    if user.role not in CHILD_WORKERS or user.team_id is None:
        return []
    open_tasks = Task.objects.filter(team_id=user.team_id, status=TaskStatus.OPEN)
    overdue = open_tasks.filter(due_at__lt=clock.now()).exists()
    return [WorkCount(open_tasks.count(), "open tasks for your team", "tasks:inbox",
                      urgent=overdue, singular="open task for your team")]


HOME_COUNTS = [_task_counts]
