"""Break-glass access in the header and on the home page (registered in apps.py).

The sharing agreements' entry is registered by `accounts` (see accounts/nav.py).
"""

from saferoptions.core.models import Role
from saferoptions.core.navigation import CHILD_WORKERS, NavEntry

NAV_ENTRIES = [
    NavEntry("Break-glass reviews", "access:break-glass-queue",
             "Review emergency access to records.",
             frozenset({Role.DATA_PROTECTION_OFFICER, Role.TEAM_MANAGER}), order=40),
    NavEntry("Open a record in an emergency", "access:break-glass",
             "Break-glass access when a child may be at risk now.", CHILD_WORKERS,
             header=False, order=85),
]
