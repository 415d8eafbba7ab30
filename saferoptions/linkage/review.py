"""Writes of the clerical review: a person's decision on a pair, on an unmatched record, and
what the real-time path leaves for them.

Each decision is one transaction with its audit row. Decisions are read by the next batch
run (`services._reviewed_decisions`): *match* links the pair, *not a match* never links it.
"""

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock

from .models import ReviewPair, ReviewStatus, UnmatchedDecision, UnmatchedIdentity

PURPOSE = "data_quality"
DECISIONS = (ReviewStatus.MATCH, ReviewStatus.NOT_MATCH, ReviewStatus.NOT_SURE)
MIN_REASON = 5


class DecisionRefused(ValueError):
    """A review decision that cannot be taken as asked; `field` and the message say why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DecisionRefused("reason", "Say why you decided this (at least "
                                        f"{MIN_REASON} characters).")
    return reason


def decide_pair(*, actor, pair: ReviewPair, status: str, reason: str) -> ReviewPair:
    """Record a reviewer's match / not a match / not sure on a pair the model was unsure of."""
    if status not in DECISIONS:
        raise DecisionRefused("status", "Choose match, not a match or not sure.")
    reason = _reason(reason)
    with transaction.atomic():
        pair = ReviewPair.objects.select_for_update().get(pk=pair.pk)
        if pair.status in (ReviewStatus.MATCH, ReviewStatus.NOT_MATCH):
            raise DecisionRefused("status", "This pair has already been decided; merge or "
                                            "split the people instead.")
        pair.status, pair.reason = status, reason
        pair.reviewer, pair.reviewed_at = actor, clock.now()
        pair.save(update_fields=["status", "reason", "reviewer", "reviewed_at"])
        record(actor=actor, action="update", object_type="review_pair", object_ids=[pair.pk],
               purpose=PURPOSE, detail={"status": status, "identities": [
                   pair.identity_a_id, pair.identity_b_id]})
        if status == ReviewStatus.MATCH:
            _attach_unlinked(actor, pair)
    return pair


def _attach_unlinked(actor, pair: ReviewPair) -> None:
    """A record from a feed with no person yet joins the other's person now, not next run."""
    from saferoptions.feeds.services import resolve_identity

    a, b = pair.identity_a, pair.identity_b
    for lone, other in ((a, b), (b, a)):
        if lone.person_id is None and other.person_id is not None:
            resolve_identity(actor=actor, identity=lone, person=other.person)


def decide_unmatched(*, actor, unmatched: UnmatchedIdentity, person=None,
                     reason: str) -> UnmatchedIdentity:
    """Say who an unmatched record is: an existing person, or (person None) someone new."""
    from saferoptions.feeds.services import resolve_identity

    reason = _reason(reason)
    with transaction.atomic():
        unmatched = UnmatchedIdentity.objects.select_for_update().get(pk=unmatched.pk)
        if unmatched.decision:
            raise DecisionRefused("person", "Someone has already decided who this record is.")
        identity = resolve_identity(actor=actor, identity=unmatched.identity, person=person)
        unmatched.decision = UnmatchedDecision.EXISTING if person else UnmatchedDecision.NEW
        unmatched.decision_reason, unmatched.decided_by = reason, actor
        unmatched.decided_at = clock.now()
        unmatched.save(update_fields=["decision", "decision_reason", "decided_by",
                                      "decided_at"])
        record(actor=actor, action="update", object_type="unmatched_identity",
               object_ids=[unmatched.pk], purpose=PURPOSE,
               detail={"identity": identity.pk, "person": identity.person_id,
                       "decision": unmatched.decision})
    return unmatched


# --- left by the real-time path (system writes: the feed's own batch is audited) ------------

def queue_pair(*, identity, candidate, model) -> ReviewPair:
    """A feed's record the model was unsure of waits in the review queue with its best match."""
    a, b = sorted((identity.pk, int(candidate.identity_id)))
    pair, _ = ReviewPair.objects.get_or_create(
        identity_a_id=a, identity_b_id=b,
        defaults={"model": model, "match_weight": candidate.match_weight,
                  "match_probability": candidate.probability,
                  "contributions": candidate.contributions, "created_at": clock.now()})
    return pair


def queue_unmatched(*, identity, reason: str) -> UnmatchedIdentity:
    """A feed's record with too little to match waits in the unmatched queue, with why."""
    found, _ = UnmatchedIdentity.objects.get_or_create(
        identity=identity, defaults={"reason": reason, "created_at": clock.now()})
    return found
