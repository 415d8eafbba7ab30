"""The processing job: stored messages become events and tasks, exactly once.

A job names one message but takes up to `FEEDS_PROCESS_BATCH` waiting messages in one
transaction (others' rows are skipped, not waited for), so a busy feed pays for one commit
and one audit row per batch instead of per message. Each message runs in its own savepoint:
one that breaks the handler is rolled back alone and, after `FEEDS_MAX_ATTEMPTS`, quarantined.
The jobs for messages a batch already took find them processed and do nothing.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django_q.tasks import async_task

from saferoptions.audit.services import record
from saferoptions.cases.hooks import event_arrived
from saferoptions.core import clock
from saferoptions.tasks.services import apply_rules

from .checking import check, quarantine
from .mapping import record_event
from .models import InboxMessage, MessageStatus
from .provider_reports import ReportDraft, ReportRefused

logger = logging.getLogger(__name__)


def process_batch(message_id: int) -> str:
    """Process this message (and others waiting) exactly once; returns this message's status."""
    done, failed, notify = [], [], False
    with transaction.atomic():
        for message in _claim(message_id):
            try:
                with transaction.atomic():
                    draft, errors = check(message)
                    if errors:
                        quarantine(message, errors)
                        continue
                    event, tasks = _accept(message, draft)
            except ReportRefused as refused:  # the rules said no under lock: a reason, kept
                quarantine(message, [{"row": message.row_number, **e} for e in refused.errors])
                continue
            except Exception:  # one broken message must not hold up the rest of the feed
                logger.exception("feed message %s could not be processed", message.pk)
                failed.append(message)
                continue
            done.append((message.pk, event.pk if event else None, [t.pk for t in tasks]))
            notify = notify or any(t.notified for t in tasks)
        _mark_accepted(done)
        if events := [(m, e, ts) for m, e, ts in done if e is not None]:
            record(actor=None, action="create", object_type="event",
                   object_ids=[e for _, e, _ in events], purpose="partner feed",
                   detail={"messages": [m for m, _, _ in events],
                           "tasks": [t for _, _, ts in events for t in ts]})
    _count_failures(failed)
    if notify:
        async_task("saferoptions.tasks.tasks.send_notification_emails")
    return InboxMessage.objects.values_list("status", flat=True).get(pk=message_id)


def _claim(message_id: int) -> list[InboxMessage]:
    """This message (waiting for a worker that holds it) and others no worker holds."""
    rows = InboxMessage.objects.select_related("agency").filter(status=MessageStatus.RECEIVED)
    own = list(rows.select_for_update(of=("self",)).filter(pk=message_id))
    more = settings.FEEDS_PROCESS_BATCH - len(own)
    others = list(rows.exclude(pk=message_id).order_by("pk")
                  .select_for_update(of=("self",), skip_locked=True)[:more])
    return own + others


def _accept(message: InboxMessage, draft):
    if isinstance(draft, ReportDraft):  # a provider's report: interventions records it
        draft.apply(message)
        return None, []
    event = record_event(message.agency, draft)
    kinds = [o["kind"] for o in draft.objects] if event.is_new else None
    tasks = apply_rules(event, draft.facts, draft.people, object_kinds=kinds)
    event_arrived(event)  # the pathway's clocks and accumulating concern
    return event, tasks


def _mark_accepted(done: list) -> None:
    """One statement for the whole batch: each message accepted, with its event."""
    now = clock.now()
    if len(done) == 1:  # the usual case as messages arrive one by one: no CASE to build
        message_id, event_id, _ = done[0]
        InboxMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.ACCEPTED, event_id=event_id, processed_at=now,
            attempts=F("attempts") + 1)
        return
    InboxMessage.objects.bulk_update(
        [InboxMessage(pk=m, status=MessageStatus.ACCEPTED, event_id=e, processed_at=now,
                      attempts=F("attempts") + 1) for m, e, _ in done],
        ["status", "event", "processed_at", "attempts"])


def _count_failures(failed: list[InboxMessage]) -> None:
    """Count a failed attempt; after too many, quarantine the message so a person sees it."""
    for message in failed:
        InboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        if message.attempts + 1 >= settings.FEEDS_MAX_ATTEMPTS:
            quarantine(message, [{"row": message.row_number, "field": "message",
                                  "reason": "could not be processed; the service desk has "
                                  "been told (see the logs for this message id)"}])
