"""Links to the pathway pages for the header and home page, and the home page's counts
(registered in apps.py)."""

from saferoptions.access.policy import has_duty
from saferoptions.core import clock
from saferoptions.core.navigation import WORK_WITH_CHILDREN, NavEntry, WorkCount

from .models import Assessment, Concern
from .selectors.caseload import _visible, home_counts
from .selectors.triage import _queue_q, may_triage


def _notifications_words(user) -> str:
    """Changes to a team around a child reach only those who work with children."""
    if has_duty(user, WORK_WITH_CHILDREN):
        return ("What the Hub decided about your concerns, and changes to the teams around "
                "the children you work with.")
    return "What the Hub decided about the concerns you raised."


NAV_ENTRIES = [
    NavEntry("My work", "cases:my-work",
             "The children you work with, their clocks and tasks; your assessments and actions.",
             duty=WORK_WITH_CHILDREN),
    NavEntry("Triage queue", "cases:triage", "Concerns waiting for a Hub decision.",
             duty="triage_concerns"),
    NavEntry("Team caseload", "cases:team",
             "Each worker's children, overdue and unallocated work; allocate children.",
             duty="allocate_within_team"),
    NavEntry("Overdue", "cases:overdue", "Clocks overdue or due soon in your team.",
             duty="oversee_cases", header=False),
    NavEntry("Raise a concern about a child", "cases:refer",
             "Tell the Safer Options Hub about a child you are worried about.", header=False),
    NavEntry("Your notifications", "cases:notifications",
             "What the Hub decided about your concerns, and changes to the teams you lead.",
             header=False, describe=_notifications_words),
]


def _pathway_counts(user) -> list[WorkCount]:
    """Children I work with, clocks due, the triage queue, approvals, the team's late work."""
    found = []
    if has_duty(user, WORK_WITH_CHILDREN):
        counts = home_counts(user)
        found += [WorkCount(counts["children"], "children you work with", "cases:my-work",
                            singular="child you work with"),
                  WorkCount(counts["clocks_due"], "clocks due soon or overdue",
                            "cases:my-work", urgent=counts["clocks_overdue"] > 0,
                            singular="clock due soon or overdue")]
        if "team_overdue" in counts:
            found.append(WorkCount(counts["team_overdue"], "overdue clocks in your team",
                                   "cases:team", urgent=counts["team_overdue"] > 0,
                                   singular="overdue clock in your team"))
    if may_triage(user):
        queue = Concern.objects.filter(_queue_q(user), outcome="", withdrawn_at__isnull=True)
        overdue = queue.filter(due_at__lt=clock.now()).exists()
        found.append(WorkCount(queue.count(), "concerns waiting in the triage queue",
                               "cases:triage", urgent=overdue,
                               singular="concern waiting in the triage queue"))
    if has_duty(user, "approve_assessments"):
        waiting = Assessment.objects.filter(status="submitted", person__in=_visible(user))
        found.append(WorkCount(waiting.exclude(worker=user).count(),
                               "assessments waiting for your approval", "cases:my-work",
                               singular="assessment waiting for your approval"))
    return found


HOME_COUNTS = [_pathway_counts]
