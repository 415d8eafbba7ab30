"""Links to the context pages for the header and home page (read by `web.nav`)."""

from django.conf import settings

from saferoptions.web.nav import NavEntry


def _roles(setting: str) -> frozenset:
    return frozenset(getattr(settings, setting))


NAV_ENTRIES = [
    NavEntry("Contexts", "contexts:cases", "Place, peer group and school cases.",
             _roles("CONTEXTS_CASE_VIEWER_ROLES")),
    NavEntry("Hot spots", "contexts:hotspots",
             "Where assaults and incidents cluster, by time of day and week.",
             _roles("CONTEXTS_HOTSPOT_ROLES"), header=False),
    NavEntry("Refer a place, group or school", "contexts:refer",
             "Tell the Hub about a context where children may be harmed.",
             _roles("CONTEXTS_PLACE_REFERRER_ROLES"), header=False),
    NavEntry("Suggested peer groups", "contexts:suggested-groups",
             "Groups found in the records, for you to confirm.",
             _roles("CONTEXTS_ANALYST_ROLES"), header=False),
    NavEntry("Hospital locations to resolve", "contexts:locations",
             "Where emergency departments say an assault happened, matched to places.",
             _roles("CONTEXTS_LOCATION_RESOLVER_ROLES"), header=False),
]
