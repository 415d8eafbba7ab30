"""Correcting or withdrawing plan actions and reviews, and amending a submitted assessment."""

import datetime as dt

from django.db import transaction

from saferoptions.core import clock

from ..models import SECTION_NAMES, Assessment, Plan, PlanAction, PlanReview, Revision
from . import corrections
from .assessments import EDITABLE, AssessmentConflict
from .common import Refused, audit, save_versioned


def correct_plan_action(*, actor, action: PlanAction, description: str, owner,
                        due_on: dt.date, reason: str) -> PlanAction:
    """Correct an action's words, owner or due date (its status is moved on the plan page)."""
    if not (description or "").strip():
        raise Refused("description", "Describe the action.")
    if owner is None:
        raise Refused("owner", "Choose who owns the action.")
    if due_on < action.plan.created_at.date():
        raise Refused("due_on", "The due date cannot be before the plan started.")
    with transaction.atomic():
        action = PlanAction.objects.select_for_update().get(pk=action.pk)
        corrections.correct(actor=actor, object_type="plan_action", row=action, reason=reason,
                            values={"description": description.strip(), "owner": owner,
                                    "due_on": due_on}, plan=action.plan_id)
    return action


def withdraw_plan_action(*, actor, action: PlanAction, reason: str) -> PlanAction:
    """An action recorded in error (not one no longer needed: that is its status)."""
    with transaction.atomic():
        action = PlanAction.objects.select_for_update().get(pk=action.pk)
        return corrections.withdraw(actor=actor, object_type="plan_action", row=action,
                                    reason=reason, plan=action.plan_id)


def _check_review(held_on, summary, next_review_on):
    if held_on > clock.today():
        raise Refused("held_on", "The review date must be today or in the past.")
    if not (summary or "").strip():
        raise Refused("summary", "Record what the review found.")
    if next_review_on is not None and next_review_on <= held_on:
        raise Refused("next_review_on", "The next review must be after this one.")


def correct_plan_review(*, actor, review: PlanReview, held_on: dt.date, summary: str,
                        next_review_on: dt.date | None, reason: str) -> PlanReview:
    """Correct a review; a corrected next review date moves the plan's, if it came from it."""
    _check_review(held_on, summary, next_review_on)
    with transaction.atomic():
        review = PlanReview.objects.select_for_update().get(pk=review.pk)
        was_next = review.next_review_on
        changed = corrections.correct(
            actor=actor, object_type="plan_review", row=review, reason=reason,
            values={"held_on": held_on, "summary": summary.strip(),
                    "next_review_on": next_review_on}, plan=review.plan_id)
        if "next_review_on" in changed and next_review_on and was_next:
            Plan.objects.filter(pk=review.plan_id, review_on=was_next) \
                .update(review_on=next_review_on)
    return review


def withdraw_plan_review(*, actor, review: PlanReview, reason: str) -> PlanReview:
    """A review recorded in error; the plan's review date stays (change it on the plan)."""
    with transaction.atomic():
        review = PlanReview.objects.select_for_update().get(pk=review.pk)
        return corrections.withdraw(actor=actor, object_type="plan_review", row=review,
                                    reason=reason, plan=review.plan_id)


AMENDABLE_FIELDS = [*SECTION_NAMES, "extra_familial_weight"]


def amend_assessment(*, actor, assessment: Assessment, version: int, values: dict,
                     reason: str) -> Assessment:
    """Amend a submitted or decided assessment with a reason: a new version, the words it
    replaced kept in its history. Its status and the manager's decision stay as they were."""
    reason = corrections.checked_reason(reason, "the amendment")
    if assessment.status in EDITABLE:
        raise Refused("reason", "This assessment is still being written: save it instead.")
    values = {k: v for k, v in values.items() if k in AMENDABLE_FIELDS}
    with transaction.atomic():
        before = Assessment.objects.select_for_update().get(pk=assessment.pk)
        changed = corrections.differences(before, values)
        if not changed:
            raise Refused("reason", "Nothing has changed: change what was wrong, then give "
                                    "the reason.")
        saved, _ = save_versioned(actor=actor, object_type="assessment", model=Assessment,
                                  pk=assessment.pk, version=version, values=values,
                                  conflict=AssessmentConflict)
        Revision.objects.filter(object_type="assessment", object_id=saved.pk,
                                version=saved.version).update(
            reason=reason, changed={k: [corrections.shown(old), corrections.shown(new)]
                                    for k, (old, new) in changed.items()})
        audit(actor, "correct", "assessment", [saved.pk], fields=sorted(changed),
              version=saved.version)
    return saved
