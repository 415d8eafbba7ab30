"""Checking the audit chain: walk it in sequence order, recompute every hash, name the first break.

The walk streams in batches (constant memory). Only when it finds a break does it look
further (one indexed lookup, at most one more pass) to say what kind of tampering it was.
"""

import dataclasses
import json
from collections.abc import Sequence

from django.conf import settings
from django.db import connection
from django.db.models import Max

from . import chain
from .checkpoints import Checkpoint
from .models import AuditEntry, ChainHead

COLUMNS = (*chain.HASHED_FIELDS, "previous_hash", "entry_hash")
# How far back a renumbered entry is traced when the entry it followed has been deleted.
RENUMBER_REACH = 1000


@dataclasses.dataclass(frozen=True)
class Row:
    """One stored entry as the verifier sees it."""

    fields: dict
    previous_hash: str
    entry_hash: str

    @property
    def sequence(self) -> int:
        return self.fields["sequence"]

    def written_at(self, sequence: int, previous_hash: str | None = None) -> bool:
        """Whether this content was hashed at `sequence` (after `previous_hash`)."""
        fields = {**self.fields, "sequence": sequence}
        prior = self.previous_hash if previous_hash is None else previous_hash
        return chain.entry_hash(prior, fields) == self.entry_hash


@dataclasses.dataclass(frozen=True)
class Break:
    """The first broken entry: where, what kind of damage, and in words."""

    sequence: int
    kind: str  # modified, missing, swapped, inserted, truncated, rewritten
    message: str


@dataclasses.dataclass(frozen=True)
class Verification:
    """The outcome of a walk over the chain."""

    entries: int
    last_sequence: int
    last_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _row(values: tuple) -> Row:
    fields = dict(zip(chain.HASHED_FIELDS, values[:-2], strict=True))
    fields["at"] = _iso_utc(fields["at"])
    for name in ("object_ids", "detail"):
        if isinstance(fields[name], str | bytes):
            fields[name] = json.loads(fields[name])
    return Row(fields, values[-2], values[-1])


def _iso_utc(value) -> str:
    """The time as the chain hashes it; SQLite hands back Django's naive UTC times."""
    if value.tzinfo is None:
        return value.isoformat(timespec="microseconds") + "+00:00"
    return chain.canonical_time(value)


SELECT = (
    f"SELECT {', '.join(COLUMNS)} FROM audit_auditentry "  # noqa: S608 - fixed column names
    "WHERE sequence > %s AND sequence <= %s ORDER BY sequence"
)


def rows(*, after: int = 0, upto: int | None = None, batch_size: int | None = None):
    """Stored entries in sequence order, a window of sequence numbers at a time.

    Windows of `batch_size` sequence numbers hold at most that many rows whatever plan the
    database picks (stale statistics after a bulk load once made a LIMIT query re-sort the
    rest of the table for every batch). A plain cursor rather than the ORM: verifying a
    million entries is dominated by per-row conversion.
    """
    size = batch_size or settings.AUDIT_VERIFY_BATCH_SIZE
    upto = _last_sequence() if upto is None else upto
    while after < upto:
        window_end = min(after + size, upto)
        with connection.cursor() as cursor:
            cursor.execute(SELECT, [after, window_end])
            batch = cursor.fetchall()
        for values in batch:
            yield _row(values)
        after = window_end


def _last_sequence() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


def _head() -> tuple[int, str]:
    head = ChainHead.objects.filter(id=1).values_list("sequence", "entry_hash").first()
    return head or (0, chain.GENESIS_HASH)


def verify(*, checkpoints: Sequence[Checkpoint] = (), batch_size: int | None = None):
    """Walk the whole chain up to its head; return the first break, if any."""
    head_sequence, head_hash = _head()
    # A checkpoint of the empty chain (sequence 0) holds nothing to compare.
    pending = sorted((c for c in checkpoints if c.sequence), key=lambda c: c.sequence)
    expected, previous, count = 1, chain.GENESIS_HASH, 0
    for row in rows(upto=head_sequence, batch_size=batch_size):
        broken = _check(row, expected, previous, batch_size)
        while not broken and pending and pending[0].sequence == row.sequence:
            broken = _against_checkpoint(row, pending.pop(0))
        if broken:
            return Verification(count, expected - 1, previous, broken)
        expected, previous, count = expected + 1, row.entry_hash, count + 1
    broken = _check_end(expected - 1, previous, head_sequence, head_hash, pending)
    return Verification(count, expected - 1, previous, broken)


def _check(row: Row, expected: int, previous: str, batch_size) -> Break | None:
    if row.sequence != expected:
        return Break(
            expected,
            "missing",
            f"sequence {expected}"
            + (f" to {row.sequence - 1}" if row.sequence - 1 > expected else "")
            + " is missing: entries were deleted",
        )
    if row.previous_hash == previous and row.written_at(row.sequence):
        return None
    return _diagnose(row, previous, batch_size)


def _against_checkpoint(row: Row, checkpoint: Checkpoint) -> Break | None:
    if row.entry_hash == checkpoint.entry_hash:
        return None
    return Break(
        row.sequence,
        "rewritten",
        f"sequence {row.sequence} differs from the checkpoint of {checkpoint.created_at}: "
        "the history up to it was rewritten",
    )


def _check_end(last, previous, head_sequence, head_hash, pending) -> Break | None:
    if last < head_sequence:
        return Break(
            last + 1,
            "truncated",
            f"the chain ends at sequence {last} but its head records {head_sequence}: "
            "entries were removed from the end",
        )
    if previous != head_hash:
        return Break(last, "rewritten", f"sequence {last} differs from the chain head's hash")
    if pending:
        checkpoint = pending[0]
        return Break(
            last + 1,
            "truncated",
            f"the chain ends at sequence {last} but the checkpoint of {checkpoint.created_at} "
            f"covers {checkpoint.sequence}: entries were removed or the chain replaced",
        )
    return _beyond_head()


def _beyond_head() -> Break | None:
    # One statement reads both, so an append committing meanwhile cannot cause a false alarm.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(sequence) FROM audit_auditentry),"
            " (SELECT sequence FROM audit_chainhead WHERE id = 1)"
        )
        last, head = cursor.fetchone()
    if last is not None and last > (head or 0):
        return Break(
            (head or 0) + 1,
            "inserted",
            f"entries after the chain head (sequence {head or 0}) were added outside the log",
        )
    return None


def _diagnose(row: Row, previous: str, batch_size) -> Break:
    """Say what happened at the first entry that does not verify."""
    s = row.sequence
    if row.previous_hash == previous:
        following = next(rows(after=s, upto=s + 1), None)
        if following and following.previous_hash == previous and following.written_at(s, previous):
            return Break(
                s, "inserted", f"sequence {s} was inserted: the next entry was written here"
            )
        origin = _origin_of_content(row, batch_size)
        if origin is not None and origin != s:
            return Break(s, "swapped", f"sequence {s} holds the content of sequence {origin}")
        return Break(s, "modified", f"sequence {s} was modified: its hash does not match")
    return _diagnose_link(row)


def _diagnose_link(row: Row) -> Break:
    """The entry does not follow its predecessor: find where it was written."""
    s = row.sequence
    owner = AuditEntry.objects.filter(entry_hash=row.previous_hash).values_list("sequence").first()
    written = owner[0] + 1 if owner else (1 if row.previous_hash == chain.GENESIS_HASH else None)
    if written is None:
        # Its predecessor is gone: see whether it was written a little further on.
        written = next((p for p in range(s + 1, s + RENUMBER_REACH) if row.written_at(p)), None)
    if written is None or written == s or not row.written_at(written):
        return Break(
            s, "modified", f"sequence {s} was modified: it does not follow sequence {s - 1}"
        )
    if written < s:
        return Break(written, "inserted", f"entries were inserted at sequence {written} to {s - 1}")
    partner = next(rows(after=written - 1, upto=written), None)
    if partner and partner.written_at(s):
        return Break(s, "swapped", f"sequences {s} and {written} were swapped")
    return Break(s, "missing", f"entries before sequence {written} were deleted and renumbered")


def _origin_of_content(row: Row, batch_size) -> int | None:
    """The sequence whose stored hash this content matches (a second pass, only after a break)."""
    for other in rows(batch_size=batch_size):
        candidate = dataclasses.replace(
            row, previous_hash=other.previous_hash, entry_hash=other.entry_hash
        )
        if candidate.written_at(other.sequence):
            return other.sequence
    return None
