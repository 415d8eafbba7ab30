"""The Hub's front door: raising a concern, deciding it, telling the referrer."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from saferoptions.contexts import services as contexts
from saferoptions.contexts.errors import NotAllowed
from saferoptions.contexts.models import CaseStatus, ContextCase, GroupMembership
from saferoptions.core import clock

from .. import timescales
from ..models import (
    CaseNotification,
    ClockKind,
    Concern,
    ConcernKind,
    ConcernSource,
    Revision,
    StatutoryClock,
    TriageOutcome,
)
from ..selectors.accumulation import tally_for  # the tally reads; this only writes
from .clock_corrections import NOT_NEEDED
from .clocks import meet_clock, start_clock
from .common import Refused, audit

MAX_REASON = 4000


def raise_concern(*, person, source: str, reason: str, raised_by=None, event=None,
                  kind: str = ConcernKind.OTHER, locality=None, referrer_agency=None,
                  subject: dict | None = None, contributions=()) -> Concern:
    """Put a concern in its locality's triage queue; the same source and event only once."""
    _check_concern(source, kind, reason, person, locality, subject)
    if event is not None:
        found = Concern.objects.filter(source=source, event=event).first()
        if found:
            return found
    try:
        with transaction.atomic():
            concern = _raise(person, source, reason.strip(), raised_by, event, kind, locality,
                             referrer_agency, subject or {}, list(contributions))
    except IntegrityError:  # a redelivery raced us to the unique (source, event)
        if event is None:
            raise
        return Concern.objects.get(source=source, event=event)
    if person is not None and source != ConcernSource.ACCUMULATION:
        check_accumulation(person=person)
    return concern


def _check_concern(source, kind, reason, person, locality, subject):
    if source not in ConcernSource.values:
        raise Refused("source", f"Unknown source of concern {source!r}.")
    if kind not in ConcernKind.values:
        raise Refused("kind", "Choose what the concern is about.")
    if not (reason or "").strip():
        raise Refused("reason", "Describe the concern.")
    if len(reason) > MAX_REASON:
        raise Refused("reason", f"Describe the concern in {MAX_REASON} characters or fewer.")
    if person is None and locality is None:
        raise Refused("locality", "Choose the locality where the child lives.")
    if person is None and not (subject or {}).get("family_name"):
        raise Refused("family_name", "Enter the child's family name.")


def _raise(person, source, reason, raised_by, event, kind, locality, agency, subject, parts):
    now = clock.now()
    concern = Concern.objects.create(
        person=person, locality=person.locality if person and person.locality else locality,
        source=source, kind=kind, reason=reason, event=event, raised_by=raised_by,
        referrer_agency=agency or getattr(raised_by, "agency", None),
        subject_given_name=subject.get("given_name", ""),
        subject_family_name=subject.get("family_name", ""),
        subject_date_of_birth=subject.get("date_of_birth"),
        raised_at=now, due_at=timescales.triage_due(now), contributions=parts,
    )
    start_clock(kind=ClockKind.TRIAGE_DECISION, key=f"triage:concern:{concern.pk}",
                person=person, locality=concern.locality, started_at=now, due_at=concern.due_at)
    audit(raised_by, "create", "concern", [concern.pk], purpose="triage", source=source,
          event=getattr(event, "pk", None), person=getattr(person, "pk", None))
    return concern


def decide_concern(*, actor, concern: Concern, outcome: str, reasons: str,
                   group=None, place=None) -> Concern:
    """Record the Hub's decision with its reasons, stop the clock, and tell the referrer."""
    _check_decision(outcome, reasons, group, place)
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.is_withdrawn:
            raise Refused("outcome", "This concern was withdrawn, so there is nothing to decide.")
        if not concern.is_open:
            raise Refused("outcome", "This concern has already been decided: correct the "
                                     "decision instead, with your reason.")
        now = clock.now()
        concern.outcome, concern.outcome_reasons = outcome, reasons.strip()
        concern.decided_by, concern.decided_at = actor, now
        concern.group, concern.place = group, place
        concern.save()
        meet_clock(key=f"triage:concern:{concern.pk}", met_at=now)
        if outcome == TriageOutcome.STRATEGY_DISCUSSION and concern.person_id:
            start_clock(kind=ClockKind.STRATEGY_DISCUSSION, key=f"strategy:concern:{concern.pk}",
                        person=concern.person, locality=concern.locality, owner=actor,
                        started_at=now, due_at=timescales.strategy_discussion_due(now))
        if outcome == TriageOutcome.CONTEXTUAL_PATHWAY:
            _join_context_case(actor, concern)
        _tell_referrer(concern, actor, now)
        audit(actor, "update", "concern", [concern.pk], purpose="triage", outcome=outcome)
    return concern


def _join_context_case(actor, concern: Concern):
    """The child joins the open case on the group or place; the Hub opens one if none is open.

    A group's case lists its members, so the child becomes one; a place's case lists the
    children whose concerns were routed to it (see contexts.outcomes.people_of).
    """
    kind = "group" if concern.group_id else "place"
    subject = {kind: concern.group if concern.group_id else concern.place}
    open_cases = ContextCase.objects.filter(kind=kind, **subject).exclude(status=CaseStatus.CLOSED)
    case = open_cases.order_by("-opened_at").first()
    if case is None:
        try:
            case = contexts.refer(actor=actor, kind=kind, **subject,
                                  reason=f"Contextual pathway chosen at Hub triage ({concern.pk}).")
        except NotAllowed:
            raise Refused(kind, f"You may not open a case on this {kind}.") from None
    if concern.group_id and concern.person_id:
        GroupMembership.objects.get_or_create(
            group_id=concern.group_id, person_id=concern.person_id,
            defaults={"source": actor.agency, "start_date": clock.today()})
    return case


def match_concern(*, actor, concern: Concern, person) -> Concern:
    """The Hub names the known child a partner's referral is about (audited, ids only)."""
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.person_id is not None:
            raise Refused("reference", "This concern is already about a known child.")
        concern.person = person
        concern.save(update_fields=["person"])
        StatutoryClock.objects.filter(key=f"triage:concern:{concern.pk}").update(person=person)
        audit(actor, "update", "concern", [concern.pk], purpose="triage", person=person.pk)
    return concern


def _check_decision(outcome, reasons, group, place):
    if outcome not in TriageOutcome.values:
        raise Refused("outcome", "Choose a decision.")
    if not (reasons or "").strip():
        raise Refused("reasons", "Give the reasons for the decision.")
    if outcome == TriageOutcome.CONTEXTUAL_PATHWAY and not (group or place):
        raise Refused("group", "Choose the group or place whose case the child joins.")


def _tell_referrer(concern: Concern, actor, now, *, corrected: bool = False) -> None:
    """The referrer learns the outcome, never the child's details beyond their own reference."""
    referrer = concern.raised_by
    if referrer is None or referrer.pk == actor.pk:
        return
    if corrected:
        message = (f"The Hub has corrected its decision on your concern {concern.reference}: it is "
                   f"now {concern.get_outcome_display()}.")
        subject = "Safer Options: the Hub has corrected its decision on your concern"
    else:
        message = (f"The Hub has decided on your concern {concern.reference}: "
                   f"{concern.get_outcome_display()}.")
        subject = "Safer Options: the Hub has decided on your concern"
    CaseNotification.objects.create(user=referrer, concern=concern, message=message,
                                    created_at=now)
    if referrer.email:
        transaction.on_commit(lambda: send_mail(
            subject=subject, message=message,
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[referrer.email],
            fail_silently=True,
        ))


# A clock ended without its duty done (the concern withdrawn, the decision corrected) says so
# in its late reason, starting with the clock corrections' words, so the child's page shows it
# ended, never "Met" or "Met late".
ENDED = NOT_NEEDED

# What a correction compares and stores: the decision's fields, by the names a Revision keeps.
CORRECTED = ("outcome", "outcome_reasons", "group_id", "place_id")


def correct_decision(*, actor, concern: Concern, outcome: str, reasons: str, reason: str,
                     group=None, place=None) -> Revision:
    """Correct the Hub's decision with a reason: the old values stay in a `Revision`.

    What the first decision started is followed where it can be: a strategy discussion clock
    starts if the correction asks for one, and a contextual pathway joins the new group or
    place's case; a strategy discussion clock still running ends as not needed (with why)
    when the correction no longer asks for one. What has already happened stays: the decision
    clock stays met, a strategy discussion already held stays met, and a child who joined a
    group stays a member (the correction form says so before the change).
    """
    _check_reason(reason, "correcting the decision")
    _check_decision(outcome, reasons, group, place)
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.is_withdrawn:
            raise Refused("reason", "This concern was withdrawn, so it has no decision to "
                                    "correct.")
        if concern.is_open:
            raise Refused("outcome", "This concern has not been decided yet: record the "
                                     "decision instead.")
        new = {"outcome": outcome, "outcome_reasons": reasons.strip(),
               "group_id": getattr(group, "pk", None), "place_id": getattr(place, "pk", None)}
        changed = {k: [getattr(concern, k), v] for k, v in new.items()
                   if getattr(concern, k) != v}
        if not changed:
            raise Refused("outcome", "Nothing has changed: change the decision, its reasons, "
                                     "the group or the place.")
        now = clock.now()
        was = concern.outcome
        concern.outcome, concern.outcome_reasons = outcome, new["outcome_reasons"]
        concern.group, concern.place = group, place
        concern.save(update_fields=["outcome", "outcome_reasons", "group", "place"])
        version = (Revision.objects.filter(object_type="concern", object_id=concern.pk)
                   .order_by("-version").values_list("version", flat=True).first() or 0) + 1
        revision = Revision.objects.create(
            object_type="concern", object_id=concern.pk, version=version, changed=changed,
            reason=reason.strip(), saved_by=actor, saved_at=now)
        if outcome == TriageOutcome.STRATEGY_DISCUSSION and concern.person_id:
            strategy = start_clock(
                kind=ClockKind.STRATEGY_DISCUSSION, key=f"strategy:concern:{concern.pk}",
                person=concern.person, locality=concern.locality, owner=actor, started_at=now,
                due_at=timescales.strategy_discussion_due(now))
            if strategy.met_at and strategy.late_reason.startswith(ENDED):  # corrected back
                StatutoryClock.objects.filter(pk=strategy.pk).update(
                    met_at=None, late_reason="", reopened_at=now, reopened_reason=reason.strip())
        if was == TriageOutcome.STRATEGY_DISCUSSION and outcome != was:
            StatutoryClock.objects.filter(
                key=f"strategy:concern:{concern.pk}", met_at__isnull=True).update(
                met_at=now, late_reason=f"{ENDED}the Hub corrected its decision to "
                                        f"{concern.get_outcome_display()}. {reason.strip()}")
        if outcome == TriageOutcome.CONTEXTUAL_PATHWAY and (
                "group_id" in changed or "place_id" in changed or was != outcome):
            _join_context_case(actor, concern)
        if "outcome" in changed:  # reworded reasons alone do not change what they were told
            _tell_referrer(concern, actor, now, corrected=True)
        audit(actor, "correct", "concern", [concern.pk], purpose="triage",
              fields=sorted(changed), version=version, outcome=outcome)
    return revision


def withdraw_concern(*, actor, concern: Concern, reason: str, by_hub: bool = False) -> Concern:
    """Take an open concern out of the queue with a reason; it stays on file, marked.

    Its decision clock ends at the withdrawal (the late reason says why), so it is no longer
    open or overdue anywhere; it no longer adds to the child's small concerns adding up. A
    decided concern cannot be withdrawn: the Hub corrects the decision instead, so what the
    decision started is not silently left without a cause.
    """
    _check_reason(reason, "withdrawing the concern")
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.is_withdrawn:
            raise Refused("reason", "This concern has already been withdrawn.")
        if not concern.is_open:
            raise Refused("reason", "The Hub has already decided on this concern, so it cannot "
                                    "be withdrawn. "
                          + ("Correct the decision instead, with your reason." if by_hub else
                             "Ask the Hub to correct its decision instead."))
        now = clock.now()
        concern.withdrawn_at, concern.withdrawn_by = now, actor
        concern.withdrawn_reason = reason.strip()
        concern.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        ended = StatutoryClock.objects.filter(
            key=f"triage:concern:{concern.pk}", met_at__isnull=True).update(
            met_at=now, late_reason=f"{ENDED}concern withdrawn. {concern.withdrawn_reason}")
        if by_hub and concern.raised_by_id and concern.raised_by_id != actor.pk:
            CaseNotification.objects.create(  # the reason may name the child: not in a notice
                user=concern.raised_by, concern=concern, created_at=now,
                message=f"The Hub has withdrawn your concern {concern.reference}.")
        audit(actor, "withdraw", "concern", [concern.pk],
              purpose="triage" if by_hub else "direct_work", clock_ended=bool(ended))
    return concern


def _check_reason(reason, doing: str) -> None:
    if not (reason or "").strip():
        raise Refused("reason", f"Give the reason for {doing}.")
    if len(reason) > MAX_REASON:
        raise Refused("reason", f"Give the reason in {MAX_REASON} characters or fewer.")


def _unseen_weight(tally, decided: Concern) -> int:
    """The weight of the contributions the Hub had not seen when it last decided a prompt."""
    seen = {(c["type"], c["id"]) for c in decided.contributions or ()}
    return sum(c.weight for c in tally.contributions
               if (c.item.record_type, c.item.record_id) not in seen)


def check_accumulation(*, person, today=None) -> Concern | None:
    """Raise a review prompt when small concerns about the child add up past the threshold."""
    tally = tally_for(person, today=today or clock.today())
    if not tally.crossed:
        return None
    if Concern.objects.filter(person=person, source=ConcernSource.ACCUMULATION,
                              outcome="", withdrawn_at__isnull=True).exists():
        return None  # one open prompt at a time: the Hub is already looking
    # A prompt the Hub withdrew counts as seen, as a decided one does: it is not raised anew.
    decided = (Concern.objects.filter(person=person, source=ConcernSource.ACCUMULATION)
               .exclude(outcome="", withdrawn_at__isnull=True).order_by("-pk").first())
    if decided is not None and _unseen_weight(tally, decided) < tally.threshold:
        return None  # the Hub has decided on these; only what it has not seen adds up again
    parts = [{"type": c.item.record_type, "id": c.item.record_id, "kind": c.item.kind,
              "weight": c.weight} for c in tally.contributions]
    reason = (f"{len(parts)} smaller concerns in the last "
              f"{settings.CASES_ACCUMULATION['window_days']} days score {tally.score} "
              f"points together (a review is prompted at {tally.threshold} points).")
    return raise_concern(person=person, source=ConcernSource.ACCUMULATION, reason=reason,
                         kind=ConcernKind.ACCUMULATED, contributions=parts)
