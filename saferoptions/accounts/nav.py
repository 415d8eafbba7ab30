"""Links to the account pages for the header and home page (read by `web.nav`)."""

from saferoptions.web.nav import NavEntry

from .reach import APPROVERS, MANAGERS

NAV_ENTRIES = [
    NavEntry("Accounts", "accounts:accounts",
             "Add accounts and change their roles, agencies and teams.", frozenset(MANAGERS)),
    NavEntry("Account approvals", "accounts:changes",
             "Approve or refuse changes that widen someone's reach.", frozenset(APPROVERS),
             header=False),
]
