"""Who may change a child's team around the child: one table, read by the team services.

Membership of the team is what gives access to the child's record (docs/access-policy.md), so
changing the team is changing access. Each row names who may do it and under which purpose
the policy must already admit them. A break-glass grant is emergency *reading*: it appears in
no row, so it can never add anyone (its holder included) to the team.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from saferoptions.access import policy
from saferoptions.access.categories import Purpose
from saferoptions.core import clock

from .models import Concern, TeamAroundChildMember

# How long after the Hub decides a concern about the child it may still allocate the team.
TRIAGE_DECISION_DAYS = 28
# The smallest reason that says something (as for break-glass).
MIN_REASON = 10


@dataclass(frozen=True)
class TeamAuthority:
    """One row of the table: who may add or end members of the team, and on what footing."""

    key: str
    label: str
    purpose: Purpose  # the policy must admit the actor for this purpose (never break-glass)
    duty: str | None = None  # the role table must give the actor this duty
    in_team: bool = False  # the actor is a current member of the child's team
    own_team_only: bool = False  # the member added or ended belongs to the actor's team
    triage_decision: bool = False  # a concern about the child is open or recently decided


TEAM_CHANGE_AUTHORITIES = (
    TeamAuthority("member", "the lead professional or a member of the team around the child",
                  Purpose.DIRECT_WORK, in_team=True),
    TeamAuthority("team_manager", "a team manager allocating within their own team",
                  Purpose.DIRECT_WORK, duty="allocate_within_team", own_team_only=True),
    TeamAuthority("hub_triage", "the Hub, on a triage decision about the child",
                  Purpose.TRIAGE, duty="triage_concerns", triage_decision=True),
)


def authority_for(actor, person, practitioner) -> TeamAuthority | None:
    """The first row that lets `actor` add or end `practitioner` in the child's team."""
    decision = policy.decision_for(actor, person)
    if decision is None:
        return None
    for row in TEAM_CHANGE_AUTHORITIES:
        if row.purpose in decision.purposes and _meets(row, actor, person, practitioner):
            return row
    return None


def may_change_team(actor, person) -> bool:
    """Whether some row lets `actor` add to the child's team (whom they add aside): the page
    offers its form only then, so nobody fills it in to be refused."""
    decision = policy.decision_for(actor, person)
    return decision is not None and any(
        row.purpose in decision.purposes and _meets(row, actor, person, None)
        for row in TEAM_CHANGE_AUTHORITIES)


def _meets(row: TeamAuthority, actor, person, practitioner) -> bool:
    """`practitioner` None: anyone of the actor's own team would do."""
    if row.duty and not policy.has_duty(actor, row.duty):
        return False
    if row.in_team and not current_members(person).filter(user=actor).exists():
        return False
    if row.own_team_only and (actor.team_id is None or practitioner is not None
                              and practitioner.team_id != actor.team_id):
        return False
    return not row.triage_decision or _triage_decision(person)


def _triage_decision(person) -> bool:
    since = clock.now() - dt.timedelta(days=TRIAGE_DECISION_DAYS)
    return Concern.objects.filter(Q(outcome="", withdrawn_at__isnull=True)
                                  | Q(decided_at__gte=since),
                                  person=person).exists()


def current_members(person, today=None):
    """Members of the child's team today (the ones who have access through it)."""
    today = today or clock.today()
    return TeamAroundChildMember.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), person=person, started_on__lte=today)
