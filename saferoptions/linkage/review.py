"""Writes of the clerical review: a person's decision on a pair, on an unmatched record, and
what the real-time path leaves for them.

Each decision is one transaction with its audit row, and takes effect at once where it can:
a *match* joins the two records' people (a record with no person joins the other's person;
two people are merged), and a *not a match* gives a record with no person, and no other pair
waiting, a person of its own. The next batch run reads every decision too
(`services._reviewed_decisions`): *match* links the pair, *not a match* never links it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.people.models import Identity, Person

from .merges import MergeRefused, merge_persons
from .models import (
    UNMATCHED_REASONS,
    LinkageModel,
    ReviewPair,
    ReviewStatus,
    UnmatchedDecision,
    UnmatchedIdentity,
    UnmatchedKind,
)
from .resolution import resolve_identity
from .roles import MERGERS

PURPOSE = "data_quality"
DECISIONS = (ReviewStatus.MATCH, ReviewStatus.NOT_MATCH, ReviewStatus.NOT_SURE)
WAITING = (ReviewStatus.PENDING, ReviewStatus.NOT_SURE)
MIN_REASON = 5


class DecisionRefused(ValueError):
    """A review decision that cannot be taken as asked; `field` and the message say why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


# What a decision on a pair did (`PairOutcome.done`), for the reviewer to be told.
MERGED = "merged"                # two people merged now
MERGE_REFUSED = "merge_refused"  # the merge was refused; `refusal` says why
MAY_NOT_MERGE = "may_not_merge"  # the reviewer may not change both people: next run
ATTACHED = "attached"            # a record with no person joined the other's person now
NEW_PERSON = "new_person"        # a record with no person is someone new: a person of its own
STILL_WAITING = "still_waiting"  # a record with no person waits on another pair
SAME_PERSON = "same_person"      # not a match, but both are on one person: split by hand
ALREADY_ONE = "already_one"      # a match, and both were already on one person
KEPT_APART = "kept_apart"        # not a match on two people: nothing to change now
NOT_SURE = "not_sure"            # left in the queue for someone else


@dataclass(frozen=True)
class PairOutcome:
    """What a reviewer's decision on a pair did."""

    pair: ReviewPair
    done: str
    # The survivor of a merge, the person a record joined or was given, or the one to split.
    person: Person | None = None
    may_change: bool = False  # whether the reviewer may merge or split that person by hand
    refusal: str = ""


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DecisionRefused("reason", "Say why you decided this (at least "
                                        f"{MIN_REASON} characters).")
    return reason


def decide_pair(*, actor, pair: ReviewPair, status: str, reason: str) -> PairOutcome:
    """Record a reviewer's match / not a match / not sure on a pair, and act on it now."""
    if status not in DECISIONS:
        raise DecisionRefused("status", "Choose match, not a match or not sure.")
    reason = _reason(reason)
    with transaction.atomic():
        pair = ReviewPair.objects.select_for_update().get(pk=pair.pk)
        if pair.status in (ReviewStatus.MATCH, ReviewStatus.NOT_MATCH):
            raise DecisionRefused("status", "This pair has already been decided; merge or "
                                            "split the people instead.")
        # Acted on before the decision is saved: a merge notes the pair as it was, so undoing
        # the merge puts the pair back in the queue rather than leaving this *match* behind.
        outcome = _act_on(actor, pair, status, reason)
        pair.status, pair.reason = status, reason
        pair.reviewer, pair.reviewed_at = actor, clock.now()
        pair.save(update_fields=["status", "reason", "reviewer", "reviewed_at"])
        record(actor=actor, action="update", object_type="review_pair", object_ids=[pair.pk],
               purpose=PURPOSE, detail={"status": status, "outcome": outcome.done,
                                        "identities": [pair.identity_a_id, pair.identity_b_id]})
    return outcome


def _act_on(actor, pair: ReviewPair, status: str, reason: str) -> PairOutcome:
    if status == ReviewStatus.NOT_SURE:
        return PairOutcome(pair, NOT_SURE)
    a, b = pair.identity_a, pair.identity_b
    if a.person_id is None or b.person_id is None:
        if status == ReviewStatus.MATCH:
            return _join(actor, pair, reason)
        return _someone_else(actor, pair, reason)
    people = _current(a.person), _current(b.person)
    same = people[0].pk == people[1].pk
    if status == ReviewStatus.MATCH:
        return PairOutcome(pair, ALREADY_ONE, people[0]) if same else _merge(actor, pair, people,
                                                                            reason)
    if same:
        return PairOutcome(pair, SAME_PERSON, people[0], _may_change(actor, people[:1]))
    return PairOutcome(pair, KEPT_APART)


def _current(person: Person) -> Person:
    while person.merged_into_id:
        person = person.merged_into
    return person


def _may_change(actor, people) -> bool:
    """Merging or splitting by hand needs the merge role and leave to change each person."""
    if actor.role not in MERGERS:
        return False
    ids = {p.pk for p in people}
    changeable = policy.restrict(actor, "change", Person.objects.filter(pk__in=ids))
    return changeable.count() == len(ids)


def _merge(actor, pair: ReviewPair, people, reason: str) -> PairOutcome:
    """The person with more agency records stays (ties: the older); the other joins them."""
    if not _may_change(actor, people):
        return PairOutcome(pair, MAY_NOT_MERGE)
    held = dict(Identity.objects.filter(person__in=people).values_list("person")
                .annotate(n=Count("pk")))
    survivor, absorbed = sorted(people, key=lambda p: (-held.get(p.pk, 0), p.pk))
    try:
        merge_persons(actor=actor, survivor=survivor, absorbed=absorbed,
                      reason=f"Decided a match in record review (pair {pair.pk}): {reason}")
    except MergeRefused as refused:
        return PairOutcome(pair, MERGE_REFUSED, refusal=refused.message)
    return PairOutcome(pair, MERGED, survivor, may_change=True)


def _join(actor, pair: ReviewPair, reason: str) -> PairOutcome:
    """A record from a feed with no person yet joins the other's person now, not next run."""
    a, b = pair.identity_a, pair.identity_b
    if a.person_id is None and b.person_id is None:  # both new: one new person for the two
        person = resolve_identity(actor=actor, identity=a).person
        _settle(actor, a, UnmatchedDecision.NEW, reason)
        lone = b
    else:
        lone, other = (a, b) if a.person_id is None else (b, a)
        person = _current(other.person)
    resolve_identity(actor=actor, identity=lone, person=person)
    _settle(actor, lone, UnmatchedDecision.EXISTING, reason)
    return PairOutcome(pair, ATTACHED, person)


def _someone_else(actor, pair: ReviewPair, reason: str) -> PairOutcome:
    """Not a match: a record with no person and nothing else waiting is someone new."""
    given, waiting = None, False
    for lone in (pair.identity_a, pair.identity_b):
        if lone.person_id is not None:
            continue
        if _waiting_pairs(lone).exclude(pk=pair.pk).exists():
            waiting = True  # another pair may yet say who it is
            continue
        given = resolve_identity(actor=actor, identity=lone).person
        _settle(actor, lone, UnmatchedDecision.NEW, reason)
    if waiting:
        return PairOutcome(pair, STILL_WAITING)
    return PairOutcome(pair, NEW_PERSON, given) if given else PairOutcome(pair, KEPT_APART)


def _waiting_pairs(identity):
    return ReviewPair.objects.filter(Q(identity_a=identity) | Q(identity_b=identity),
                                     status__in=WAITING)


def _settle(actor, identity, decision: str, reason: str) -> None:
    """The record's place in the unmatched queue is settled by the same decision."""
    UnmatchedIdentity.objects.filter(identity=identity, decision="").update(
        decision=decision, decision_reason=reason, decided_by=actor, decided_at=clock.now())


def decide_unmatched(*, actor, unmatched: UnmatchedIdentity, person=None,
                     reason: str) -> UnmatchedIdentity:
    """Say who an unmatched record is: an existing person, or (person None) someone new."""
    reason = _reason(reason)
    with transaction.atomic():
        unmatched = UnmatchedIdentity.objects.select_for_update().get(pk=unmatched.pk)
        if unmatched.decision:
            raise DecisionRefused("person", "Someone has already decided who this record is.")
        identity = resolve_identity(actor=actor, identity=unmatched.identity, person=person)
        if person is not None:
            _keep_for_next_run(actor, unmatched, person, reason)
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


def _keep_for_next_run(actor, unmatched: UnmatchedIdentity, person: Person, reason: str) -> None:
    """Record *match* with the person's other records, so the next batch run keeps the choice.

    A record the model could score (not one with too little to match, which the run leaves
    with its decided person anyway) would otherwise be clustered afresh and could lose it.
    Pairs someone already decided are left as they are; nothing is kept before a model exists.
    """
    model = LinkageModel.objects.first()
    if model is None:
        return
    now, mine = clock.now(), unmatched.identity_id
    note = f"Said who an unmatched record is (record {unmatched.pk}): {reason}"
    decided = {"status": ReviewStatus.MATCH, "reason": note, "reviewer": actor,
               "reviewed_at": now}
    for other in Identity.objects.filter(person=person).exclude(pk=mine).values_list("pk",
                                                                                     flat=True):
        a, b = sorted((mine, other))
        found, created = ReviewPair.objects.get_or_create(
            identity_a_id=a, identity_b_id=b,
            defaults={"model": model, "match_weight": 0.0, "match_probability": 0.0,
                      "contributions": {}, "created_at": now, **decided})
        if not created and found.status in WAITING:
            ReviewPair.objects.filter(pk=found.pk).update(**decided)


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


def queue_unmatched(*, identity, reason: str = "",
                    kind: str = UnmatchedKind.TOO_LITTLE) -> UnmatchedIdentity:
    """A feed's record left with no person waits in the unmatched queue, with why.

    Called only for a record with no person, so an earlier decision about it no longer holds:
    it waits again, with today's reason, but keeps the time it first started waiting.
    """
    reason = reason or UNMATCHED_REASONS[kind]
    found, created = UnmatchedIdentity.objects.get_or_create(
        identity=identity, defaults={"kind": kind, "reason": reason, "created_at": clock.now()})
    if not created:
        found.kind, found.reason = kind, reason
        found.decision, found.decision_reason = UnmatchedDecision.PENDING, ""
        found.decided_by, found.decided_at = None, None
        found.save(update_fields=["kind", "reason", "decision", "decision_reason",
                                  "decided_by", "decided_at"])
    return found


def leave_unmatched(*, identity) -> None:
    """A feed found who a waiting record is: it no longer waits."""
    UnmatchedIdentity.objects.filter(identity=identity, decision="").delete()
