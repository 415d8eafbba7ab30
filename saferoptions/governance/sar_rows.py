"""One row of a person's casework as it goes into the subject access export.

Every stored field is exported, in words: a choice as its label, a date as ISO 8601, a key to
the person as "you" and to anyone else as "[third party]", a practitioner by name, a place,
group, team or agency by its name, and any other record by its kind and number. Free text
(text boxes and stored JSON such as answers and earlier versions) is redacted of third
parties' names and flagged for the DPO to read before release.
"""

import datetime as dt
import json
import uuid

from django.conf import settings
from django.db import models

THIRD_PARTY = "[third party]"
# Never personal data of the subject: machinery for de-duplication and the audit chain.
SKIPPED = {"dedupe_key", "previous_hash", "entry_hash", "request_id"}
# Who raised a concern or gave intelligence is protected (the golden rules): never released.
PROTECTED = {"cases.Concern.raised_by", "intelligence.IntelligenceReport.submitted_by",
             "intelligence.IntelligenceReport.reporter_contact",
             "intelligence.EncodedMatch.reported_by"}
# Plain text boxes short enough to be a label (a reference, a status), not free text.
FREE_TEXT_FROM = 200


def label(field) -> str:
    """A field's name in words, for the review page and the CSV headers."""
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def free_text(text: str) -> dict:
    """Free text as exported: redacted already, and flagged for the DPO to read if not empty."""
    return {"free_text": text or "", "check_before_release": bool(text)}


def iso(value):
    return value.isoformat() if value else None


def export_row(obj, *, own: set[int], redact) -> dict:
    """The row's stored fields in words, `record` first (its number in its own table)."""
    row = {"record": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in SKIPPED:
            continue
        if f"{obj._meta.label}.{field.name}" in PROTECTED:
            row[field.name] = THIRD_PARTY if getattr(obj, field.attname) else None
            continue
        row[field.name] = _value(obj, field, own=own, redact=redact)
    return row


def _value(obj, field, *, own, redact):
    if field.is_relation:
        return _related(obj, field, own=own, redact=redact)
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, models.JSONField):
        empty = value in (None, "", [], {})
        return free_text("" if empty else redact(json.dumps(value, ensure_ascii=False)))
    if isinstance(field, models.TextField) or (
            isinstance(field, models.CharField) and (field.max_length or 0) >= FREE_TEXT_FROM):
        return free_text(redact(value))
    if isinstance(field, models.CharField):
        return redact(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return iso(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _related(obj, field, *, own, redact):
    target_id = getattr(obj, field.attname)
    if target_id is None:
        return None
    label_ = field.related_model._meta.label
    if label_ == "people.Person":
        return "you" if target_id in own else THIRD_PARTY
    target = getattr(obj, field.name)
    if label_ == "people.Identity":
        return "your record" if target.person_id in own else THIRD_PARTY
    if label_ == settings.AUTH_USER_MODEL:
        return _practitioner(target)
    return redact(_named(target))


def _practitioner(user) -> str:
    """A practitioner as they acted: by name, with their agency."""
    agency = getattr(user, "agency", None)
    name = user.get_full_name() or user.username
    return f"{name} ({agency.name})" if agency is not None else name


NAMED = {
    "meetings.LocalityMeeting": lambda m: f"{m.locality.name} meeting, {m.held_on:%d %B %Y}",
    "intelligence.IntelligenceReport": lambda r: f"intelligence report {r.reference}",
    "events.Event": lambda e: f"{e.get_event_type_display()} on {e.occurred_at:%d %B %Y}",
}


def _named(target) -> str:
    """A record this one refers to: its name where it has one, else its kind and number."""
    named = NAMED.get(target._meta.label)
    if named is not None:
        return named(target)
    name = getattr(target, "name", None)
    if isinstance(name, str) and name:
        return name
    return f"{target._meta.verbose_name} {target.pk}"
