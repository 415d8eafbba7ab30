"""Plans around a child: create, change (with a version), actions and their status."""

import datetime as dt

from django.db import transaction

from saferoptions.core import clock

from ..models import ActionStatus, Plan, PlanAction, PlanKind, PlanReview
from .common import Conflict, Refused, audit, save_versioned

PLAN_FIELDS = ["outcomes", "review_on", "status"]


class PlanConflict(Conflict):
    """Someone saved the plan after the version this save started from."""


def _check_plan(kind, outcomes, review_on):
    if kind not in PlanKind.values:
        raise Refused("kind", "Choose the kind of plan.")
    if not (outcomes or "").strip():
        raise Refused("outcomes", "Say what the plan should achieve for the child.")
    if review_on < clock.today():
        raise Refused("review_on", "The review date must be today or in the future.")


def create_plan(*, actor, person, kind: str, outcomes: str, review_on: dt.date,
                groups=(), places=()) -> Plan:
    """Open a plan for the child, linked to the groups and places that affect them."""
    _check_plan(kind, outcomes, review_on)
    with transaction.atomic():
        plan = Plan.objects.create(person=person, kind=kind, worker=actor,
                                   outcomes=outcomes.strip(), review_on=review_on,
                                   created_at=clock.now())
        plan.groups.set(groups)
        plan.places.set(places)
        audit(actor, "create", "plan", [plan.pk], person=person.pk, kind=kind)
    return plan


def update_plan(*, actor, plan: Plan, version: int, values: dict) -> Plan:
    """Change the plan; refused with what changed if someone saved since `version`."""
    values = {k: v for k, v in values.items() if k in PLAN_FIELDS}
    if "outcomes" in values and not (values["outcomes"] or "").strip():
        raise Refused("outcomes", "Say what the plan should achieve for the child.")
    with transaction.atomic():
        saved, changed = save_versioned(actor=actor, object_type="plan", model=Plan,
                                        pk=plan.pk, version=version, values=values,
                                        conflict=PlanConflict)
        audit(actor, "update", "plan", [saved.pk], fields=changed, version=saved.version)
    return saved


def add_plan_action(*, actor, plan: Plan, description: str, owner, due_on: dt.date) -> PlanAction:
    """Add one action with an owner and a due date."""
    if not (description or "").strip():
        raise Refused("description", "Describe the action.")
    if owner is None:
        raise Refused("owner", "Choose who owns the action.")
    if due_on < plan.created_at.date():
        raise Refused("due_on", "The due date cannot be before the plan started.")
    with transaction.atomic():
        action = PlanAction.objects.create(plan=plan, description=description.strip(),
                                           owner=owner, due_on=due_on)
        audit(actor, "create", "plan_action", [action.pk], plan=plan.pk)
    return action


def update_action_status(*, actor, action: PlanAction, status: str) -> PlanAction:
    if status not in ActionStatus.values:
        raise Refused("status", "Choose the action's status.")
    if action.is_withdrawn:
        raise Refused("status", "This action was withdrawn, so its status no longer moves.")
    with transaction.atomic():
        PlanAction.objects.filter(pk=action.pk).update(status=status)
        audit(actor, "update", "plan_action", [action.pk], status=status)
    action.refresh_from_db()
    return action


def record_plan_review(*, actor, plan: Plan, held_on: dt.date, summary: str,
                       next_review_on: dt.date | None) -> PlanReview:
    """A review of the plan; the next review date moves the plan's own review date."""
    if held_on > clock.today():
        raise Refused("held_on", "The review date must be today or in the past.")
    if not (summary or "").strip():
        raise Refused("summary", "Record what the review found.")
    if next_review_on is not None and next_review_on <= held_on:
        raise Refused("next_review_on", "The next review must be after this one.")
    with transaction.atomic():
        review = PlanReview.objects.create(plan=plan, held_on=held_on, summary=summary.strip(),
                                           next_review_on=next_review_on, recorded_by=actor)
        if next_review_on:
            Plan.objects.filter(pk=plan.pk).update(review_on=next_review_on)
        audit(actor, "create", "plan_review", [review.pk], plan=plan.pk)
    return review
