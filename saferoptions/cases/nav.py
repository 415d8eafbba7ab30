"""Links to the pathway pages for the header and home page (read by `web.nav`)."""

from saferoptions.core.models import Role
from saferoptions.web.nav import CHILD_WORKERS, NavEntry

NAV_ENTRIES = [
    NavEntry("My work", "cases:my-work", "Your clocks, assessments and plan actions.",
             CHILD_WORKERS),
    NavEntry("Triage queue", "cases:triage", "Concerns waiting for a Hub decision.",
             frozenset({Role.HUB_PRACTITIONER})),
    NavEntry("Overdue", "cases:overdue", "Clocks overdue or due soon in your team.",
             frozenset({Role.TEAM_MANAGER, Role.LOCALITY_CHAIR}), header=False),
    NavEntry("Raise a concern about a child", "cases:refer",
             "Tell the Safer Options Hub about a child you are worried about.", header=False),
    NavEntry("Your concerns", "cases:notifications",
             "What the Hub decided about the concerns you raised.", header=False),
]
