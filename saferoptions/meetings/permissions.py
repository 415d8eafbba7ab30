"""Who may open and who may run a locality meeting (duties in the role table, ACCESS_ROLE_RULES).

Chairs run their own locality's meetings (a user with no locality is city-wide, as in the access
policy); invited practitioners see the meetings they are invited to; everyone else meets the
same 404 as for a meeting that does not exist.
"""

from django.db.models import Q, QuerySet

from saferoptions.access.policy import has_duty

from .models import Attendee, LocalityMeeting


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_chair_role(user) -> bool:
    return _active(user) and has_duty(user, "chair_meetings")


def is_attendee_role(user) -> bool:
    return _active(user) and has_duty(user, "attend_meetings")


def may_use_meetings(user) -> bool:
    """Whether the meetings pages exist for this user at all."""
    return is_chair_role(user) or is_attendee_role(user)


def chaired_q(user) -> Q:
    """Meetings this user may run: their locality's, or every locality's if city-wide."""
    if not is_chair_role(user):
        return Q(pk__in=[])
    # Not `Q()`: an empty Q OR'ed with the invitations below is just the invitations, which
    # hid every meeting from city-wide chairs (the Hub's "Locality meetings" showed none).
    return Q(pk__isnull=False) if user.locality_id is None else Q(locality_id=user.locality_id)


def visible_meetings(user) -> QuerySet:
    """Meetings the user may open: those they may run, and those they are invited to."""
    if not _active(user):
        return LocalityMeeting.objects.none()
    q = chaired_q(user)
    if is_attendee_role(user):
        # a withdrawn invitation opens nothing: the invitee reads only that it was withdrawn
        q |= Q(pk__in=invited_to(user))
    return LocalityMeeting.objects.filter(q).distinct()


def invited_to(user) -> QuerySet:
    """Ids of the meetings the user is invited to now (withdrawn invitations left out)."""
    return Attendee.objects.filter(user=user, withdrawn_at__isnull=True).values("meeting_id")


def may_run(user, meeting: LocalityMeeting) -> bool:
    """Whether the user chairs this meeting: records attendance, discussion and actions."""
    if not is_chair_role(user):
        return False
    return user.locality_id is None or user.locality_id == meeting.locality_id
