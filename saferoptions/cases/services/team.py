"""Joining and leaving the team around the child: what gives (and ends) access to the record."""

import datetime as dt

from django.db import transaction
from django.db.models import Q

from saferoptions.core import clock

from ..models import TeamAroundChildMember, TeamRole
from .common import Refused, audit


def add_team_member(*, actor, person, user, role: str,
                    started_on: dt.date | None = None) -> TeamAroundChildMember:
    """Name a practitioner in the team around the child; access starts on `started_on`."""
    started_on = started_on or clock.today()
    if role not in TeamRole.values:
        raise Refused("role", "Choose the member's role in the team.")
    if user is None or not user.is_active:
        raise Refused("user", "Choose an active practitioner.")
    current = Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    with transaction.atomic():
        if TeamAroundChildMember.objects.filter(current, person=person, user=user).exists():
            raise Refused("user", "This practitioner is already in the team around the child.")
        member = TeamAroundChildMember.objects.create(person=person, user=user, role=role,
                                                      started_on=started_on)
        audit(actor, "create", "team_member", [member.pk], person=person.pk, user=user.pk,
              role=role)
    return member


def end_team_membership(*, actor, member: TeamAroundChildMember,
                        ended_on: dt.date | None = None) -> TeamAroundChildMember:
    """End a membership: from `ended_on` (today by default) the member no longer has access."""
    ended_on = ended_on or clock.today()
    if ended_on < member.started_on:
        raise Refused("ended_on", "The end date cannot be before the member joined.")
    with transaction.atomic():
        member = TeamAroundChildMember.objects.select_for_update().get(pk=member.pk)
        if member.ended_on is not None and member.ended_on <= ended_on:
            return member
        member.ended_on = ended_on
        member.save(update_fields=["ended_on"])
        audit(actor, "update", "team_member", [member.pk], person=member.person_id,
              ended=True)
    return member
