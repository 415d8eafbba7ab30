"""Links to the account and agreement pages for the header and home page (registered in apps.py).

The agreement pages' entry is registered here, next to the accounts pages, so the header keeps
them together.
"""

from saferoptions.access import agreements
from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Accounts", "accounts:accounts",
             "Add accounts and change their roles, agencies and teams.", duty="manage_accounts"),
    NavEntry("Account approvals", "accounts:changes",
             "Approve or refuse changes that widen someone's reach.",
             duty="approve_account_changes",
             header=False),
    NavEntry("Sharing agreements", "access:agreements",
             "Information sharing agreements between agencies: proposed, approved, ended.",
             frozenset(agreements.VIEWERS)),
]
