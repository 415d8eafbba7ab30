"""API batches: many messages in one request, each kept exactly as the single endpoint keeps it.

Every message of a batch is stored raw first, in its own transaction, under the same
idempotency rules as `POST /api/feeds/<feed>/messages/`, then checked and handed to the same
processing job. A batch has a ledger to balance, so, as with a file's rows, an item the single
endpoint would refuse (not a JSON object, no usable key, a key already used with a different
body) is kept in quarantine with its reason instead of being lost.
"""

import dataclasses
import json
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F

from saferoptions.audit.services import record
from saferoptions.core import clock

from . import nesting
from .checking import check, quarantine, read_json
from .models import Batch, BatchSource, InboxMessage, MessageStatus, PartnerSystem
from .schemas import has_lone_surrogate
from .services import KeyConflict, Receipt, body_hash, enqueue, store_message

KEY_REASON = "is required: a text of 1 to 100 characters"


class BatchRefused(Exception):
    """The request as a whole cannot be taken; nothing of it is stored."""

    def __init__(self, errors: list[dict], *, too_many: bool = False):
        super().__init__(errors)
        self.errors, self.too_many = errors, too_many


@dataclasses.dataclass
class ItemReceipt:
    """One message of a batch: where it is kept, and what the single endpoint would answer."""

    row: int
    code: int  # 202 stored, 422 invalid, 400 not a keyed JSON object, 409 key already used
    message: InboxMessage
    replayed: bool


def message_key(item) -> str:
    """The item's idempotency key, or "" if it has no usable one."""
    key = item.get("idempotency_key") if isinstance(item, dict) else None
    if not isinstance(key, str) or not key.strip() or len(key) > 100 or has_lone_surrogate(key):
        return ""
    return key


def read_batch(raw: bytes) -> list[tuple[object, bytes]]:
    """Each message of the batch with its exact bytes; raises BatchRefused for the whole.

    A message nested deeper than a message may be refuses the whole batch, naming its row:
    finding where each message ends would mean parsing it, which is what must not happen.
    """
    limit = nesting.max_depth()
    data, errors = read_json(raw, depth=limit + 2)  # the batch's object and its list
    if errors:
        raise BatchRefused(_name_the_row(raw, errors, limit))
    if not isinstance(data, dict):
        raise BatchRefused([{"field": "body", "reason": "must be a JSON object with messages"}])
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BatchRefused([{"field": "messages", "reason": "is required: a list of 1 to "
                             f"{settings.FEEDS_API_BATCH_MAX} messages"}])
    if len(messages) > settings.FEEDS_API_BATCH_MAX:
        raise BatchRefused([{"field": "messages", "reason": f"holds {len(messages)} messages; "
                             f"a batch may hold at most {settings.FEEDS_API_BATCH_MAX}"}],
                           too_many=True)
    texts = _item_texts(raw.decode("utf-8"))
    return [(item, text.encode("utf-8")) for item, text in zip(messages, texts, strict=True)]


def _name_the_row(raw: bytes, errors: list[dict], limit: int) -> list[dict]:
    text = raw.decode("utf-8", errors="replace")
    offset = nesting.too_deep(text, limit + 2)
    if offset is None:
        return errors
    row = nesting.batch_row_at(text, offset)
    return [{"field": "messages", "row": row, "reason": f"message {row} "
             + nesting.depth_reason(limit)}]


_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
_decoder = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()


def _item_texts(text: str) -> list[str]:
    """The messages array's items as written, so each is stored byte for byte as sent.

    Only called on text json.loads has read, so its shape is known good; a repeated
    "messages" key counts as json.loads counts it (the last one).
    """
    found, pos = [], _skip(text, _skip(text, 0) + 1)  # past "{"
    while text[pos] != "}":
        key, pos = _decoder.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past ":"
        if key == "messages":
            found, pos = _array_items(text, pos)
        else:
            _, pos = _decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1) if text[pos] == "," else pos
    return found


def _array_items(text: str, pos: int) -> tuple[list[str], int]:
    items, pos = [], _skip(text, pos + 1)  # past "["
    while text[pos] != "]":
        _, end = _decoder.raw_decode(text, pos)
        items.append(text[pos:end])
        pos = _skip(text, end)
        pos = _skip(text, pos + 1) if text[pos] == "," else pos
    return items, pos + 1


def receive_batch(*, partner: PartnerSystem, feed_type: str,
                  items: list[tuple[object, bytes]]) -> tuple[Batch, list[ItemReceipt]]:
    """An API batch: its ledger row first, then every message as the single endpoint takes it."""
    with transaction.atomic():
        batch = Batch.objects.create(
            feed_type=feed_type, agency=partner.agency, partner=partner,
            source=BatchSource.API, received_at=clock.now(), received=len(items))
        record(actor=None, action="create", object_type="feed_batch", object_ids=[batch.pk],
               purpose="partner feed",
               detail={"messages": len(items), "feed": feed_type, "partner": partner.pk})
    receipts = [_receive_item(batch, row, item, raw)
                for row, (item, raw) in enumerate(items, start=1)]
    batch.refresh_from_db(fields=["duplicates"])
    return batch, receipts


def _receive_item(batch: Batch, row: int, item, raw: bytes) -> ItemReceipt:
    key = message_key(item)
    if not key:
        return _keep_unkeyed(batch, row, item, raw)
    try:
        receipt = _store(batch, row, raw, key)
    except KeyConflict as clash:
        return _keep_clash(batch, row, raw, clash)
    if receipt.duplicate:
        _count_duplicate(batch)
    else:
        _check_then_enqueue(receipt.message)
    quarantined = receipt.message.status == MessageStatus.QUARANTINED
    return ItemReceipt(row, 422 if quarantined else 202, receipt.message, receipt.duplicate)


def _keep_unkeyed(batch: Batch, row: int, item, raw: bytes) -> ItemReceipt:
    """Kept under a key made from its bytes (as a file's keyless row): a resend finds it."""
    try:
        receipt = _store(batch, row, raw, "item-" + body_hash(raw)[:40])
    except KeyConflict as clash:  # corrected in quarantine since; still the same delivery
        # (another system's identical item is kept apart: it is told nothing of that one)
        receipt = (_store(batch, row, raw, "") if clash.foreign
                   else Receipt(clash.original, duplicate=True))
    if receipt.duplicate:
        _count_duplicate(batch)
    else:
        field, reason = (("idempotency_key", KEY_REASON) if isinstance(item, dict)
                         else ("message", "must be a JSON object"))
        quarantine(receipt.message, [{"row": row, "field": field, "reason": reason}])
    return ItemReceipt(row, 400, receipt.message, receipt.duplicate)


def _keep_clash(batch: Batch, row: int, raw: bytes, clash: KeyConflict) -> ItemReceipt:
    """The single endpoint's 409, but kept (without a key) so the ledger still balances."""
    receipt = _store(batch, row, raw, "")
    reason = ("was already used by another of your agency's systems" if clash.foreign else
              f"was already used by message {clash.original.pk} with a different body")
    quarantine(receipt.message, [{"row": row, "field": "idempotency_key", "reason": reason}])
    return ItemReceipt(row, 409, receipt.message, replayed=False)


def _store(batch: Batch, row: int, raw: bytes, key: str) -> Receipt:
    return store_message(agency=batch.agency, partner=batch.partner, batch=batch,
                         feed_type=batch.feed_type, key=key, raw=raw, row_number=row)


def _check_then_enqueue(message: InboxMessage) -> None:
    _, errors = check(message)
    if errors:
        quarantine(message, errors)
    else:
        enqueue(message)


def _count_duplicate(batch: Batch) -> None:
    Batch.objects.filter(pk=batch.pk).update(duplicates=F("duplicates") + 1)
