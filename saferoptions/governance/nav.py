"""The retention review in the header (registered in apps.py)."""

from saferoptions.core.models import Role
from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Retention review", "governance:review",
             "Records due for review or disposal, and legal holds.",
             frozenset({Role.DATA_PROTECTION_OFFICER}), order=50),
]
