"""Checkpoints: a signed note of the chain's end, kept outside the database.

A checkpoint records the last sequence, its hash, the number of entries and when it was
taken, signed with an HMAC so it cannot be edited to match a shortened or rewritten chain.
Verifying against one detects truncation and any rewrite of the history it covers.
"""

import dataclasses
import hashlib
import hmac
import json
from pathlib import Path

from django.conf import settings

FORMAT = "saferoptions-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "sequence", "entry_hash", "count", "created_at")


class CheckpointInvalid(ValueError):
    """The checkpoint file cannot be trusted or read."""


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """The chain's end at one moment."""

    sequence: int
    entry_hash: str
    count: int
    created_at: str

    def signed(self) -> dict:
        body = {"format": FORMAT, **dataclasses.asdict(self)}
        return {**body, "signature": _signature(body)}


def _signature(body: dict) -> str:
    key = settings.AUDIT_CHECKPOINT_KEY.encode()
    message = json.dumps({k: body[k] for k in SIGNED_FIELDS}, sort_keys=True).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def write(checkpoint: Checkpoint, path: Path) -> None:
    """Write the signed checkpoint as JSON."""
    path.write_text(json.dumps(checkpoint.signed(), indent=2) + "\n")


def read(path: Path) -> Checkpoint:
    """Read and check a checkpoint file; CheckpointInvalid names what is wrong."""
    try:
        body = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise CheckpointInvalid(f"checkpoint {path}: cannot be read as JSON ({exc})") from exc
    return parse(body, source=str(path))


def parse(body, *, source: str = "checkpoint") -> Checkpoint:
    """Check a decoded checkpoint's fields and signature."""
    if not isinstance(body, dict):
        raise CheckpointInvalid(f"{source}: not a JSON object")
    missing = [k for k in (*SIGNED_FIELDS, "signature") if k not in body]
    if missing:
        raise CheckpointInvalid(f"{source}: missing field {missing[0]!r}")
    if body["format"] != FORMAT:
        raise CheckpointInvalid(f"{source}: field 'format' is {body['format']!r}, not {FORMAT}")
    for name in ("sequence", "count"):
        if not isinstance(body[name], int) or body[name] < 0:
            raise CheckpointInvalid(f"{source}: field {name!r} must be a whole number")
    if not hmac.compare_digest(str(body["signature"]), _signature(body)):
        raise CheckpointInvalid(
            f"{source}: field 'signature' does not match: the file was altered or signed "
            "with another key"
        )
    return Checkpoint(body["sequence"], body["entry_hash"], body["count"], body["created_at"])
