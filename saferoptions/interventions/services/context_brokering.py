"""Brokering a catalogue programme for a group or a place (a context case).

The choice is recorded on the context case's plan through the contexts service (which checks
the duty `manage_context_cases`, the policy's locality scope and the case's version, and
audits the case), and here as a `ContextPlacement`: the provider's team, the trained people
asked to deliver it, and a place from the programme's area this month or a place on its
waiting list, in order, shared with children's referrals. One transaction, audited.

Ending one (completed, withdrawn, or cancelled before it began) moves the plan row on and
gives the place back through `capacity.return_place`, as a child's referral ending does, so
the first waiting takes it this month. The same happens when the row is moved to done or
cancelled on the context case page, and when the case closes (each live placement is
withdrawn): contexts calls `plan_row_moving` and `case_closing`, registered from ready().
"""

import datetime as dt

from django.db import transaction

from saferoptions.access import policy
from saferoptions.contexts import permissions
from saferoptions.contexts import services as context_services
from saferoptions.contexts.errors import ContextInputError, NotAllowed
from saferoptions.contexts.models import ContextCase, InterventionKind, InterventionStatus
from saferoptions.contexts.plan_hooks import EndedOnClosing
from saferoptions.core import clock

from .. import context_selectors, workforce_selectors
from ..facts import area_for, this_month
from ..models import ContextPlacement, Programme
from ..vocabulary import PlacementEnd, ReferralStatus, Training
from .capacity import locked_month, return_place, serve_waiting
from .common import Refused, audit

# The plan row's kind, where the context plan has a word for the programme's work.
PLAN_KINDS = {Training.DETACHED_YOUTH_WORK: InterventionKind.DETACHED_YOUTH_WORK,
              Training.LATE_NIGHT_OUTREACH: InterventionKind.LATE_NIGHT_OUTREACH}
# The plan row's status once the placement ends.
PLAN_STATUS = {PlacementEnd.COMPLETED: InterventionStatus.DONE,
               PlacementEnd.WITHDRAWN: InterventionStatus.CANCELLED,
               PlacementEnd.CANCELLED: InterventionStatus.CANCELLED}
OPEN = (ReferralStatus.WAITING, ReferralStatus.SENT, ReferralStatus.ACCEPTED,
        ReferralStatus.STARTED)


def _case(actor, case_id) -> ContextCase:
    """The open group, place or school case the actor may change; else NotAllowed (a 404)."""
    if not permissions.may_manage(actor):
        raise NotAllowed
    case = policy.restrict(actor, "change", ContextCase.objects.all()).filter(pk=case_id) \
        .select_related("group__locality", "place__ward__locality",
                        "school__place__ward__locality").first()
    if case is None or case.kind not in context_selectors.WORKS_WITH:
        raise NotAllowed
    return case


def _checked_programme(case, programme: Programme, locality):
    if not (programme.is_active and programme.takes_referrals
            and programme.works_with == context_selectors.WORKS_WITH[case.kind]):
        raise Refused("programme", f"This programme does not work with a {case.kind}")
    verdict = context_selectors.verdict_for(programme, locality)
    if not verdict.eligible:
        raise Refused("programme", verdict.failed[0].why)
    area = area_for(programme, locality.pk if locality else None)
    if area is None:
        raise Refused("programme", "This programme has no places here yet")
    return area


def _trained(actor, programme: Programme, locality, practitioner_ids) -> list:
    """The chosen people, each of whom must have the programme's training current today."""
    if not practitioner_ids:
        return []
    available = {p.pk: p for p in workforce_selectors.trained_available(
        user=actor, training=programme.trained_in,
        locality_id=locality.pk if locality else None, day=clock.today())}
    if not set(practitioner_ids) <= set(available):
        raise Refused("practitioners", "Choose people with current training from the list")
    return [available[pk] for pk in practitioner_ids]


def broker_for_context(*, actor, case_id: int, version, programme: Programme, team_id,
                       reason: str, due_on: dt.date, practitioner_ids=()) -> ContextPlacement:
    """Record the programme on the case's plan, with a place this month or on the list."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Refused("reason", "Enter why this programme, for this group or place, now")
    with transaction.atomic():
        case = _case(actor, case_id)
        locality = context_selectors.locality_of(case)
        area = _checked_programme(case, programme, locality)
        provider = programme.providers.filter(team_id=team_id).select_related("team").first()
        if provider is None:
            raise Refused("team", "Choose one of the programme's providers")
        people = _trained(actor, programme, locality, list(practitioner_ids))
        row = locked_month(area, this_month())
        if ContextPlacement.objects.filter(case=case, programme=programme,
                                           status__in=OPEN).exists():
            raise Refused("programme", "This programme is already on the case's plan")
        action = context_services.plan_intervention(
            actor=actor, case_id=case.pk, version=version,
            kind=PLAN_KINDS.get(programme.trained_in, InterventionKind.OTHER),
            description=_description(programme, provider.team, people, reason), owner=actor,
            due_on=due_on)
        placement = ContextPlacement.objects.create(
            case=case, intervention=action, programme=programme, team=provider.team,
            area=area, status=ReferralStatus.WAITING, reason=reason, referred_by=actor)
        placement.practitioners.set(people)
        serve_waiting(row)  # anyone already waiting goes first
        placement.refresh_from_db()
        audit(actor, "broker_context", "context_placement", [placement.pk],
              context_case=case.pk, programme=programme.pk, status=placement.status,
              practitioners=[p.pk for p in people])
    return placement


def _description(programme, team, people, reason: str) -> str:
    """The plan row's words: the catalogue programme, its provider, the trained people."""
    lines = [f"{programme.name} (from the catalogue), delivered by {team.name}."]
    if people:
        lines.append("Trained people asked: " + ", ".join(p.name for p in people) + ".")
    return "\n".join([*lines, reason])


def _check_end(placement: ContextPlacement, reason: str) -> None:
    if placement.status == ReferralStatus.ENDED:
        raise Refused("end_reason", f"This placement has already ended "
                                    f"({placement.get_end_reason_display().lower()}, "
                                    f"{placement.ended_on:%-d %B %Y}): it cannot end again")
    if reason == PlacementEnd.COMPLETED and not placement.holds_place:
        raise Refused("end_reason", "Only a placement that has a place can be completed: "
                                    "withdraw or cancel one still waiting")


def _finish(actor, placement: ContextPlacement, reason: str, **why) -> None:
    """Give the place back (the capacity row is locked before the case, in the order
    brokering locks them), mark the placement ended, audited."""
    served = return_place(placement)
    placement.status, placement.end_reason = ReferralStatus.ENDED, reason
    placement.ended_on = clock.today()
    placement.save(update_fields=["status", "end_reason", "ended_on"])
    audit(actor, "end_placement", "context_placement", [placement.pk],
          context_case=placement.case_id, reason=reason, served=served, **why)


def end_placement(*, actor, placement_id: int, version, reason: str) -> ContextPlacement:
    """Completed, withdrawn or cancelled: the plan row moves on and the place goes back."""
    if reason not in PlacementEnd.values:
        raise Refused("end_reason", "Choose why the placement ends")
    with transaction.atomic():
        placement = ContextPlacement.objects.select_for_update().filter(pk=placement_id) \
            .first()
        if placement is None:
            raise NotAllowed
        case = _case(actor, placement.case_id)
        _check_end(placement, reason)
        _finish(actor, placement, reason)
        # Ended first, so the plan row's own hook (plan_row_moving) finds nothing left to end.
        context_services.set_intervention_status(
            actor=actor, case_id=case.pk, version=version,
            intervention_id=placement.intervention_id, status=PLAN_STATUS[reason])
    return placement


def _row_end(placement: ContextPlacement, status: str) -> str | None:
    """Why a placement ends when its plan row moves to `status` (None: it does not end)."""
    if status == InterventionStatus.DONE:
        return PlacementEnd.COMPLETED
    if status == InterventionStatus.CANCELLED:
        return (PlacementEnd.CANCELLED if placement.status == ReferralStatus.WAITING
                else PlacementEnd.WITHDRAWN)
    return None


def plan_row_moving(*, actor, case_id: int, intervention_id: int, status: str) -> None:
    """The context case page moves a placement's plan row: done or cancelled ends the
    placement exactly as find support does; an ended one's row cannot be reopened."""
    placement = ContextPlacement.objects.select_for_update().filter(
        case_id=case_id, intervention_id=intervention_id).first()
    if placement is None:
        return
    _case(actor, case_id)
    reason = _row_end(placement, status)
    if placement.status == ReferralStatus.ENDED:
        if reason is None:
            raise ContextInputError("status", "This programme's placement has ended: broker "
                                              "it again from find support")
        return
    if reason is None:
        return
    try:
        _check_end(placement, reason)
    except Refused as error:
        raise ContextInputError("status", error.message) from error
    _finish(actor, placement, reason)


def case_closing(*, actor, case_id: int) -> list[EndedOnClosing]:
    """A closing case's live placements are withdrawn and their places given back."""
    live = list(ContextPlacement.objects.select_for_update(of=("self",)).filter(
        case_id=case_id, status__in=OPEN).select_related("programme").order_by("pk"))
    if live:
        _case(actor, case_id)
    for placement in live:
        _finish(actor, placement, PlacementEnd.WITHDRAWN, why="case closed")
    return [EndedOnClosing(p.intervention_id, p.programme.name) for p in live]
