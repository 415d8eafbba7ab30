"""Writing the audit log. Every audited read or change calls `record` inside its own transaction.

`record` must run inside the transaction of the work it records: if the audit row cannot be
written the transaction fails and the caller returns no data (fail closed).
"""

import json

from django.db import transaction
from django.dispatch import Signal

from saferoptions.core import clock

from . import chain
from .middleware import current_request_id
from .models import AuditEntry, ChainHead


class AuditUnavailable(RuntimeError):
    """The audit row could not be written, so the work it records must not happen."""


# Sent (with the action only) whenever an audit row could not be written, so monitoring can
# count failures (web/metrics.py listens) without the audit importing anything above it.
audit_write_failed = Signal()


def record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_ids=(),
    purpose: str = "",
    outcome: str = "ok",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call inside `transaction.atomic()`."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditUnavailable("audit.record must run inside the audited transaction")
    try:
        return _append(actor, action, object_type, list(object_ids), purpose, outcome, detail)
    except Exception as exc:  # any failure to audit means the work must not go ahead
        # Even a caller that catches this inside its block cannot commit the unaudited work.
        transaction.set_rollback(True)
        audit_write_failed.send_robust(sender=AuditEntry, action=action)
        raise AuditUnavailable(str(exc.__class__.__name__)) from exc


def _stored_form(detail: dict | None) -> dict:
    """The detail exactly as the database will give it back, so the hash verifies later."""
    return json.loads(json.dumps(_plain(detail or {}), allow_nan=False))


def _plain(value):
    # jsonb keeps decimals, not floats: -0.0 comes back as 0.0 and 1e20 as an integer. Storing
    # whole floats as integers gives back exactly what was hashed.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    # PostgreSQL's jsonb refuses a NUL anywhere in a string: a value someone typed with one
    # would make the audit row fail, and with it the work it records. Kept as U+FFFD.
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _append(actor, action, object_type, object_ids, purpose, outcome, detail) -> AuditEntry:
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    entry = AuditEntry(
        sequence=head.sequence + 1,
        at=clock.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        object_type=object_type,
        object_ids=[str(i) for i in object_ids],
        purpose=purpose,
        outcome=outcome,
        request_id=current_request_id(),
        detail=_stored_form(detail),
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = chain.entry_hash(head.entry_hash, chain.fields_of(entry))
    entry.save(force_insert=True)
    ChainHead.objects.filter(id=1).update(sequence=entry.sequence, entry_hash=entry.entry_hash)
    return entry
