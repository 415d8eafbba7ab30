"""The meetings pages in the header and on the home page (see `web/nav.py`)."""

from django.conf import settings

from saferoptions.web.nav import NavEntry

NAV_ENTRIES = [
    NavEntry("Locality meetings", "meetings:list",
             "The weekly multi-agency meeting: agendas, decisions, actions and minutes.",
             frozenset(settings.MEETINGS_CHAIR_ROLES + settings.MEETINGS_ATTENDEE_ROLES)),
]
