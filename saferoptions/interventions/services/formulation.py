"""The clinical psychologist's multi-agency case formulation: each save is a new version.

A correction never overwrites: it adds a version with its reason, and the earlier ones stay.
"""

from django.db.models import Max, Q

from saferoptions.access import policy
from saferoptions.access.categories import Purpose
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.people.models import Person

from ..models import CaseFormulation
from .common import Refused, audit

FACTORS = ("predisposing", "precipitating", "perpetuating", "protective", "hypotheses",
           "recommendations")
HUB_TEAM = "hub"
MIN_CORRECTION = 10


def current_team_ids(person) -> set[int]:
    """Users in the child's team around the child today."""
    today = clock.today()
    rows = TeamAroundChildMember.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), person=person, started_on__lte=today)
    return set(rows.values_list("user_id", flat=True))


def may_write(user, child) -> bool:
    """The psychologist, working with the child (not break-glass), in the team or the Hub."""
    if not policy.has_duty(user, "write_case_formulation"):
        return False
    if Purpose.DIRECT_WORK not in child.decision.purposes:
        return False
    in_hub = user.team_id is not None and user.team.slug == HUB_TEAM
    return in_hub or user.pk in current_team_ids(child.person)


def _check(values: dict, contributor_ids, team: set, latest: int, based_on, reason: str):
    for name in FACTORS:
        if not (values.get(name) or "").strip():
            raise Refused(name, f"Enter the {name.replace('_', ' ')} part of the formulation")
    outside = set(contributor_ids) - team
    if outside:
        raise Refused("contributors", "Contributors must be in the team around the child")
    if (based_on or 0) != latest:
        raise Refused("predisposing", "Someone saved a newer version since you opened this "
                                      "page: reload it to see theirs")
    if latest and len(reason.strip()) < MIN_CORRECTION:
        raise Refused("correction_reason", "Say what this version corrects (at least "
                                           f"{MIN_CORRECTION} characters)")


def write_formulation(*, actor, child, values: dict, contributor_ids, other_contributors: str = "",
                      based_on: int | None = None, correction_reason: str = "") -> CaseFormulation:
    """Save the next version of the child's formulation (the first, or a correction)."""
    if not may_write(actor, child):
        raise Refused("predisposing", "Only the clinical psychologist working with the child "
                                      "can write the case formulation")
    person = Person.objects.select_for_update().get(pk=child.person.pk)  # one writer at a time
    latest = CaseFormulation.objects.filter(person=person) \
        .aggregate(n=Max("version"))["n"] or 0
    team = current_team_ids(person) | {actor.pk}
    _check(values, contributor_ids, team, latest, based_on, correction_reason)
    row = CaseFormulation.objects.create(
        person=person, version=latest + 1, written_by=actor,
        other_contributors=other_contributors.strip(),
        correction_reason=correction_reason.strip() if latest else "",
        **{name: values[name].strip() for name in FACTORS})
    row.contributors.set(set(contributor_ids) | {actor.pk})
    audit(actor, "write", "case_formulation", [row.pk], purpose=Purpose.DIRECT_WORK,
          person=person.pk, version=row.version)
    return row
