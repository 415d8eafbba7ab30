"""Links to the context pages for the header and home page (registered in apps.py)."""

from saferoptions.access.policy import roles_with
from saferoptions.core.navigation import NavEntry


def _roles(duty: str) -> frozenset:
    return frozenset(roles_with(duty))


NAV_ENTRIES = [
    NavEntry("Contexts", "contexts:cases", "Place, peer group and school cases.",
             _roles("view_context_cases")),
    NavEntry("Hot spots", "contexts:hotspots",
             "Where assaults and incidents cluster, by time of day and week.",
             _roles("view_hotspots"), header=False),
    NavEntry("Refer a place, group or school", "contexts:refer",
             "Tell the Hub about a context where children may be harmed.",
             _roles("refer_places"), header=False),
    NavEntry("Suggested peer groups", "contexts:suggested-groups",
             "Groups found in the records, for you to confirm.",
             _roles("analyse_contexts"), header=False),
    NavEntry("Hospital locations to resolve", "contexts:locations",
             "Where emergency departments say an assault happened, matched to places.",
             _roles("resolve_locations"), header=False),
]
