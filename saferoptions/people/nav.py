"""The child search in the header (registered in apps.py)."""

from saferoptions.core.navigation import CHILD_WORKERS, NavEntry

NAV_ENTRIES = [
    NavEntry("Find a child", "people:search",
             "Search for a child or young person known to the partnership.", CHILD_WORKERS,
             order=10),
]
