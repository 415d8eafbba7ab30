"""The dashboards' link for the header and home page (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Dashboards", "dashboards:index",
             "Safer Options, Violence Reduction and Exploitation: live figures with small "
             "numbers suppressed.", duty="view_dashboards"),
]
