"""The audit search in the header (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Audit search", "audit:search",
             "Search who looked at or changed which records, and why.",
             duty="search_audit", order=30),
]
