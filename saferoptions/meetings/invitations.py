"""Who is invited because a child they work with is on the agenda (docs/meetings.md).

A locality meeting discusses a child with the practitioners who work with them: when a child
is put on an agenda (the nightly build, the chair's refresh, the chair adding them), each
current member of the child's team around the child whose role attends locality meetings is
invited, as the chair would invite them. They then find the meeting on their home page and in
their list, and their own child's item by name (their team membership already lets them open
the child); the other children open to them only once the chair records them present, as for
every attendee.

Before the meeting starts, an invitation the agenda made goes again when none of that
practitioner's children is on the agenda any more (a concern decided before the meeting takes
its child off); one the chair made stays, and so does everything once the meeting has begun:
by then the list of who was expected is part of the record. An invitation a chair withdrew
(services.withdraw_invitation) is never made again by the agenda: the row stays, withdrawn;
withdrawn from every week, it is not carried to the next meeting either.

Called inside the caller's transaction, which writes the audit row naming who was invited and
withdrawn.
"""

from dataclasses import dataclass

from django.db.models import Q

from saferoptions.access.policy import roles_with
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import User

from .models import Attendee, InvitedBecause, LocalityMeeting, MeetingStatus, WithdrawnFrom


@dataclass(frozen=True)
class Invitations:
    """The users invited and withdrawn by one pass (ids, for the caller's audit row)."""

    invited: list[int]
    withdrawn: list[int]

    def audit_detail(self) -> dict:
        return {name: ids for name, ids in (("invited", self.invited),
                                            ("invitations_withdrawn", self.withdrawn)) if ids}


def childrens_practitioners(meeting: LocalityMeeting) -> set[int]:
    """Active users in the current team around a child on the agenda whose role attends."""
    children = meeting.items.filter(person__isnull=False).values("person_id")
    today = clock.today()
    members = TeamAroundChildMember.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        person_id__in=children, started_on__lte=today).values("user_id")
    return set(User.objects.filter(pk__in=members, is_active=True,
                                   role__in=roles_with("attend_meetings"))
               .values_list("pk", flat=True))


def regulars(meeting: LocalityMeeting) -> dict[int, int | None]:
    """The partners who come every week: invited by the chair (or as a regular) to the
    locality's last meeting and not recorded absent at it, still active in a role that attends;
    user id -> who first invited them. Someone who stops coming is not invited again until the
    chair invites them."""
    last = (LocalityMeeting.objects.filter(locality_id=meeting.locality_id,
                                           held_on__lt=meeting.held_on)
            .order_by("-held_on").first())
    if last is None:
        return {}
    rows = last.attendees.filter(
        invited_because__in=(InvitedBecause.CHAIR, InvitedBecause.REGULAR),
        user__is_active=True, user__role__in=roles_with("attend_meetings")).exclude(
        withdrawn_from=WithdrawnFrom.EVERY_WEEK)
    if last.status != MeetingStatus.PLANNED:
        # withdrawn for that meeting only, they were not there by the chair's choice
        rows = rows.filter(Q(attended=True) | Q(withdrawn_from=WithdrawnFrom.MEETING))
    return dict(rows.values_list("user_id", "invited_by_id"))


def invite_childrens_practitioners(meeting: LocalityMeeting, *, actor=None) -> Invitations:
    """Invite those who work with the agenda's children, and the regulars (before the meeting
    starts); withdraw the agenda's own invitations that no child on it explains any more."""
    wanted = childrens_practitioners(meeting)
    have = set(meeting.attendees.values_list("user_id", flat=True))
    regular = regulars(meeting) if meeting.status == MeetingStatus.PLANNED else {}
    new = sorted((wanted | set(regular)) - have)
    now = clock.now()
    agencies = dict(User.objects.filter(pk__in=new).values_list("pk", "agency_id"))
    Attendee.objects.bulk_create([
        Attendee(meeting=meeting, user_id=pk, agency_id=agencies[pk],
                 invited_by_id=regular[pk] if pk in regular else getattr(actor, "pk", None),
                 invited_at=now,
                 invited_because=(InvitedBecause.REGULAR if pk in regular
                                  else InvitedBecause.TEAM_AROUND_CHILD))
        for pk in new])
    # invited for a child and a regular too: it stays if the child leaves the agenda. An
    # invitation the chair withdrew is never made again here: it stays withdrawn, on record.
    meeting.attendees.filter(user_id__in=regular, withdrawn_at__isnull=True,
                             invited_because=InvitedBecause.TEAM_AROUND_CHILD).update(
        invited_because=InvitedBecause.REGULAR)
    withdrawn = []
    if meeting.status == MeetingStatus.PLANNED:
        stale = meeting.attendees.filter(invited_because=InvitedBecause.TEAM_AROUND_CHILD,
                                         attended=False, withdrawn_at__isnull=True).exclude(
            user_id__in=wanted)
        withdrawn = sorted(stale.values_list("user_id", flat=True))
        stale.delete()
    return Invitations(invited=new, withdrawn=withdrawn)
