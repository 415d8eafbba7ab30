"""Break-glass access in the header and on the home page (registered in apps.py).

The sharing agreements' entry is registered by `accounts` (see accounts/nav.py).
"""

from saferoptions.core.navigation import WORK_WITH_CHILDREN, NavEntry

NAV_ENTRIES = [
    NavEntry("Break-glass reviews", "access:break-glass-queue",
             "Review emergency access to records.",
             duty="review_break_glass", order=40),
    NavEntry("Open a record in an emergency", "access:break-glass",
             "Break-glass access when a child may be at risk now.", duty=WORK_WITH_CHILDREN,
             header=False, order=85),
]
