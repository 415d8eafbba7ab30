"""The home page's count of the team's open tasks (read by `web.nav`; the link is in ENTRIES)."""

from saferoptions.core import clock
from saferoptions.web.nav import CHILD_WORKERS, WorkCount

from .models import Task, TaskStatus


def _task_counts(user) -> list[WorkCount]:
    """Open tasks of the user's team (the tasks they may open), and whether any is overdue."""
    if user.role not in CHILD_WORKERS or user.team_id is None:
        return []
    open_tasks = Task.objects.filter(team_id=user.team_id, status=TaskStatus.OPEN)
    overdue = open_tasks.filter(due_at__lt=clock.now()).exists()
    return [WorkCount(open_tasks.count(), "open tasks for your team", "tasks:inbox",
                      urgent=overdue, singular="open task for your team")]


HOME_COUNTS = [_task_counts]
