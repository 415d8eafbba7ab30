"""Hashing for the audit chain: pure functions, shared by the writer and the verifier."""

import datetime as dt
import hashlib
import json

GENESIS_HASH = "0" * 64


def canonical(fields: dict) -> bytes:
    """A stable byte form of an entry's fields (sorted keys, ISO times, no whitespace)."""

    def default(value):
        if isinstance(value, dt.datetime):
            return canonical_time(value)
        return str(value)

    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=default).encode()


def canonical_time(value: dt.datetime) -> str:
    """A time as the chain hashes it: UTC, ISO 8601, microseconds."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(previous_hash: str, fields: dict) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(fields)).hexdigest()


HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_ids",
    "purpose",
    "outcome",
    "request_id",
    "detail",
)


def fields_of(entry) -> dict:
    """The hashed fields of an AuditEntry (or any object with those attributes)."""
    return {name: getattr(entry, name) for name in HASHED_FIELDS}
