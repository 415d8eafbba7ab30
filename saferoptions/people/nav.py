"""The child search in the header (registered in apps.py)."""

from saferoptions.core.navigation import WORK_WITH_CHILDREN, NavEntry

NAV_ENTRIES = [
    NavEntry("Find a child", "people:search",
             "Search for a child or young person known to the partnership.",
             duty=WORK_WITH_CHILDREN,
             order=10),
]
