"""The dashboards' link for the header and home page (registered in apps.py)."""

from saferoptions.access.policy import roles_with
from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Dashboards", "dashboards:index",
             "Safer Options, Violence Reduction and Exploitation: live figures with small "
             "numbers suppressed.", frozenset(roles_with("view_dashboards"))),
]
