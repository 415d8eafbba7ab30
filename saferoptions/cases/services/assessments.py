"""The single assessment: start (one open per child), autosave, save, submit, approve or return."""

from django.db import IntegrityError, transaction
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.core import clock

from .. import timescales
from ..models import (
    SECTION_NAMES,
    Assessment,
    AssessmentDraft,
    AssessmentStatus,
    ClockKind,
)
from ..team_rules import current_members
from .clocks import meet_clock, start_clock
from .common import Conflict, Refused, audit, save_versioned

EDITABLE = (AssessmentStatus.IN_PROGRESS, AssessmentStatus.RETURNED)
FIELDS = [*SECTION_NAMES, "extra_familial_weight"]


class AssessmentConflict(Conflict):
    """Someone saved the assessment after the version this save started from."""


def _open_refusal(person) -> Refused:
    open_one = Assessment.objects.filter(person=person, status__in=[
        s.value for s in (AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED,
                          AssessmentStatus.RETURNED)]).first()
    link = reverse("cases:assessment", args=[open_one.pk]) if open_one else ""
    return Refused("person", "This child already has an open assessment: continue that one.",
                   link=link)


# Who may start a child's single assessment: someone with a case role (a current member of the
# team around the child) or a manager who approves assessments. Opening the child for direct
# work is not enough: attending a meeting about her is no case role. The child's page asks the
# same question before it offers the button.
START_DUTY = "approve_assessments"
NOT_A_CASE_ROLE = ("Only a member of the team around the child, or a team manager, may start "
                   "the single assessment.")


def may_start_assessment(actor, person) -> bool:
    return (policy.has_duty(actor, START_DUTY)
            or current_members(person).filter(user=actor).exists())


def start_assessment(*, actor, person, referral_on, concern=None) -> Assessment:
    """Open the child's single assessment, due 45 working days from referral (settings)."""
    if not may_start_assessment(actor, person):
        raise Refused("referral_on", NOT_A_CASE_ROLE)
    if referral_on > clock.today():
        raise Refused("referral_on", "The referral date must be today or in the past.")
    if Assessment.objects.filter(person=person, status__in=_open_values()).exists():
        raise _open_refusal(person)
    try:
        with transaction.atomic():
            return _start(actor, person, referral_on, concern)
    except IntegrityError:  # the database constraint caught a second one started at once
        raise _open_refusal(person) from None


def _open_values():
    return [AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED]


def _start(actor, person, referral_on, concern) -> Assessment:
    now = clock.now()
    due = timescales.assessment_due(referral_on)
    assessment = Assessment.objects.create(person=person, concern=concern, worker=actor,
                                           referral_on=referral_on, due_on=due, started_at=now)
    start_clock(kind=ClockKind.ASSESSMENT, key=f"assessment:{assessment.pk}", person=person,
                owner=actor, started_at=timescales.end_of_day(referral_on),
                due_at=timescales.end_of_day(due))
    audit(actor, "create", "assessment", [assessment.pk], person=person.pk)
    return assessment


def autosave_section(*, actor, assessment: Assessment, section: str, text: str,
                     base_version: int | None = None) -> AssessmentDraft:
    """Keep what the practitioner is typing, server-side, until they save the assessment.

    `base_version` is the version their page was opened at, so saving the restored draft
    later is checked against it (and refused if someone saved in between).
    """
    base_version = base_version or assessment.version
    if section not in SECTION_NAMES:
        raise Refused("section", "Unknown section of the assessment.")
    if assessment.status not in EDITABLE:
        raise Refused(section, "This assessment can no longer be changed.")
    with transaction.atomic():
        draft, _ = AssessmentDraft.objects.update_or_create(
            assessment=assessment, user=actor, section=section,
            defaults={"text": text, "base_version": min(base_version, assessment.version),
                      "saved_at": clock.now()},
        )
        audit(actor, "update", "assessment_draft", [assessment.pk], section=section)
    return draft


def save_assessment(*, actor, assessment: Assessment, version: int, values: dict) -> Assessment:
    """Save the sections; refused with what changed if someone saved since `version`."""
    if assessment.status not in EDITABLE:
        raise Refused("version", "This assessment can no longer be changed.")
    values = {k: v for k, v in values.items() if k in FIELDS}
    with transaction.atomic():
        saved, changed = save_versioned(actor=actor, object_type="assessment", model=Assessment,
                                        pk=assessment.pk, version=version, values=values,
                                        conflict=AssessmentConflict)
        AssessmentDraft.objects.filter(assessment=saved, user=actor).delete()
        audit(actor, "update", "assessment", [saved.pk], fields=changed, version=saved.version)
    return saved


def _refuse_unwritten_conclusions(assessment: Assessment) -> None:
    """A manager needs the analysis and the recommendation; the refusal names the section that is
    empty, so the page leads the worker to that box and not to one already written."""
    empty = [name for name in ("analysis", "recommendation")
             if not getattr(assessment, name).strip()]
    if empty:
        words = " and the ".join(empty)
        raise Refused(empty[0], f"Write the {words} before submitting.")


def submit_assessment(*, actor, assessment: Assessment, late_reason: str = "") -> Assessment:
    """Send for manager approval; after the due date a reason for lateness is required."""
    late = clock.today() > assessment.due_on
    if late and not (late_reason or "").strip():
        raise Refused("late_reason", "The assessment is past its due date: say why it is late.")
    _refuse_unwritten_conclusions(assessment)
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status not in EDITABLE:
            raise Refused("late_reason", "This assessment has already been submitted.")
        assessment.status, assessment.submitted_at = AssessmentStatus.SUBMITTED, clock.now()
        assessment.late_reason = (late_reason or "").strip()
        assessment.save()
        audit(actor, "update", "assessment", [assessment.pk], status="submitted", late=late)
    return assessment


def decide_assessment(*, actor, assessment: Assessment, approve: bool,
                      comments: str = "") -> Assessment:
    """A manager (not the author) approves it, or returns it with comments."""
    if not policy.has_duty(actor, "approve_assessments") or actor.pk == assessment.worker_id:
        raise Refused("decision", "Only a team manager other than the author may approve.")
    if not approve and not (comments or "").strip():
        raise Refused("comments", "Say what needs to change before it can be approved.")
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != AssessmentStatus.SUBMITTED:
            raise Refused("decision", "Only a submitted assessment can be approved or returned.")
        now = clock.now()
        assessment.manager_comments = (comments or "").strip()
        if approve:
            assessment.status, assessment.approved_by = AssessmentStatus.APPROVED, actor
            assessment.approved_at = now
            meet_clock(key=f"assessment:{assessment.pk}", met_at=assessment.submitted_at,
                       late_reason=assessment.late_reason)
        else:
            assessment.status = AssessmentStatus.RETURNED
        assessment.save()
        audit(actor, "update", "assessment", [assessment.pk], status=assessment.status)
    return assessment
