"""Reading and checking a stored message, and setting aside one that cannot be processed.

Below both `services` (which checks a message as it arrives) and `processing` (which checks it
again inside the job), so neither has to import the other's caller.
"""

import json

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock

from . import flat, nesting
from .models import InboxMessage, MessageStatus
from .schemas import SCHEMAS, flatten_errors, has_lone_surrogate


def read_json(raw: bytes, *, depth: int | None = None) -> tuple[object, list[dict]]:
    """The body as JSON, or why it cannot be read (never an exception).

    Nesting deeper than `depth` levels (a message's limit unless given) is refused before the
    parser, which recurses, ever sees it.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [{"field": "body", "reason": "is not valid UTF-8"}]
    limit = nesting.max_depth() if depth is None else depth
    if nesting.too_deep(text, limit) is not None:
        return None, [{"field": "body", "reason": nesting.depth_reason(limit)}]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [{"field": "body", "reason": f"is not valid JSON ({exc.msg})"}]
    except ValueError:  # a number of more than 4,300 digits
        return None, [{"field": "body", "reason": "is not valid JSON (a number is too long)"}]
    if "\\u0000" in text.lower() and _holds_nul(data):
        # PostgreSQL text cannot hold NUL: refuse it here rather than fail when it is stored.
        return None, [{"field": "body", "reason": "contains a NUL character (\\u0000) in a "
                                                  "text value: remove it"}]
    return data, []


def _holds_nul(data) -> bool:
    """True if any key or text value holds U+0000 (walked without recursion)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def read_message(message: InboxMessage) -> tuple[dict | None, list[dict]]:
    """The stored bytes as a message dict, or the reasons they cannot be read."""
    raw = bytes(message.raw)
    if message.content_type == "csv":
        row, errors = flat.decode_row(raw)
        return (None, errors) if errors else (flat.row_to_message(message.feed_type, row), [])
    data, errors = read_json(raw)
    if errors:
        return None, errors
    if not isinstance(data, dict):
        return None, [{"field": "body", "reason": "must be a JSON object"}]
    if has_lone_surrogate(data):
        return None, [{"field": "body", "reason": "contains text that is not valid Unicode"}]
    return data, []


def validate(feed_type: str, data: dict, *, agency_id: int | None = None):
    """(draft, []) for a valid message, or (None, errors naming each field and reason).

    The sending agency lets a provider's report be checked against its own referrals.
    """
    schema = SCHEMAS[feed_type](data=data, context={"agency_id": agency_id})
    if schema.is_valid():
        return schema.to_draft(schema.validated_data), []
    return None, flatten_errors(schema.errors)


def check(message: InboxMessage):
    """Read and validate a stored message; errors carry its row number."""
    data, errors = read_message(message)
    draft = None
    if not errors:
        draft, errors = validate(message.feed_type, data, agency_id=message.agency_id)
        if errors and message.content_type == "csv":  # named as the file's columns
            errors = flat.explain(flat.decode_row(bytes(message.raw))[0], errors)
    return draft, [{"row": message.row_number, **e} for e in errors]


def quarantine(message: InboxMessage, errors: list[dict]) -> None:
    """Set a message aside with its reasons, for a person to correct and replay."""
    with transaction.atomic():
        updated = InboxMessage.objects.filter(pk=message.pk, status=MessageStatus.RECEIVED).update(
            status=MessageStatus.QUARANTINED, errors=errors, processed_at=clock.now())
        if updated:
            record(actor=None, action="quarantine", object_type="feed_message",
                   object_ids=[message.pk], purpose="partner feed",
                   detail={"fields": sorted({e["field"] for e in errors})})
    message.status, message.errors = MessageStatus.QUARANTINED, errors
