"""Correcting or withdrawing a recorded item: the rules every item on the pathway shares.

A correction changes the item and keeps what it said before in a `Revision` (old and new
value of each field, who, when and why); a withdrawal keeps the row, marked with who, when and
why, so it leaves counts and clocks but stays on the child's record. Both need a reason and
are audited as "correct" or "withdraw". Callers have opened the child's record for a change
through the access policy (the only gate): the person who recorded the item, or anyone the
policy lets work with the child.
"""

import datetime as dt

from django.db.models import Max

from saferoptions.core import clock

from ..models import Revision
from .common import Refused, audit

MAX_REASON = 2000


def checked_reason(reason, doing: str = "the change") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason", f"Give the reason for {doing}.")
    if len(reason) > MAX_REASON:
        raise Refused("reason", f"Give the reason in {MAX_REASON} characters or fewer.")
    return reason


def still_on_record(row) -> None:
    """A withdrawn item is kept as it was withdrawn: it is not corrected afterwards."""
    if getattr(row, "is_withdrawn", False):
        raise Refused("reason", "This was withdrawn, so it can no longer be corrected.")


def shown(value) -> str:
    """A value as the history shows it (a person by name, a date as a date)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return clock.local(value).strftime("%d %b %Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y")
    return str(value)


def differences(row, values: dict) -> dict:
    """{field: (old, new)} for each value that differs from the row's."""
    return {k: (getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v}


def keep_revision(*, actor, object_type: str, row, changed: dict, reason: str) -> Revision:
    """The next version of the item's history: each changed field's old and new value."""
    last = Revision.objects.filter(object_type=object_type, object_id=row.pk) \
        .aggregate(v=Max("version"))["v"] or 0
    return Revision.objects.create(
        object_type=object_type, object_id=row.pk, version=last + 1, reason=reason,
        changed={k: [shown(old), shown(new)] for k, (old, new) in changed.items()},
        saved_by=actor, saved_at=clock.now())


def correct(*, actor, object_type: str, row, values: dict, reason: str,
            purpose: str = "direct_work", **detail) -> dict:
    """Apply `values` to the (locked) row with a reason; refused when nothing changes."""
    reason = checked_reason(reason, "the correction")
    still_on_record(row)
    changed = differences(row, values)
    if not changed:
        raise Refused(next(iter(values), "reason"),
                      "Nothing has changed: change what was wrong, then give the reason.")
    for name, (_, new) in changed.items():
        setattr(row, name, new)
    row.save(update_fields=list(changed))
    revision = keep_revision(actor=actor, object_type=object_type, row=row, changed=changed,
                             reason=reason)
    audit(actor, "correct", object_type, [row.pk], purpose=purpose, fields=sorted(changed),
          version=revision.version, **detail)
    return changed


def withdraw(*, actor, object_type: str, row, reason: str, purpose: str = "direct_work",
             **detail):
    """Mark the (locked) row withdrawn with a reason; it stays on file."""
    reason = checked_reason(reason, "withdrawing it")
    if row.is_withdrawn:
        raise Refused("reason", "This has already been withdrawn.")
    row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = clock.now(), actor, reason
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit(actor, "withdraw", object_type, [row.pk], purpose=purpose, **detail)
    return row


def history(object_type: str, object_id: int, labels: dict) -> list[dict]:
    """The item's corrections (each with its reason), oldest first, each field in its label's
    words. Ordinary saves while an assessment or plan is written are versions, not
    corrections: the conflict check reads those."""
    rows = Revision.objects.filter(object_type=object_type, object_id=object_id) \
        .exclude(reason="").select_related("saved_by").order_by("version")
    return [{"at": r.saved_at, "by": r.saved_by, "reason": r.reason,
             "changes": [(labels.get(k, k.replace("_", " ")), *_pair(v))
                         for k, v in r.changed.items()]} for r in rows]


def _pair(value) -> tuple[str, str]:
    """(before, after): a correction keeps both; an ordinary save keeps the new value only."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return "", str(value)
