"""Every write in feeds: receive (raw, first), process, quarantine, correct and replay.

A message is stored exactly as it arrived, in its own transaction, before anything else; the
processing job then turns it into an event and tasks in one transaction keyed on the message.
A crash at any point repeats work but never loses a message or duplicates an event or task.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.views.decorators.debug import sensitive_variables
from django_q.tasks import async_task

from saferoptions.audit.services import record
from saferoptions.cases.hooks import event_arrived
from saferoptions.core import clock
from saferoptions.events.models import Event
from saferoptions.tasks.services import apply_rules, name_child_on_tasks

from . import flat
from .checking import check, quarantine, validate
from .incidents import Incident, message_for
from .models import (
    Batch,
    BatchSource,
    FeedType,
    InboxMessage,
    MessageCorrection,
    MessageStatus,
    PartnerSystem,
    feeds_for_agency,
    hash_token,
)
from .processing import process_batch
from .schemas import SCHEMAS

PROCESS_JOB = "saferoptions.feeds.tasks.process_message"


class KeyConflict(Exception):
    """The idempotency key was already used with a different body, or by another system.

    `foreign`: the agency's other system (or a file) used it. Keys are unique per agency, so
    one system never makes a second message of another's; but a system is told nothing of a
    message it did not send (its number, status or event), as a read of it by number is
    refused: the clash is said without naming the message.
    """

    def __init__(self, original: InboxMessage, *, foreign: bool = False):
        super().__init__(original.idempotency_key)
        self.original = original
        self.foreign = foreign


@dataclasses.dataclass
class Receipt:
    """What became of one delivery: the message, and whether it was new."""

    message: InboxMessage
    duplicate: bool


def body_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def store_message(*, agency, feed_type, key, raw: bytes, partner=None, batch=None,
                  row_number=None, content_type="json") -> Receipt:
    """Persist the raw message in its own transaction; a redelivery finds the original."""
    digest = body_hash(raw)
    try:
        with transaction.atomic():
            message = InboxMessage.objects.create(
                agency=agency, partner=partner, batch=batch, row_number=row_number,
                feed_type=feed_type, idempotency_key=key, body_hash=digest, raw=raw,
                content_type=content_type, received_at=clock.now(),
            )
        return Receipt(message, duplicate=False)
    except IntegrityError:
        original = InboxMessage.objects.get(agency=agency, idempotency_key=key)
        # Between two partner systems only: a file someone of the agency uploaded is the
        # agency's own, and sending it again by the API is still the same delivery.
        if partner is not None and original.partner_id not in (None, partner.pk):
            raise KeyConflict(original, foreign=True) from None
        if original.body_hash != digest:
            raise KeyConflict(original) from None
        return Receipt(original, duplicate=True)


def enqueue(message: InboxMessage) -> None:
    """Hand the message to the worker (inline under tests' sync mode)."""
    async_task(PROCESS_JOB, message.pk, task_name=f"feed-message-{message.pk}")


def process_message(message_id: int) -> str:
    """Turn the stored message (and others waiting) into events and tasks, exactly once."""
    return process_batch(message_id)


def receive_json(*, partner: PartnerSystem, feed_type: str, key: str, raw: bytes) -> Receipt:
    """An API delivery: stored first, checked at once, processed by the worker if valid."""
    receipt = store_message(agency=partner.agency, partner=partner, feed_type=feed_type,
                            key=key, raw=raw)
    if not receipt.duplicate:
        _check_then_enqueue(receipt.message)
    return receipt


class IncidentRefused(Exception):
    """The feed's schema refused the typed incident: [{field, reason}], nothing was stored."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def record_incident(*, actor, incident: Incident) -> Receipt:
    """An incident a practitioner typed: the feed's message, stored, checked and processed.

    It takes the feed's own path (the same checks, linkage, rules, tasks and audit) and is
    processed at once, so the practitioner sees which team got which task. The form's key
    makes a second send of the same page the same delivery.
    """
    agency, feed_type = actor.agency, incident.kind.feed_type
    if agency is None or feed_type not in feeds_for_agency(agency):
        raise IncidentRefused([{"field": "kind", "reason": "is not something your agency's "
                                                          "feed sends"}])
    message = message_for(incident)
    if errors := validate(feed_type, message, agency_id=agency.pk)[1]:
        raise IncidentRefused(errors)
    with transaction.atomic():
        receipt = store_message(agency=agency, feed_type=feed_type, key=incident.key,
                                raw=json.dumps(message, sort_keys=True).encode())
        if not receipt.duplicate:
            record(actor=actor, action="create", object_type="feed_message",
                   object_ids=[receipt.message.pk], purpose="partner feed",
                   detail={"feed": feed_type, "typed_by": "practitioner"})
    if not receipt.duplicate:
        _check_then_process(receipt.message)
    receipt.message.refresh_from_db()
    return receipt


def _check_then_process(message: InboxMessage) -> None:
    _, errors = check(message)
    if errors:
        quarantine(message, errors)
    else:
        process_message(message.pk)


def _check_then_enqueue(message: InboxMessage) -> None:
    _, errors = check(message)
    if errors:
        quarantine(message, errors)
    else:
        enqueue(message)


def import_file(*, agency, feed_type, filename, content: bytes, actor=None,
                partner=None) -> Batch:
    """A CSV or XLSX file: every row stored, checked, then processed or quarantined."""
    if feed_type not in feeds_for_agency(agency):
        raise flat.FileRefused(f"is for the {FeedType(feed_type).label} feed, which "
                               f"{agency.name} may not send")
    _check_size(content)
    header, rows = _read(feed_type, filename, content)
    if len(rows) > settings.FEEDS_MAX_FILE_ROWS:
        raise flat.FileRefused(f"has {len(rows):,} rows; a file may hold at most "
                               f"{settings.FEEDS_MAX_FILE_ROWS:,}: split it into smaller files "
                               "(nothing of it was stored)")
    with transaction.atomic():
        batch = Batch.objects.create(
            feed_type=feed_type, agency=agency, partner=partner, uploaded_by=actor,
            source=BatchSource.FILE, filename=filename[:200], received_at=clock.now(),
            received=len(rows))
        record(actor=actor, action="create", object_type="feed_batch", object_ids=[batch.pk],
               purpose="partner feed", detail={"rows": len(rows), "feed": feed_type})
    for row in rows:
        _import_row(batch, header, row)
    batch.refresh_from_db(fields=["duplicates"])  # counted in the database, row by row
    return batch


def _check_size(content: bytes) -> None:
    if not content:
        raise flat.FileRefused("is empty: the first row must be the header")
    if len(content) > settings.FEEDS_MAX_FILE_BYTES:
        raise flat.FileRefused(too_large(len(content)))


def too_large(size: int) -> str:
    return (f"is {_size(size)}; a file may be at most {_size(settings.FEEDS_MAX_FILE_BYTES)}: "
            "split it into smaller files (nothing of it was stored)")


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.3g} KB"
    return f"{round(count / (1024 * 1024), 1):g} MB"


def _read(feed_type, filename, content):
    from .files import read_rows  # noqa: PLC0415 openpyxl is only loaded when a file arrives

    return read_rows(feed_type, filename, content)


def _import_row(batch: Batch, header: list[str], row) -> None:
    raw = flat.encode_row(header, row.values)
    cells = dict(zip(header, row.values, strict=False))
    key = _usable_key(cells.get("idempotency_key", "")) or "row-" + body_hash(raw)[:40]
    try:
        receipt = store_message(agency=batch.agency, partner=batch.partner, batch=batch,
                                feed_type=batch.feed_type, key=key, raw=raw,
                                row_number=row.number, content_type="csv")
    except KeyConflict as clash:
        receipt = store_message(agency=batch.agency, partner=batch.partner, batch=batch,
                                feed_type=batch.feed_type, key="", raw=raw,
                                row_number=row.number, content_type="csv")
        reason = ("was already used by another of your agency's systems" if clash.foreign
                  else f"was already used by message {clash.original.pk} with a different row")
        quarantine(receipt.message, [{"row": row.number, "field": "idempotency_key",
                                      "reason": reason}])
        return
    if receipt.duplicate:
        Batch.objects.filter(pk=batch.pk).update(duplicates=F("duplicates") + 1)
    elif row.errors:
        quarantine(receipt.message, [{"row": row.number, **e} for e in row.errors])
    else:
        _check_then_enqueue(receipt.message)


def _usable_key(key: str) -> str:
    """A row's own key, unless blank or unreadable (then the row's hash keys it)."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return ""
    return key.strip()[:100]


def correct_and_replay(*, actor, message: InboxMessage, raw: bytes) -> InboxMessage:
    """A person fixes a quarantined message's bytes and sends it through again."""
    with transaction.atomic():
        message = InboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != MessageStatus.QUARANTINED:
            return message
        # What the partner sent, and why it was refused, is kept: only the copy is corrected.
        kept = MessageCorrection.objects.create(
            message=message, raw_before=bytes(message.raw), body_hash_before=message.body_hash,
            errors_before=message.errors, corrected_by=actor, corrected_at=clock.now())
        message.raw, message.body_hash = raw, body_hash(raw)
        message.status, message.errors, message.replayed_at = (
            MessageStatus.RECEIVED, [], kept.corrected_at)
        message.save(update_fields=["raw", "body_hash", "status", "errors", "replayed_at"])
        record(actor=actor, action="replay", object_type="feed_message",
               object_ids=[message.pk], purpose="partner feed",
               detail={"correction": kept.pk, "body_hash_before": kept.body_hash_before,
                       "body_hash_after": message.body_hash})
    _check_then_enqueue(message)
    message.refresh_from_db()
    return message


def sweep_inbox(*, older_than_seconds: int) -> int:
    """Re-enqueue messages a crash left unprocessed (the job is idempotent, so this is safe)."""
    cutoff = clock.now() - dt.timedelta(seconds=older_than_seconds)
    stale = InboxMessage.objects.filter(status=MessageStatus.RECEIVED, received_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True)[:5000])
    for pk in ids:
        async_task(PROCESS_JOB, pk, task_name=f"feed-message-{pk}")
    return len(ids)


class PartnerSystemRefused(Exception):
    """A change to a partner system that cannot be made as given: the field and the reason."""

    def __init__(self, field: str | None, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


REASON_MAX_LENGTH = 200


@sensitive_variables("token")
def create_partner_system(*, actor, name, agency, feed_types) -> tuple[PartnerSystem, str]:
    """A new partner credential; the token is shown once and only its hash is kept."""
    name, feed_types = _clean_name(name), _clean_feed_types(feed_types, agency)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            partner = PartnerSystem.objects.create(
                name=name, agency=agency, feed_types=feed_types,
                token_hash=hash_token(token), token_hint=token[:6])
            record(actor=actor, action="create", object_type="partner_system",
                   object_ids=[partner.pk], purpose="partner feed",
                   detail={"agency": agency.pk, "feed_types": feed_types})
    except IntegrityError:  # another administrator took the name a moment ago
        raise PartnerSystemRefused("name", _name_taken(name)) from None
    return partner, token


@sensitive_variables("token")
def rotate_partner_token(*, actor, partner: PartnerSystem, reason: str,
                         replacing: str | None = None) -> tuple[PartnerSystem, str]:
    """A new token for the system; the old one stops working with this commit.

    `replacing` is the hint of the token the administrator saw: if it has changed since (the
    page was sent twice, or by two people), nothing happens, so one click makes one token.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        partner = PartnerSystem.objects.select_for_update().get(pk=partner.pk)
        reason = _clean_reason(reason, partner)
        if replacing is not None and replacing != partner.token_hint:
            raise PartnerSystemRefused(None, "The token was already replaced since you opened "
                                       "this page, so no new token was made.")
        partner.token_hash, partner.token_hint = hash_token(token), token[:6]
        partner.save(update_fields=["token_hash", "token_hint"])
        _record_change(actor, partner, "token_rotated", reason)
    return partner, token


def revoke_partner_system(*, actor, partner: PartnerSystem, reason: str) -> PartnerSystem:
    """Stop the system's token working at once; its messages and history are kept."""
    return _set_active(actor, partner, False, reason)


def reactivate_partner_system(*, actor, partner: PartnerSystem, reason: str) -> PartnerSystem:
    """Let a revoked system's current token work again."""
    return _set_active(actor, partner, True, reason)


def change_partner_feed_types(*, actor, partner: PartnerSystem, feed_types,
                              reason: str) -> PartnerSystem:
    """Which feeds the system may send. Its agency never changes (see docs/feeds.md)."""
    feed_types = _clean_feed_types(feed_types, partner.agency)
    with transaction.atomic():
        partner = PartnerSystem.objects.select_for_update().get(pk=partner.pk)
        reason = _clean_reason(reason, partner)
        before = partner.feed_types
        if set(before) == set(feed_types):
            raise PartnerSystemRefused("feed_types", "These are the feed types it may already "
                                       "send: change at least one.")
        partner.feed_types = feed_types
        partner.save(update_fields=["feed_types"])
        _record_change(actor, partner, "feed_types", reason,
                       before=before, after=feed_types)
    return partner


def _set_active(actor, partner: PartnerSystem, active: bool, reason: str) -> PartnerSystem:
    with transaction.atomic():
        partner = PartnerSystem.objects.select_for_update().get(pk=partner.pk)
        reason = _clean_reason(reason, partner)
        if partner.is_active != active:  # sent twice: the second changes and records nothing
            partner.is_active = active
            partner.save(update_fields=["is_active"])
            _record_change(actor, partner, "reactivated" if active else "revoked", reason)
    return partner


def _record_change(actor, partner, change: str, reason: str, **detail) -> None:
    # Ids, the kind of change and the administrator's reason: never the token or its hash.
    record(actor=actor, action="update", object_type="partner_system",
           object_ids=[partner.pk], purpose="partner feed",
           detail={"change": change, "reason": reason, **detail})


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PartnerSystemRefused("name", "Enter a name for the partner system.")
    if len(name) > 120:
        raise PartnerSystemRefused("name", "The name must be 120 characters or fewer.")
    if PartnerSystem.objects.filter(name__iexact=name).exists():
        raise PartnerSystemRefused("name", _name_taken(name))
    return name


def _name_taken(name: str) -> str:
    return f"A partner system called \u201c{name}\u201d already exists: choose another name."


def _clean_feed_types(feed_types, agency) -> list[str]:
    chosen = set(feed_types or ())
    if unknown := sorted(chosen - set(SCHEMAS)):
        raise PartnerSystemRefused("feed_types", f"{', '.join(unknown)}: not a feed type.")
    if not chosen:
        raise PartnerSystemRefused("feed_types", "Choose at least one feed type.")
    if refused := [feed for feed in SCHEMAS if feed in chosen - set(feeds_for_agency(agency))]:
        raise PartnerSystemRefused("feed_types", _not_for_agency(agency, refused))
    return [feed for feed in SCHEMAS if feed in chosen]  # one order, so changes compare


def _not_for_agency(agency, refused: list[str]) -> str:
    allowed = [FeedType(f).label for f in feeds_for_agency(agency)]
    may = ("it may send only " + ", ".join(allowed)) if allowed else "it may send no feed"
    return (f"{agency.name} ({agency.get_kind_display()}) may not send "
            f"{', '.join(FeedType(f).label for f in refused)}: {may}.")


def _clean_reason(reason: str, partner: PartnerSystem) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PartnerSystemRefused("reason", "Enter the reason for this change.")
    if len(reason) > REASON_MAX_LENGTH:
        raise PartnerSystemRefused(
            "reason", f"The reason must be {REASON_MAX_LENGTH} characters or fewer.")
    # The reason is kept in the audit log, which must never hold a working credential.
    if any(hash_token(word) == partner.token_hash for word in re.split(r"[^\w-]+", reason)):
        raise PartnerSystemRefused("reason", "Do not paste the token into the reason.")
    return reason


def act_on_matched(identity) -> None:
    """A record was given its person: run on its events what needed to know the child.

    Person rules (e.g. three missing episodes) can only see the child once matched. Registered
    with `linkage.resolution` from `FeedsConfig.ready()`: linkage sits below tasks and cases.
    """
    people = [{"date_of_birth": identity.date_of_birth}]
    for event in Event.objects.filter(involvements__identity=identity).distinct():
        name_child_on_tasks(event)
        apply_rules(event, {}, people)
        event_arrived(event)
