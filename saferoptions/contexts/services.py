"""Every change to a context case: one function per change, `actor` keyword-only, one
transaction with its audit row, and a version check so conflicting edits are refused."""

import datetime as dt

from django.db import transaction

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.core import clock

from . import permissions, plan_hooks
from .errors import ConflictingEdit, ContextInputError, NotAllowed
from .models import (
    CaseStatus,
    ClosureReason,
    ContextAssessment,
    ContextCase,
    ContextCorrection,
    ContextIntervention,
    ContextKind,
    ContextReview,
    CorrectedRecord,
    InterventionKind,
    InterventionStatus,
)
from .prompts import prompts_for
from .services_places import PlaceDescription, check_description, propose_place

CASE = "context_case"
# Audit codes for putting a record right (words in audit_actions.py).
CORRECT = "correct_context_record"
WITHDRAW = "withdraw_context_referral"
MAX_WHY = 2000


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ContextInputError(field, "enter some text")
    return value


def _subject_for(kind, place, group, school) -> dict:
    """The one subject the kind names; anything else is refused, naming the field."""
    if kind not in ContextKind.values:
        raise ContextInputError("kind", "choose a place, a peer group or a school")
    given = {"place": place, "group": group, "school": school}
    if given[kind] is None:
        raise ContextInputError(kind, f"choose the {ContextKind(kind).label.lower()}")
    for other, value in given.items():
        if other != kind and value is not None:
            raise ContextInputError(other, f"a {kind} case names no {other}")
    return {kind: given[kind]}


def _may_refer(actor, kind: str) -> bool:
    if kind == ContextKind.PLACE:
        return permissions.may_refer_place(actor)
    seen = "group" if kind == ContextKind.GROUP else "place"
    return permissions.may_view_cases(actor) and permissions.sees_context(actor, seen)


def refer(*, actor, kind: str, reason: str, place=None, group=None, school=None,
          seen_on: dt.date | None = None,
          described_place: PlaceDescription | None = None) -> ContextCase:
    """Open a context case from a referral: who referred, why, about which context, and when
    they saw it. A place that is not on the list comes as `described_place`: it is kept as a
    proposed place for the Hub to confirm, and the case is on it."""
    if kind == ContextKind.PLACE and place is None and described_place is not None:
        described_place = check_description(described_place)
        place = described_place
    subject = _subject_for(kind, place, group, school)
    reason = _required_text(reason, "reason")
    if seen_on is not None and seen_on > clock.today():
        raise ContextInputError("seen_on", "when you saw it must be today or in the past")
    if not _may_refer(actor, kind):
        raise NotAllowed
    with transaction.atomic():
        if isinstance(subject.get("place"), PlaceDescription):
            subject["place"] = propose_place(actor=actor, described=subject["place"])
        case = ContextCase.objects.create(kind=kind, referred_by=actor, referral_reason=reason,
                                          opened_at=clock.now(), seen_on=seen_on, **subject)
        record(actor=actor, action="create", object_type=CASE, object_ids=[case.pk],
               detail={"kind": kind, f"{kind}_id": subject[kind].pk})
    return case


def _locked(*, actor, case_id: int, version) -> ContextCase:
    """The case, locked for this change, if the actor may change it and nobody else has."""
    if not permissions.may_manage(actor):
        raise NotAllowed
    # Locality scope as well as role: a manager changes only the cases they may open.
    cases = policy.restrict(actor, "change", ContextCase.objects.select_for_update(of=("self",)))
    case = cases.filter(pk=case_id).first()
    if case is None:
        raise NotAllowed
    if str(version) != str(case.version):
        raise ConflictingEdit
    if not case.is_open:
        raise ContextInputError("status", "this case is closed")
    return case


def _saved(case: ContextCase, *, actor, change: str, ids=(), action: str = "update",
           **detail) -> ContextCase:
    case.version += 1
    case.save()
    record(actor=actor, action=action, object_type=CASE, object_ids=[case.pk],
           detail={"change": change, "version": case.version, "ids": list(ids), **detail})
    return case


def assess(*, actor, case_id: int, version, answers: dict, summary: str) -> ContextAssessment:
    """Record an assessment against the toolkit's prompts for the case's kind."""
    summary = _required_text(summary, "summary")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        keys = {key for key, _ in prompts_for(case.kind)}
        unknown = sorted(set(answers) - keys)
        if unknown:
            raise ContextInputError(unknown[0], f"is not a prompt for a {case.kind}")
        kept = {k: v.strip() for k, v in answers.items() if v and v.strip()}
        assessment = ContextAssessment.objects.create(
            case=case, answers=kept, summary=summary, assessed_by=actor, assessed_at=clock.now())
        if case.status == CaseStatus.REFERRED:
            case.status = CaseStatus.ASSESSING
        _saved(case, actor=actor, change="assessment", ids=[assessment.pk])
    return assessment


def plan_intervention(*, actor, case_id: int, version, kind: str, description: str, owner,
                      due_on: dt.date) -> ContextIntervention:
    """Add an intervention to the context plan, with its owner and due date."""
    if kind not in InterventionKind.values:
        raise ContextInputError("kind", "choose a kind of intervention from the list")
    description = _required_text(description, "description")
    if owner is None or not owner.is_active:
        raise ContextInputError("owner", "choose an active person to own this")
    if not isinstance(due_on, dt.date):
        raise ContextInputError("due_on", "enter a real date")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        action = ContextIntervention.objects.create(
            case=case, kind=kind, description=description, owner=owner, due_on=due_on,
            created_at=clock.now())
        case.status = CaseStatus.PLAN
        _saved(case, actor=actor, change="intervention_added", ids=[action.pk])
    return action


def set_intervention_status(*, actor, case_id: int, version, intervention_id: int,
                            status: str) -> ContextIntervention:
    """Move one intervention on (planned, in progress, done or cancelled)."""
    if status not in InterventionStatus.values:
        raise ContextInputError("status", "choose a status from the list")
    with transaction.atomic():
        # A catalogue placement behind the row ends with it (its place goes back).
        plan_hooks.row_moving(actor=actor, case_id=case_id, intervention_id=intervention_id,
                              status=status)
        case = _locked(actor=actor, case_id=case_id, version=version)
        action = case.interventions.filter(pk=intervention_id).first()
        if action is None:
            raise ContextInputError("intervention", "is not part of this case's plan")
        action.status = status
        action.save(update_fields=["status"])
        _saved(case, actor=actor, change="intervention_status", ids=[action.pk], status=status)
    return action


def review(*, actor, case_id: int, version, summary: str, next_review_on=None) -> ContextReview:
    """Record a review of the case and when it is next looked at."""
    summary = _required_text(summary, "summary")
    if next_review_on is not None and next_review_on < clock.today():
        raise ContextInputError("next_review_on", "the next review must be today or later")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        row = ContextReview.objects.create(case=case, summary=summary, reviewed_by=actor,
                                           next_review_on=next_review_on,
                                           reviewed_at=clock.now())
        _saved(case, actor=actor, change="review", ids=[row.pk])
    return row


def _end_placements(*, actor, case_id: int) -> list[plan_hooks.EndedOnClosing]:
    """A closing case's live programme placements are withdrawn (places given back) and
    their plan rows cancelled; a closed case takes no more changes, so it is now or never."""
    ended = plan_hooks.case_closing(actor=actor, case_id=case_id)
    ContextIntervention.objects.filter(
        case_id=case_id, pk__in=[e.intervention_id for e in ended]).exclude(
        status=InterventionStatus.DONE).update(status=InterventionStatus.CANCELLED)
    return ended


def close(*, actor, case_id: int, version, reason: str, note: str = "") -> ContextCase:
    """Close the case with a reason; a closed case takes no more changes. Its live programme
    placements end (withdrawn): `case.placements_ended` lists them for the confirmation."""
    if reason not in ClosureReason.values:
        raise ContextInputError("reason", "choose why the case is closing")
    if reason == ClosureReason.OTHER and not (note or "").strip():
        raise ContextInputError("note", "say why the case is closing")
    with transaction.atomic():
        ended = _end_placements(actor=actor, case_id=case_id)
        case = _locked(actor=actor, case_id=case_id, version=version)
        case.status, case.closed_at = CaseStatus.CLOSED, clock.now()
        case.closure_reason, case.closure_note = reason, (note or "").strip()
        case.placements_ended = ended
        return _saved(case, actor=actor, change="closed", reason=reason,
                      ids=[e.intervention_id for e in ended])


# --- putting a record right: corrected or withdrawn with a reason, never deleted ------------

def _why(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ContextInputError(field, f"enter why the {what}")
    if len(text) > MAX_WHY:
        raise ContextInputError(field, f"enter why in {MAX_WHY} characters or fewer")
    return text


def _shown(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _corrected(*, actor, case: ContextCase, row, kind: str, fields: dict, why: str,
               field: str) -> ContextCorrection:
    """Set the new values on `row`, keep the old ones as a correction, audit it; `fields` is
    {attribute: (label, new value)}. Nothing changed is refused on the form's first field."""
    changes = []
    for name, (label, new) in fields.items():
        old = getattr(row, name)
        if old != new:
            changes.append({"what": label, "old": _shown(old), "new": _shown(new),
                            "date": isinstance(new or old, dt.date)})
            setattr(row, name, new)
    if not changes:
        raise ContextInputError(field, "change something to correct it, or go back")
    row.save(update_fields=list(fields))
    correction = ContextCorrection.objects.create(
        case=case, record=kind, record_id=row.pk, changes=changes, reason=why,
        corrected_by=actor, corrected_at=clock.now())
    _saved(case, actor=actor, change=f"{kind}_corrected", ids=[row.pk], action=CORRECT,
           correction=correction.pk, fields=[c["what"] for c in changes])
    return correction


def correct_referral(*, actor, case_id: int, version, referral_reason: str,
                     seen_on: dt.date | None, why: str) -> ContextCorrection:
    """Put the referral right (what was seen, and when) with a reason; the earlier words stay
    on the case as a correction."""
    referral_reason = _required_text(referral_reason, "referral_reason")
    if seen_on is not None and seen_on > clock.today():
        raise ContextInputError("seen_on", "when it was seen must be today or in the past")
    why = _why(why, "correction_reason", "referral is corrected")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        return _corrected(actor=actor, case=case, row=case, kind=CorrectedRecord.REFERRAL,
                          fields={"referral_reason": ("What was seen or heard", referral_reason),
                                  "seen_on": ("When it was seen", seen_on)},
                          why=why, field="referral_reason")


def withdraw_referral(*, actor, case_id: int, version, reason: str) -> ContextCase:
    """A referral made by mistake is withdrawn with a reason: the case closes and stays on
    the record, shown as withdrawn, never deleted. Its live programme placements end too."""
    reason = _why(reason, "reason", "referral is withdrawn")
    with transaction.atomic():
        ended = _end_placements(actor=actor, case_id=case_id)
        case = _locked(actor=actor, case_id=case_id, version=version)
        case.placements_ended = ended
        now = clock.now()
        case.status, case.closed_at = CaseStatus.CLOSED, now
        case.withdrawn_at, case.withdrawn_by, case.withdrawn_reason = now, actor, reason
        return _saved(case, actor=actor, change="withdrawn", action=WITHDRAW,
                      ids=[e.intervention_id for e in ended])


def correct_intervention(*, actor, case_id: int, version, intervention_id: int,
                         description: str, owner, due_on, why: str) -> ContextCorrection:
    """Put a planned intervention right (what, who owns it, by when) with a reason."""
    description = _required_text(description, "description")
    if owner is None or not owner.is_active:
        raise ContextInputError("owner", "choose an active person to own this")
    if not isinstance(due_on, dt.date):
        raise ContextInputError("due_on", "enter a real date")
    why = _why(why, "correction_reason", "intervention is corrected")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        action = case.interventions.select_for_update().filter(pk=intervention_id).first()
        if action is None:
            raise ContextInputError("intervention", "is not part of this case's plan")
        return _corrected(actor=actor, case=case, row=action, kind=CorrectedRecord.INTERVENTION,
                          fields={"description": ("What will be done", description),
                                  "owner": ("Owner", owner), "due_on": ("Due by", due_on)},
                          why=why, field="description")


def correct_review(*, actor, case_id: int, version, review_id: int, summary: str,
                   next_review_on, why: str) -> ContextCorrection:
    """Put a review right (what changed, when it is next looked at) with a reason."""
    summary = _required_text(summary, "summary")
    why = _why(why, "correction_reason", "review is corrected")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        row = case.reviews.select_for_update().filter(pk=review_id).first()
        if row is None:
            raise ContextInputError("review", "is not one of this case's reviews")
        if (next_review_on is not None and next_review_on != row.next_review_on
                and next_review_on < clock.today()):
            raise ContextInputError("next_review_on", "the next review must be today or later")
        return _corrected(actor=actor, case=case, row=row, kind=CorrectedRecord.REVIEW,
                          fields={"summary": ("What has changed", summary),
                                  "next_review_on": ("Next review", next_review_on)},
                          why=why, field="summary")


def correct_assessment(*, actor, case_id: int, version, assessment_id: int, answers: dict,
                       summary: str, why: str) -> ContextCorrection:
    """Put an assessment right (its summary and its answers to the prompts) with a reason;
    each answer that changed is kept under its prompt's words."""
    summary = _required_text(summary, "summary")
    why = _why(why, "correction_reason", "assessment is corrected")
    with transaction.atomic():
        case = _locked(actor=actor, case_id=case_id, version=version)
        row = case.assessments.select_for_update().filter(pk=assessment_id).first()
        if row is None:
            raise ContextInputError("assessment", "is not one of this case's assessments")
        prompts = dict(prompts_for(case.kind))
        unknown = sorted(set(answers) - set(prompts))
        if unknown:
            raise ContextInputError(unknown[0], f"is not a prompt for a {case.kind}")
        kept = {k: v.strip() for k, v in answers.items() if v and v.strip()}
        changes = [{"what": prompts[key], "old": row.answers.get(key, ""),
                    "new": kept.get(key, ""), "date": False}
                   for key in prompts if row.answers.get(key, "") != kept.get(key, "")]
        if row.summary != summary:
            changes.insert(0, {"what": "Summary of the assessment", "old": row.summary,
                               "new": summary, "date": False})
        if not changes:
            raise ContextInputError("summary", "change something to correct it, or go back")
        row.answers, row.summary = kept, summary
        row.save(update_fields=["answers", "summary"])
        correction = ContextCorrection.objects.create(
            case=case, record=CorrectedRecord.ASSESSMENT, record_id=row.pk, changes=changes,
            reason=why, corrected_by=actor, corrected_at=clock.now())
        _saved(case, actor=actor, change="assessment_corrected", ids=[row.pk], action=CORRECT,
               correction=correction.pk, fields=len(changes))
    return correction
