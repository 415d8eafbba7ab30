"""Find support for a group or a place: the context case, the programmes that work with it,
their places and wait, and the trained people available in its locality.

Only a user who may manage context cases (duty `manage_context_cases`) and may change this
case (the policy's locality scope) gets anything; anyone else gets None, as for a case that
does not exist. Nothing here names a child or a group member: the case's subject only.
"""

from dataclasses import dataclass

from saferoptions.audit.services import record
from saferoptions.contexts import case_selectors
from saferoptions.contexts.models import ContextCase
from saferoptions.core import clock

from . import eligibility, selectors, workforce_selectors
from .models import ContextPlacement, Programme
from .vocabulary import WorksWith

# What a programme must work with for each kind of context case (a school is a place).
WORKS_WITH = {"group": WorksWith.GROUP, "place": WorksWith.PLACE, "school": WorksWith.PLACE}


@dataclass
class ContextSupport:
    case: ContextCase
    locality: object
    eligible: list
    other: list
    trained: dict  # programme id -> the people with its training current today
    placements: list


def locality_of(case: ContextCase):
    """The locality the group works in, or the place's (through its ward)."""
    if case.group_id:
        return case.group.locality
    place = case.place or case.school.place
    return place.ward.locality


def verdict_for(programme: Programme, locality) -> eligibility.Verdict:
    """A group or place is eligible where the programme is offered: its locality or the city."""
    areas = list(programme.areas.all())
    if any(a.locality_id is None for a in areas):
        return eligibility.Verdict((eligibility.RuleResult("locality", True,
                                                           "Offered across the city"),))
    name = locality.name if locality else "no locality"
    ok = locality is not None and any(a.locality_id == locality.pk for a in areas)
    why = f"Offered in {name}" if ok else f"Not offered in {name}"
    return eligibility.Verdict((eligibility.RuleResult("locality", ok, why),))


def managed_case(user, pk) -> ContextCase | None:
    """An open group, place or school case the user may broker for, or None (audited deny)."""
    case = case_selectors.case_for_change(user=user, pk=pk)
    if case is None or not case.is_open or case.kind not in WORKS_WITH:
        record(actor=user, action="deny", object_type="context_case", outcome="denied",
               detail={"reference": str(pk), "what": "find_support"})
        return None
    return ContextCase.objects.select_related(
        "group__locality", "place__ward__locality", "school__place__ward__locality") \
        .get(pk=case.pk)


def options(case: ContextCase, locality) -> list[selectors.Option]:
    """Every programme that works with this kind of context, with its verdict, places, wait."""
    programmes = list(Programme.objects.filter(
        is_active=True, takes_referrals=True, works_with=WORKS_WITH[case.kind])
        .prefetch_related("areas", "providers__team"))
    rows, waiting = selectors.month_rows([a.pk for p in programmes for a in p.areas.all()])
    found = []
    for p in programmes:
        area, free, queued, mine = selectors.places_in(p, locality.pk if locality else None,
                                                       rows, waiting)
        found.append(selectors.Option(p, verdict_for(p, locality), area, free, queued, mine))
    return found


def context_support(*, user, pk) -> ContextSupport | None:
    """The page: the case (audited), the programmes in order, trained people, placements."""
    case = managed_case(user, pk)
    if case is None:
        return None
    locality = locality_of(case)
    eligible, other = selectors.ordered(options(case, locality))
    trained = {o.programme.pk: workforce_selectors.trained_available(
        user=user, training=o.programme.trained_in,
        locality_id=locality.pk if locality else None, day=clock.today())
        for o in eligible if o.programme.trained_in}
    placements = list(ContextPlacement.objects.filter(case=case)
                      .select_related("programme", "team", "area__locality")
                      .prefetch_related("practitioners"))
    record(actor=user, action="view", object_type="context_case", object_ids=[case.pk],
           detail={"what": "find_support"})
    return ContextSupport(case, locality, eligible, other, trained, placements)
