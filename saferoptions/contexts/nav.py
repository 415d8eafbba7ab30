"""Links to the context pages for the header and home page (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

from . import permissions

NAV_ENTRIES = [
    NavEntry("Contexts", "contexts:cases", "Place, peer group and school cases.",
             duty="view_context_cases"),
    NavEntry("Hot spots", "contexts:hotspots",
             "Where assaults and incidents cluster, by time of day and week.",
             duty="view_hotspots", header=False),
    NavEntry("Refer a place, group or school", "contexts:refer",
             "Tell the Hub about a context where children may be harmed.",
             duty="refer_places", header=False, name=permissions.refer_link),
    NavEntry("Suggested peer groups", "contexts:suggested-groups",
             "Groups found in the records, for you to confirm.",
             duty="analyse_contexts", header=False),
    NavEntry("Hospital locations to resolve", "contexts:locations",
             "Where emergency departments say an assault happened, matched to places.",
             duty="resolve_locations", header=False),
]
