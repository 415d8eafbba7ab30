"""What cases tells the access policy (`access/registry.py`), registered in `CasesConfig.ready()`.

Who works with a child: a member of the team around the child (and, for the scope `team`,
anyone in that member's team), and whoever attends the child's meeting from a few days before
to a few days after it. Who leads the team (for the access log and break-glass alerts). And the
case records, each the record of the agency of the practitioner who wrote it.
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from saferoptions.access import registry, rules
from saferoptions.core.models import User

from .models import (
    Assessment,
    MeetingAttendance,
    NrmReferral,
    Plan,
    PlanAction,
    TeamAroundChildMember,
    TeamRole,
)

# A member from `started_on` until (not on) `ended_on`, as SQL on the alias `m`.
_CURRENT_SQL = "m.started_on <= %s AND (m.ended_on IS NULL OR m.ended_on > %s)"


def active_team(today: dt.date, **where) -> QuerySet:
    """Current members of teams around children."""
    ended_later = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    return TeamAroundChildMember.objects.filter(ended_later, started_on__lte=today, **where)


def _meeting_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return (today - dt.timedelta(days=settings.ACCESS_MEETING_DAYS_AFTER),
            today + dt.timedelta(days=settings.ACCESS_MEETING_DAYS_BEFORE))


def _day(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


# Only table names from the models are formatted into the SQL; every value is a parameter.

def _member_people(viewer, today):
    return active_team(today, user_id=viewer.id).values("person_id")


def _member_exists(viewer, person_id, today):
    team = TeamAroundChildMember._meta.db_table
    sql = (f"EXISTS(SELECT 1 FROM {team} m WHERE m.person_id = %s AND m.user_id = %s"  # noqa: S608
           f" AND {_CURRENT_SQL})")
    return sql, [person_id, viewer.id, _day(today), _day(today)]


def _meeting_people(viewer, today):
    first, last = _meeting_window(today)
    return MeetingAttendance.objects.filter(
        meeting_on__gte=first, meeting_on__lte=last, user_id=viewer.id).values("person_id")


def _meeting_exists(viewer, person_id, today):
    meeting = MeetingAttendance._meta.db_table
    first, last = _meeting_window(today)
    sql = (f"EXISTS(SELECT 1 FROM {meeting} a WHERE a.person_id = %s AND a.user_id = %s"  # noqa: S608
           " AND a.meeting_on >= %s AND a.meeting_on <= %s)")
    return sql, [person_id, viewer.id, _day(first), _day(last)]


def _team_people(viewer, today):
    if viewer.team_id is None:
        return None
    return active_team(today, user__team_id=viewer.team_id).values("person_id")


def _team_exists(viewer, person_id, today):
    if viewer.team_id is None:
        return None
    team, users = TeamAroundChildMember._meta.db_table, User._meta.db_table
    sql = (f"EXISTS(SELECT 1 FROM {team} m JOIN {users} u ON u.id = m.user_id"  # noqa: S608
           f" WHERE m.person_id = %s AND u.team_id = %s AND {_CURRENT_SQL})")
    return sql, [person_id, viewer.team_id, _day(today), _day(today)]


def led_by(user, today) -> QuerySet:
    """The children `user` is now lead professional for."""
    return active_team(today, user=user, role=TeamRole.LEAD_PROFESSIONAL).values("person_id")


MEMBER = registry.WorksWith("team around the child", _member_people, _member_exists)
MEETING = registry.WorksWith("meeting attendance", _meeting_people, _meeting_exists)
MEMBERS_TEAM = registry.WorksWith("team around the child, by team", _team_people, _team_exists,
                                  scope=rules.TEAM)

# Case records: the kind (its category in `access.categories.CASE_RECORD_CATEGORIES`), the
# child, and the author's agency.
CASE_RECORDS = {
    Assessment: registry.CaseRecord("assessment", "person", "worker__agency_id"),
    Plan: registry.CaseRecord("plan", "person", "worker__agency_id"),
    PlanAction: registry.CaseRecord("plan", "plan__person", "plan__worker__agency_id"),
    NrmReferral: registry.CaseRecord("nrm_referral", "person", "recorded_by__agency_id"),
}


def register() -> None:
    for fact in (MEMBER, MEETING, MEMBERS_TEAM):
        registry.register_works_with(fact)
    registry.register_lead_professional(led_by)
    for model, record in CASE_RECORDS.items():
        registry.register_case_record(model, record)
