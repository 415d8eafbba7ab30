"""The meetings pages in the header and on the home page (see `web/nav.py`)."""

from saferoptions.access.policy import roles_with
from saferoptions.web.nav import NavEntry

NAV_ENTRIES = [
    NavEntry("Locality meetings", "meetings:list",
             "The weekly multi-agency meeting: agendas, decisions, actions and minutes.",
             frozenset(roles_with("chair_meetings") + roles_with("attend_meetings"))),
]
