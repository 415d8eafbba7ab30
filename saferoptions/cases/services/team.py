"""Joining and leaving the team around the child: what gives (and ends) access to the record.

Who may make either change is the table in `cases.team_rules`; every change names who made it
and why, is audited, and tells the child's lead professional.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q

from saferoptions.core import clock

from ..models import CaseNotification, TeamAroundChildMember, TeamRole
from ..team_rules import MIN_REASON, authority_for, current_members
from .common import Refused, audit

MAX_REASON = 2000
NOT_ALLOWED = ("Only the lead professional or a member of the team around the child, a team "
               "manager allocating within their own team, or the Hub on a triage decision may "
               "change the team. Emergency (break-glass) access never can.")


def add_team_member(*, actor, person, user, role: str, reason: str,
                    started_on: dt.date | None = None) -> TeamAroundChildMember:
    """Name a practitioner in the team around the child; access starts on `started_on`.

    `actor=None` is only for the data loading commands (the synthetic city): no page passes it.
    """
    started_on = started_on or clock.today()
    reason = _checked_reason(reason, "reason")
    if role not in TeamRole.values:
        raise Refused("role", "Choose the member's role in the team.")
    if user is None or not user.is_active:
        raise Refused("user", "Choose an active practitioner.")
    current = Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    with transaction.atomic():
        authority = _authority(actor, person, user)
        if TeamAroundChildMember.objects.filter(current, person=person, user=user).exists():
            raise Refused("user", "This practitioner is already in the team around the child.")
        member = TeamAroundChildMember.objects.create(
            person=person, user=user, role=role, started_on=started_on, added_by=actor,
            reason=reason, authority=authority)
        audit(actor, "create", "team_member", [member.pk], person=person.pk, user=user.pk,
              role=role, authority=authority)
        _tell_lead(actor, member, f"joined as {member.get_role_display().lower()}")
    return member


def end_team_membership(*, actor, member: TeamAroundChildMember, reason: str,
                        ended_on: dt.date | None = None) -> TeamAroundChildMember:
    """End a membership: from `ended_on` (today by default) the member no longer has access."""
    ended_on = ended_on or clock.today()
    reason = _checked_reason(reason, "end_reason")
    if ended_on < member.started_on:
        raise Refused("ended_on", "The end date cannot be before the member joined.")
    with transaction.atomic():
        member = TeamAroundChildMember.objects.select_for_update().get(pk=member.pk)
        authority = _authority(actor, member.person, member.user, field="end_reason")
        if member.ended_on is not None and member.ended_on <= ended_on:
            return member
        member.ended_on, member.ended_by, member.end_reason = ended_on, actor, reason
        member.save(update_fields=["ended_on", "ended_by", "end_reason"])
        audit(actor, "update", "team_member", [member.pk], person=member.person_id,
              ended=True, authority=authority)
        _tell_lead(actor, member, "left the team")
    return member


def _checked_reason(reason, field: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Refused(field, f"Say why, in at least {MIN_REASON} characters.")
    if len(reason) > MAX_REASON:
        raise Refused(field, f"Say why in {MAX_REASON} characters or fewer.")
    return reason


def _authority(actor, person, practitioner, *, field: str = "user") -> str:
    """The row of `team_rules` the actor acts under; refused when there is none."""
    if actor is None:
        return ""
    row = authority_for(actor, person, practitioner)
    if row is None:
        raise Refused(field, NOT_ALLOWED)
    return row.key


def _tell_lead(actor, member: TeamAroundChildMember, what: str) -> None:
    """The lead professional hears of every change (all members, while there is no lead)."""
    if actor is None:
        return
    team = current_members(member.person).exclude(user=actor).exclude(pk=member.pk)
    leads = team.filter(role=TeamRole.LEAD_PROFESSIONAL)
    people = {m.user_id for m in (leads if leads.exists() else team)}
    reference = str(member.person.public_id)[:8]
    message = (f"Team around child {reference}: {member.user} {what}, changed by {actor}. "
               "The reason is on the child's page.")
    now = clock.now()
    CaseNotification.objects.bulk_create(
        CaseNotification(user_id=u, message=message[:300], created_at=now) for u in people)
