"""Disposal's second half: what names the child in records that are not only theirs.

Events, feed messages, other children's concerns and peer groups stay (they are other
people's records, and the partnership's places, hot spots and counts rest on them), so they
are rewritten, not deleted: the child's names and identifiers become "[removed]", and the
free text of an event only the child was known to be in is cleared. Work kept for others
once the child is detached from it (`casework`) loses the child's names too (`detached`).
`gather` reads what identifies the child before their rows are deleted; `scrub` runs inside
the same disposal transaction and returns the ids of every row it changed, by kind (ids
only, never values).
"""

import dataclasses
import functools
import json
import re

from django.db import models
from django.db.models import Q

from saferoptions.cases.models import Concern
from saferoptions.contexts.models import (
    ContextAssessment,
    ContextCase,
    ContextIntervention,
    ContextReview,
    Group,
    GroupMembership,
)
from saferoptions.core import clock
from saferoptions.events.models import Event, EventObject, Involvement
from saferoptions.feeds import flat
from saferoptions.feeds.models import InboxMessage, MessageCorrection, MessageStatus
from saferoptions.people.models import Identity, Person

REMOVED = "[removed]"
# Shorter words ("Al", an initial) would strike ordinary words all through other people's text.
MIN_WORD = 2
# The identity fields a feed message keys a person by, nested (JSON) or flat (a CSV row).
SOURCE_KEYS = frozenset({"source_id", "person_source_id"})
# Read by name so a model that renames its manager cannot break disposal.
EVENTS = Event.objects
CHUNK = 200

# Free text about the child's peer groups, by the query that finds it from the group ids.
GROUP_TEXT = [
    (Group, "pk__in", ("name", "description")),
    (ContextCase, "group__in", ("referral_reason", "closure_note")),
    (ContextAssessment, "case__group__in", ("summary", "answers")),
    (ContextReview, "case__group__in", ("summary",)),
    (ContextIntervention, "case__group__in", ("description",)),
]


@dataclasses.dataclass
class Traces:
    """What identifies the disposed child, read before their own rows are deleted."""

    words: list[str]
    sources: dict[int, set[str]]  # agency id -> the child's source ids in that agency
    events: set[int]
    shared_events: set[int]  # events where someone else is known to have been too
    groups: list[int]

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        """The child's names and identifiers as whole words, any case (never matches if none)."""
        if not self.words:
            return re.compile(r"(?!x)x")
        alternatives = "|".join(re.escape(w) for w in self.words)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def gather(person_ids: list[int], identity_ids: list[int]) -> Traces:
    """The child's names, source ids, events and groups, from every record of them."""
    identities = list(Identity.objects.filter(pk__in=identity_ids))
    names = [n for p in Person.objects.filter(pk__in=person_ids)
             for n in (p.given_name, p.family_name)]
    names += [n for i in identities for n in (i.given_name, i.family_name)]
    identifiers = [v for i in identities
                   for v in (i.source_id, i.nhs_number, i.phone, i.address, i.postcode)]
    sources: dict[int, set[str]] = {}
    for identity in identities:
        sources.setdefault(identity.agency_id, set()).add(identity.source_id.strip())
    theirs = Q(person__in=person_ids) | Q(identity__in=identity_ids)
    events = set(Involvement.objects.filter(theirs).values_list("event_id", flat=True))
    others = (Involvement.objects.filter(event__in=events).exclude(theirs)
              .filter(Q(person__isnull=False) | Q(identity__isnull=False)))
    groups = GroupMembership.objects.filter(person__in=person_ids).values_list("group_id",
                                                                                flat=True)
    return Traces(words=_words(names, identifiers), sources=sources, events=events,
                  shared_events=set(others.values_list("event_id", flat=True)),
                  groups=sorted(set(groups)))


def _words(names, identifiers) -> list[str]:
    """Each name whole and in its parts ("Mary-Jane" -> also "Mary", "Jane"), longest first."""
    found = {}
    for name in names:
        for word in [name, *re.split(r"[\s\-]+", name or "")]:
            found.setdefault(word.strip().casefold(), word.strip())
    for value in identifiers:
        found.setdefault((value or "").strip().casefold(), (value or "").strip())
    return sorted((w for w in found.values() if len(w) >= MIN_WORD), key=len, reverse=True)


def scrub(traces: Traces, *, tombstone: int) -> dict[str, list[int]]:
    """Rewrite every record that names the child but is not theirs alone; ids changed, by kind."""
    changed = _events(traces)
    changed["concerns_names_removed"] = _concerns(traces)
    changed["group_records_names_removed"] = [
        pk for model, lookup, fields in GROUP_TEXT
        for pk in _scrub_rows(model.objects.filter(**{lookup: traces.groups}), fields,
                              traces.pattern)]
    changed.update(_messages(traces, tombstone))
    return changed


# --- events ---------------------------------------------------------------------------------

def _events(traces: Traces) -> dict[str, list[int]]:
    """Shared events lose the child's names; events only the child was in lose their text."""
    pattern = traces.pattern
    named = set(_scrub_rows(EVENTS.filter(pk__in=traces.shared_events),
                            ("summary", "location_description"), pattern))
    objects = _scrub_rows(EventObject.objects.filter(event__in=traces.shared_events),
                          ("description",), pattern)
    named |= set(EventObject.objects.filter(pk__in=objects).values_list("event_id", flat=True))
    blanked, kept = [], []
    for event in EVENTS.filter(pk__in=traces.events - traces.shared_events).order_by("pk"):
        if _blank(event, pattern):
            blanked.append(event.pk)
        if event.place_id is None and event.location_description:
            kept.append(event.pk)
    return {"events_text_blanked": blanked, "events_names_removed": sorted(named),
            "events_location_kept_unplaced": kept}


def _blank(event: Event, pattern: re.Pattern) -> bool:
    """Clear an event's free text; an unplaced event keeps its location, without names.

    Hospitals record where an assault happened only as text, resolved to a known place later
    (`contexts.analysis.location_matches`): clearing it would drop the event from hot spots.
    """
    where = "" if event.place_id else _fit(pattern.sub(REMOVED, event.location_description),
                                           Event, "location_description")
    objects = EventObject.objects.filter(event=event).exclude(description="")
    if (event.summary, event.location_description) == ("", where) and not objects.exists():
        return False
    objects.update(description="")
    event.summary, event.location_description = "", where
    EVENTS.filter(pk=event.pk).update(summary="", location_description=where)
    return True


def _concerns(traces: Traces) -> list[int]:
    """Other children's concerns raised from the child's events (the child's own are gone)."""
    changed = _scrub_rows(
        Concern.objects.filter(event__in=traces.events),
        ("reason", "outcome_reasons", "subject_given_name", "subject_family_name"),
        traces.pattern)
    _forget_subject(changed)
    return changed


def _forget_subject(concern_ids: list[int]) -> None:
    """A referral naming the child as its subject: the date of birth would still point at them."""
    Concern.objects.filter(pk__in=concern_ids).filter(
        Q(subject_given_name__contains=REMOVED) | Q(subject_family_name__contains=REMOVED)
    ).update(subject_date_of_birth=None)


def detached(traces: Traces, model, ids: list[int]) -> list[int]:
    """Rows kept for other people once the child is detached from them (a task about a place,
    a concern about a group): the child's names leave all their free text; the ids changed."""
    changed = _scrub_rows(model._base_manager.filter(pk__in=ids), free_text(model),
                          traces.pattern)
    if model is Concern:
        _forget_subject(changed)
    return changed


def free_text(model) -> tuple[str, ...]:
    """The model's text and JSON columns that people write in: not choices, not unique keys
    (a rule's dedupe key or a clock's key is a reference, and rewriting it would break it)."""
    kinds = (models.CharField, models.TextField, models.JSONField)
    keys = {name for constraint in model._meta.constraints
            for name in getattr(constraint, "fields", ())}
    return tuple(f.attname for f in model._meta.concrete_fields
                 if isinstance(f, kinds) and not f.choices and not f.unique
                 and f.name not in keys)


# --- feed messages --------------------------------------------------------------------------

def _messages(traces: Traces, tombstone: int) -> dict[str, list[int]]:
    """Redact raw messages carrying one of the child's identities (or naming them in an event
    of theirs). Status stays, so each batch's ledger still adds up; a message still waiting
    is quarantined instead of processed, or it would record the child again."""
    waiting = Q(agency_id__in=list(traces.sources)) & ~Q(status=MessageStatus.ACCEPTED)
    ids = list(InboxMessage.objects.filter(Q(event_id__in=traces.events) | waiting)
               .order_by("pk").values_list("pk", flat=True))
    redacted, quarantined = [], []
    for start in range(0, len(ids), CHUNK):
        rows = InboxMessage.objects.select_for_update().filter(pk__in=ids[start:start + CHUNK])
        for message in rows.order_by("pk"):
            if not _carries_child(message, traces):
                continue
            if message.status == MessageStatus.RECEIVED:
                quarantined.append(message.pk)
            _redact(message, traces.pattern, tombstone)
            redacted.append(message.pk)
    return {"feed_messages_redacted": redacted, "feed_messages_quarantined": quarantined}


def _carries_child(message: InboxMessage, traces: Traces) -> bool:
    """The sending agency's record of the child (agency + source id, as the mapping keys it),
    or, in a message about one of the child's events, their name or identifier anywhere."""
    mine = traces.sources.get(message.agency_id, set())
    fields = _fields(message)
    if fields is None:  # unreadable bytes: look for the source id as a whole word
        text = bytes(message.raw).decode("utf-8", errors="replace")
        if any(re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text) for s in mine if s):
            return True
        return message.event_id in traces.events and bool(traces.pattern.search(text))
    if any(key in SOURCE_KEYS and value.strip() in mine for key, value in fields):
        return True
    pattern = traces.pattern
    return message.event_id in traces.events and any(pattern.search(v) for _, v in fields)


def _fields(message: InboxMessage) -> list[tuple[str, str]] | None:
    """Every (field name, value) in the stored message, or None if it cannot be read."""
    raw = bytes(message.raw)
    if message.content_type == "csv":
        row, _ = flat.decode_row(raw)  # cells that are not UTF-8 are kept, escaped
        return list(row.items()) or None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return list(_leaves(data, ""))


def _leaves(value, key: str):
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _leaves(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    elif value is not None:
        yield key, str(value)


def _redact(message: InboxMessage, pattern: re.Pattern, tombstone: int) -> None:
    """Keep the row, its status and its original body hash (a redelivery of the same message
    is still recognised as a duplicate, so it cannot bring the child back)."""
    note = {"redacted": "retention disposal", "tombstone": tombstone}
    reason = {"row": message.row_number, "field": "message",
              "reason": f"redacted at retention disposal (tombstone {tombstone}); "
                        "nothing is left to correct or process"}
    errors = _scrub_value(message.errors or [], pattern)
    if message.status != MessageStatus.ACCEPTED:  # say why in the quarantine queue
        errors = [*errors, reason]
    changes = {"raw": json.dumps(note).encode(), "content_type": "json", "errors": errors}
    if message.status == MessageStatus.RECEIVED:
        changes.update(status=MessageStatus.QUARANTINED, processed_at=clock.now())
    if pattern.search(message.idempotency_key):
        changes["idempotency_key"] = f"disposed-{message.pk}"
    InboxMessage.objects.filter(pk=message.pk).update(**changes)
    # The message as the partner first sent it, kept at correction, goes the same way.
    MessageCorrection.objects.filter(message_id=message.pk).update(
        raw_before=json.dumps(note).encode(), errors_before=[reason])


# --- plain text and JSON --------------------------------------------------------------------

def _scrub_rows(queryset, fields: tuple[str, ...], pattern: re.Pattern) -> list[int]:
    """Replace the child's names in these text or JSON fields; the ids of the rows changed."""
    model, changed = queryset.model, []
    for row in queryset.order_by("pk").values("pk", *fields):
        new = {f: _fit(_scrub_value(row[f], pattern), model, f) for f in fields}
        new = {f: value for f, value in new.items() if value != row[f]}
        if new:
            model._base_manager.filter(pk=row["pk"]).update(**new)
            changed.append(row["pk"])
    return changed


def _scrub_value(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(REMOVED, value)
    if isinstance(value, list):
        return [_scrub_value(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_value(item, pattern) for key, item in value.items()}
    return value


def _fit(value, model, name: str):
    """'[removed]' is longer than a short name: keep the text within the column's length."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    return value[:limit] if isinstance(value, str) and limit else value
