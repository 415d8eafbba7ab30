"""The meetings pages in the header and on the home page (registered in apps.py)."""

from saferoptions.access.policy import roles_with
from saferoptions.core import clock
from saferoptions.core.navigation import NavEntry, WorkCount

from . import permissions, selectors

NAV_ENTRIES = [
    NavEntry("Locality meetings", "meetings:list",
             "The weekly multi-agency meeting: agendas, decisions, actions and minutes.",
             frozenset(roles_with("chair_meetings") + roles_with("attend_meetings"))),
]


def _meeting_counts(user) -> list[WorkCount]:
    """Upcoming meetings the user may open (the ones they chair or are invited to)."""
    if not permissions.may_use_meetings(user):
        return []
    upcoming = permissions.visible_meetings(user).filter(held_on__gte=clock.today()).count()
    counts = [WorkCount(upcoming, "upcoming locality meetings", "meetings:list",
                        singular="upcoming locality meeting")]
    withdrawn = selectors.withdrawn_invitations(user).count()
    if withdrawn:
        # the invitee hears it where they looked for the meeting, not from a missing row
        counts.append(WorkCount(withdrawn, "invitations to upcoming locality meetings withdrawn",
                                "meetings:list",
                                singular="invitation to an upcoming locality meeting withdrawn"))
    return counts


HOME_COUNTS = [_meeting_counts]
