"""A merge or split by hand, recorded as review decisions so the next batch run keeps it.

Batch linkage clusters identities afresh on every run; a reviewer's decision on a pair is what
it obeys (*match* links, *not a match* never links). So a merge records *match* between the two
persons' records, and a split *not a match* between the records moved and those left. Undo
withdraws them: pairs it made are deleted, pairs it changed get their earlier decision back.
Called inside the merge's, split's or undo's transaction. Without a trained model there is no
batch run to keep anything from, so nothing is recorded.
"""

from itertools import product

from saferoptions.core import clock

from .models import LinkageModel, ReviewPair, ReviewStatus

_KEPT = ("status", "reason", "reviewer_id", "reviewed_at")


def record_for(change, *, actor, left: list[int], right: list[int], status: str) -> None:
    """Decide every pair of `left` x `right` identities as `status`, noting what it was."""
    model = LinkageModel.objects.first()
    if model is None:
        return
    now, notes = clock.now(), []
    reason = f"{change.get_kind_display()} by hand (change {change.pk}): {change.reason}"
    for a, b in {tuple(sorted(p)) for p in product(left, right) if p[0] != p[1]}:
        pair, created = ReviewPair.objects.get_or_create(
            identity_a_id=a, identity_b_id=b,
            defaults={"model": model, "match_weight": 0.0, "match_probability": 0.0,
                      "contributions": {}, "created_at": now})
        earlier = {f: _plain(getattr(pair, f)) for f in _KEPT}
        pair.status, pair.reason, pair.reviewer, pair.reviewed_at = status, reason, actor, now
        pair.save(update_fields=["status", "reason", "reviewer", "reviewed_at"])
        notes.append({"pair": pair.pk, "created": created, "earlier": earlier})
    change.decisions = notes
    change.save(update_fields=["decisions"])


def withdraw(change) -> None:
    """Take back the decisions a merge or split recorded."""
    for note in change.decisions:
        if note["created"]:
            ReviewPair.objects.filter(pk=note["pair"]).delete()
            continue
        earlier = dict(note["earlier"])
        ReviewPair.objects.filter(pk=note["pair"]).update(**earlier)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


MATCH, NOT_MATCH = ReviewStatus.MATCH, ReviewStatus.NOT_MATCH
