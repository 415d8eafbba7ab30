"""The task pages in the header and on the home page, and the home page's count of the team's
open tasks (registered in apps.py)."""

from saferoptions.access.policy import has_duty
from saferoptions.core.navigation import WORK_WITH_CHILDREN, NavEntry, WorkCount

from .selectors import task_counts

NAV_ENTRIES = [
    # "Tasks", not "My tasks": it opens the team's tasks, where new work waits until someone
    # takes it; the page's own tab holds the ones the reader has taken.
    NavEntry("Tasks", "tasks:inbox", "Your team's tasks, and the ones you have taken, with "
             "their deadlines.", duty=WORK_WITH_CHILDREN, order=20),
    NavEntry("Task rules", "tasks:rules", "The timescales that create tasks.",
             duty="view_task_rules", header=False, order=90),
]


def _task_counts(user) -> list[WorkCount]:
    """Open tasks of the user's team (the tasks they may open), and whether any is overdue."""
    if not has_duty(user, WORK_WITH_CHILDREN) or user.team_id is None:
        return []
    counts = task_counts(user)  # the same count as the team's and my task lists
    return [WorkCount(counts["open"], "open tasks for your team", "tasks:inbox",
                      urgent=counts["overdue"] > 0, singular="open task for your team")]


HOME_COUNTS = [_task_counts]
