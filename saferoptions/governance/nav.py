"""The retention review in the header (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Retention review", "governance:review",
             "Records due for review or disposal, and legal holds.",
             duty="review_retention", order=50),
]
