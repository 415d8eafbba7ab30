"""What a tampering test needs: the append-only triggers lifted, explicitly, for one block."""

import contextlib

from django.db import connection
from django.db.models import F

from saferoptions.audit import append_only, chain
from saferoptions.audit.models import AuditEntry, ChainHead


@contextlib.contextmanager
def triggers_lifted():
    """Drop the append-only triggers for the block and put them back afterwards."""
    append_only.remove(connection)
    try:
        yield
    finally:
        append_only.install(connection)


def shift_sequences(from_sequence: int, by: int) -> None:
    """Renumber entries from `from_sequence` on (in two steps, so uniqueness holds)."""
    later = AuditEntry.objects.filter(sequence__gte=from_sequence)
    later.update(sequence=F("sequence") + 10_000_000)
    AuditEntry.objects.filter(sequence__gte=10_000_000).update(
        sequence=F("sequence") - 10_000_000 + by
    )


def forge(sequence: int, previous_hash: str, *, valid: bool, at) -> AuditEntry:
    """An entry an attacker writes directly: hashed correctly or not."""
    entry = AuditEntry(
        sequence=sequence,
        at=at,
        action="view",
        object_type="person",
        object_ids=["999"],
        purpose="direct_work",
        outcome="ok",
        detail={},
        previous_hash=previous_hash,
    )
    entry.entry_hash = (
        chain.entry_hash(previous_hash, chain.fields_of(entry)) if valid else "f" * 64
    )
    entry.save(force_insert=True)
    return entry


def rehash_from(sequence: int, change: dict) -> None:
    """Rewrite every entry from `sequence` on, consistently, and move the head to match."""
    previous = (
        AuditEntry.objects.get(sequence=sequence - 1).entry_hash
        if sequence > 1
        else (chain.GENESIS_HASH)
    )
    for entry in AuditEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
        for name, value in change.items():
            setattr(entry, name, value)
        entry.previous_hash = previous
        entry.entry_hash = chain.entry_hash(previous, chain.fields_of(entry))
        entry.save()
        previous = entry.entry_hash
    last = AuditEntry.objects.order_by("-sequence").first()
    ChainHead.objects.filter(id=1).update(sequence=last.sequence, entry_hash=last.entry_hash)
