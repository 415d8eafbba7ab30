"""The subject access export: everything held about a person, with third parties redacted.

Other people's names and identifiers never appear: each is replaced by "[third party]",
including where their names occur in free text such as an event summary.
"""

import re

from saferoptions.core import clock

THIRD_PARTY = "[third party]"
FORMAT = "saferoptions-subject-access/1"
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "phone",
    "nhs_number",
    "source_id",
    "recorded_at",
)


def export(records: dict) -> dict:
    """The export as plain JSON-ready data (from `selectors.subject_access_records`)."""
    own = {p.pk for p in records["people"]}
    redact = _redactor(records, own)
    person = records["person"]
    return {
        "format": FORMAT,
        "generated_at": clock.now().isoformat(),
        "person": {
            "reference": str(person.public_id),
            "kind": person.kind,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": _iso(person.date_of_birth),
            "sex": person.sex,
            "first_recorded_at": _iso(person.created_at),
        },
        "identities": [_identity(i) for i in records["identities"]],
        "events": [_event(e, own, redact) for e in records["events"]],
        "relationships": [_relationship(r) for r in records["relationships"]],
    }


def _iso(value):
    return value.isoformat() if value else None


def _identity(identity) -> dict:
    row = {name: getattr(identity, name) for name in IDENTITY_FIELDS}
    row.update(date_of_birth=_iso(identity.date_of_birth), recorded_at=_iso(identity.recorded_at))
    row["agency"] = identity.agency.name
    row["school"] = identity.school.name if identity.school_id else None
    return row


def _event(event, own: set, redact) -> dict:
    mine = [i for i in event.involvements.all() if i.person_id in own]
    return {
        "type": event.get_event_type_display(),
        "category": event.get_category_display(),
        "occurred_at": _iso(event.occurred_at),
        "ended_at": _iso(event.ended_at),
        "reported_at": _iso(event.reported_at),
        "reported_by": event.reporting_agency.name,
        "location": redact(event.location_description),
        "summary": redact(event.summary),
        "your_part": sorted({i.get_role_display() for i in mine}),
        "others": [
            {"part": i.get_role_display(), "person": THIRD_PARTY}
            for i in event.involvements.all()
            if i.person_id not in own
        ],
    }


def _relationship(relationship) -> dict:
    return {
        "kind": relationship.get_kind_display(),
        "detail": relationship.detail,
        "recorded_by": relationship.source.name,
        "start_date": _iso(relationship.start_date),
        "end_date": _iso(relationship.end_date),
        "other": THIRD_PARTY,
    }


def _third_party_words(records: dict, own: set) -> set[str]:
    """Names and identifiers of everyone else the export touches."""
    words = set()
    for event in records["events"]:
        for involvement in event.involvements.all():
            if involvement.person_id in own:
                continue
            for holder in (involvement.person, involvement.identity):
                if holder is not None:
                    words.update(_names_of(holder))
    for relationship in records["relationships"]:
        for side in ("person", "other", "identity", "other_identity"):
            holder = getattr(relationship, side, None)
            if holder is not None and getattr(holder, "person_id", holder.pk) not in own:
                words.update(_names_of(holder))
    return {w for w in words if len(w) >= 2}


def _names_of(holder) -> list[str]:
    fields = ("given_name", "family_name", "source_id", "nhs_number", "phone", "postcode")
    return [str(getattr(holder, f, "") or "").strip() for f in fields]


def _redactor(records: dict, own: set):
    """A function replacing every third party's name or identifier in free text."""
    words = sorted(_third_party_words(records, own), key=len, reverse=True)
    if not words:
        return lambda text: text
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    return lambda text: pattern.sub(THIRD_PARTY, text or "")
