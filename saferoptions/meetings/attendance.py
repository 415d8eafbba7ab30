"""Who may open the children on a meeting's agenda: the access rows a meeting gives.

Its own module because both the agenda (after a rebuild) and the meeting's services (after
a start, a roll call or an added item) bring these rows up to date.
"""

from saferoptions.cases.models import MeetingAttendance
from saferoptions.core.models import Role, User

from .models import LocalityMeeting, MeetingStatus


def sync_attendance(meeting: LocalityMeeting) -> int:
    """Access rows (`cases.MeetingAttendance`) for everyone present x every child on the agenda.

    The access policy reads these rows: a practitioner at the meeting may open the children
    discussed there from a few days before to some weeks after. Someone marked absent loses
    the rows this meeting gave them, and so does someone whose invitation is withdrawn.
    Returns how many rows were added.
    """
    invited = meeting.attendees.all()
    # A withdrawn invitation gives nothing from the moment it is withdrawn, even to someone
    # recorded present before it was (their attendance stays on the record).
    present = set(invited.filter(attended=True, withdrawn_at__isnull=True)
                  .values_list("user_id", flat=True))
    if meeting.chair_id and meeting.status != MeetingStatus.PLANNED:
        present.add(meeting.chair_id)
    if meeting.status == MeetingStatus.PLANNED:
        present |= _preparing_chairs(meeting)
    children = set(meeting.items.filter(person__isnull=False).values_list("person_id", flat=True))
    rows = MeetingAttendance.objects.filter(meeting_on=meeting.held_on,
                                            locality_id=meeting.locality_id)
    absent = set(invited.values_list("user_id", flat=True)) - present
    rows.filter(user_id__in=absent - present, person_id__in=children).delete()
    # A child no longer on the agenda is no longer discussed here: that access goes too.
    rows.exclude(person_id__in=children).delete()
    have = set(rows.values_list("user_id", "person_id"))
    wanted = [MeetingAttendance(user_id=u, person_id=p, meeting_on=meeting.held_on,
                                locality_id=meeting.locality_id)
              for u in sorted(present) for p in sorted(children) if (u, p) not in have]
    MeetingAttendance.objects.bulk_create(wanted)
    return len(wanted)


def _preparing_chairs(meeting: LocalityMeeting) -> set[int]:
    """The locality's own chairs prepare the agenda before the meeting: they may open its
    children for the policy's days-before window, as attendees can once they are there."""
    chairs = User.objects.filter(is_active=True, role=Role.LOCALITY_CHAIR,
                                 locality_id=meeting.locality_id)
    return set(chairs.values_list("pk", flat=True))
