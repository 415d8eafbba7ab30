"""Links to the pathway pages for the header and home page (read by `web.nav`)."""

from saferoptions.access.policy import roles_with
from saferoptions.web.nav import CHILD_WORKERS, NavEntry

NAV_ENTRIES = [
    NavEntry("My work", "cases:my-work",
             "The children you work with, their clocks and tasks; your assessments and actions.",
             CHILD_WORKERS),
    NavEntry("Triage queue", "cases:triage", "Concerns waiting for a Hub decision.",
             frozenset(roles_with("triage_concerns"))),
    NavEntry("Team caseload", "cases:team",
             "Each worker's children, overdue and unallocated work; allocate children.",
             frozenset(roles_with("allocate_within_team"))),
    NavEntry("Overdue", "cases:overdue", "Clocks overdue or due soon in your team.",
             frozenset(roles_with("oversee_cases")), header=False),
    NavEntry("Raise a concern about a child", "cases:refer",
             "Tell the Safer Options Hub about a child you are worried about.", header=False),
    NavEntry("Your notifications", "cases:notifications",
             "What the Hub decided about your concerns, and changes to the teams you lead.",
             header=False),
]
