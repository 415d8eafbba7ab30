"""Reads for the feeds pages. Partner systems and ledgers carry no personal data; quarantined
rows do, so their readers are audited. (Unmatched records: `linkage.selectors`.)"""

import datetime as dt

from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, Value, When
from django.http import QueryDict

from saferoptions.access import policy
from saferoptions.access.categories import Purpose
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.queues import Paged, page_of, read_query
from saferoptions.people.models import Identity
from saferoptions.people.selectors import listed_person, shown_people
from saferoptions.tasks.models import Task

from .models import Batch, InboxMessage, MessageStatus, PartnerSystem
from .roles import OVERSEERS


def partner_status() -> list[dict]:
    """Per partner system: last message, messages in the last hour, quarantine waiting."""
    hour_ago = clock.now() - dt.timedelta(hours=1)
    rows = PartnerSystem.objects.select_related("agency").annotate(
        last_message=Max("messages__received_at"),
        last_hour=Count("messages", filter=Q(messages__received_at__gte=hour_ago)),
        quarantined=Count("messages", filter=Q(messages__status=MessageStatus.QUARANTINED)),
        waiting=Count("messages", filter=Q(messages__status=MessageStatus.RECEIVED)),
    )
    return [{"partner": p, "last_message": p.last_message, "last_hour": p.last_hour,
             "per_minute": round(p.last_hour / 60, 1), "quarantined": p.quarantined,
             "waiting": p.waiting} for p in rows]


def ledger(batch: Batch) -> dict:
    """received = accepted + quarantined + duplicates (+ any still being processed)."""
    counts = dict(batch.messages.values_list("status").annotate(n=Count("pk")))
    accepted = counts.get(MessageStatus.ACCEPTED, 0)
    quarantined = counts.get(MessageStatus.QUARANTINED, 0)
    processing = counts.get(MessageStatus.RECEIVED, 0)
    return {"received": batch.received, "accepted": accepted, "quarantined": quarantined,
            "duplicates": batch.duplicates, "processing": processing,
            "balanced": batch.received == accepted + quarantined + batch.duplicates}


def batches_for(user):
    """Batches the user may see: their own agency's, or all for those who oversee feeds.

    A file's name is the sender's own words, and a child's name is a common one
    ("Okafor missing.csv"), so `shown_filename` holds it for the file's own agency only; those
    who oversee every agency's feeds (the system administrator and the strategic lead among
    them, who see no records) know another agency's file by its number, feed and agency.
    """
    batches = Batch.objects.select_related("agency", "partner").annotate(shown_filename=Case(
        When(agency_id=user.agency_id, then=F("filename")), default=Value("")))
    return batches if user.role in OVERSEERS else batches.filter(agency=user.agency_id)


def _may_see(grants, message: InboxMessage) -> bool:
    """The agreement and category check on one raw message (see docs/access-policy.md)."""
    categories = policy.raw_message_categories(message.feed_type, message.raw_text)
    return policy.may_see_raw(grants, message.agency_id, categories)


def quarantined(*, user, params=None) -> tuple[Paged, int]:
    """A page of the quarantined messages the user may see, newest first, and how many
    others wait for their own agency.

    The list shows reasons only, but reasons can echo values, so the raw message's category
    check applies to the list as it does to the message.
    """
    grants = policy.source_grants(user, purpose=Purpose.DATA_QUALITY)
    with transaction.atomic():
        waiting = (InboxMessage.objects.filter(status=MessageStatus.QUARANTINED)
                   .select_related("agency", "partner", "batch").order_by("-received_at")[:500])
        messages = [m for m in waiting if _may_see(grants, m)]
        others = len(waiting) - len(messages)
        query = read_query(QueryDict() if params is None else params,
                           sorts=(("newest", "Newest first"),))
        shown = page_of(query, messages, what="quarantined messages")
        record(actor=user, action="list", object_type="feed_message",
               object_ids=[m.pk for m in shown.rows], purpose=Purpose.DATA_QUALITY,
               detail={"not_shown": others})
    return shown, others


def quarantined_message(*, user, pk: int) -> InboxMessage | None:
    """One quarantined message with its raw bytes, for correction; None: the common 404."""
    grants = policy.source_grants(user, purpose=Purpose.DATA_QUALITY)
    with transaction.atomic():
        message = InboxMessage.objects.filter(pk=pk, status=MessageStatus.QUARANTINED).first()
        if message is None or not _may_see(grants, message):
            record(actor=user, action="deny", object_type="feed_message", outcome="denied",
                   purpose=Purpose.DATA_QUALITY, detail={"reference": str(pk)})
            return None
        record(actor=user, action="view", object_type="feed_message",
               object_ids=[pk], purpose=Purpose.DATA_QUALITY)
    return message



def recorded_incident(*, user, message_id: int) -> dict | None:
    """An incident this user typed in (the signed address says so): what became of it.

    The event's reference and kind, and which team got which task by when: what the
    practitioner typed, and the rules' answer, no one else's record.
    """
    message = (InboxMessage.objects.select_related("event").defer("raw")
               .filter(pk=message_id, agency_id=user.agency_id, partner__isnull=True,
                       batch__isnull=True).first())
    if message is None:
        return None
    tasks = list(Task.objects.filter(event_id=message.event_id).select_related("team")
                 .order_by("due_at")) if message.event_id else []
    with transaction.atomic():
        record(actor=user, action="view", object_type="feed_message", object_ids=[message.pk],
               purpose="partner feed", detail={"tasks": [t.pk for t in tasks]})
    return {"message": message, "event": message.event, "tasks": tasks}


def child_to_record(*, user, public_id) -> dict:
    """The child a practitioner found and chose, as the form starts: the names and date of
    birth they may see (blank where the policy hides them, as on Find a child), and their
    agency's own number for the child (and school) where it has one, so the record joins
    that one."""
    person = listed_person(user=user, public_id=public_id)
    if person is None:
        return {}
    shown = shown_people(user=user, people=[person])[person.pk]
    own_id, school = (Identity.objects.filter(person=person, agency_id=user.agency_id)
                      .order_by("pk").values_list("source_id", "school_id").first()
                      or ("", None))
    with transaction.atomic():
        record(actor=user, action="view", object_type="person", object_ids=[person.pk],
               purpose="partner feed", detail={"page": "record an incident"})
    return {"given_name": shown.given_name, "family_name": shown.family_name,
            "date_of_birth": shown.date_of_birth, "child_id": own_id, "school": school}
