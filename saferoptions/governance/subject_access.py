"""The subject access export: everything held about a person, with third parties redacted.

Other people's names and identifiers never appear: each is replaced by "[third party]",
including where their names, or any alias an agency holds for them, occur in free text such
as an event summary or a relationship's detail. Free text can still name someone no record
knows (a nickname, "her uncle"), so each free-text field is flagged for the data protection
officer to read before the export is released, and listed in `free_text_for_review`.
"""

import re

from saferoptions.core import clock

from .sar_rows import THIRD_PARTY, export_row, free_text, iso
from .sar_sections import SECTIONS

FORMAT = "saferoptions-subject-access/3"
WITHHELD_INTELLIGENCE = (
    "The report is held under its handling code and the access policy does not let the data "
    "protection officer read it: ask the grading agency for it before deciding what to release.")
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
    redact = _redactor(records)
    person = records["person"]
    body = {
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
        "relationships": [_relationship(r, redact) for r in records["relationships"]],
    }
    for section in SECTIONS:
        body[section.key] = _section(records["casework"][section.key], own, redact, records)
    body["access_log"] = [_access(entry) for entry in records["access_log"]]
    body["free_text_for_review"] = list(_flagged(body))
    return body


_iso = iso
_free_text = free_text


def _section(found, own: set, redact, records) -> list[dict]:
    """One section's rows, each with its parts and earlier versions."""
    section, rows = found.section, []
    for obj in found.rows:
        row = export_row(obj, own=own, redact=redact)
        for part in section.parts:
            row[part.key] = [_with_versions(export_row(p, own=own, redact=redact), p,
                                            part.revisions, found, own, redact)
                             for p in found.parts[part.key].get(obj.pk, [])]
        _with_versions(row, obj, section.revisions, found, own, redact)
        if section.key == "intelligence":
            row["report"] = _report(records["intelligence_reports"].get(obj.report_id), own,
                                    redact)
        rows.append(row)
    return rows


def _with_versions(row: dict, obj, object_type: str, found, own, redact) -> dict:
    if object_type:
        row["earlier_versions"] = [
            _version(v, own, redact) for v in found.revisions.get((object_type, obj.pk), [])]
    return row


def _version(revision, own, redact) -> dict:
    row = export_row(revision, own=own, redact=redact)
    row.pop("object_type")
    row.pop("object_id")
    return row


def _report(report, own, redact) -> dict:
    if report is None:
        return {"withheld": WITHHELD_INTELLIGENCE}
    return export_row(report, own=own, redact=redact)


def _access(entry) -> dict:
    """Who read or changed the record, when, why and with what outcome."""
    actor = entry.actor
    who = (actor.get_full_name() or actor.username) if actor else "the system"
    if actor is not None and actor.agency_id:
        who = f"{who} ({actor.agency.name})"
    return {"at": iso(entry.at), "who": who, "action": entry.action_label,
            "purpose": entry.purpose_label, "outcome": entry.outcome}


def _identity(identity) -> dict:
    row = {name: getattr(identity, name) for name in IDENTITY_FIELDS}
    row.update(date_of_birth=_iso(identity.date_of_birth), recorded_at=_iso(identity.recorded_at))
    # Their ethnicity as each agency recorded it (or "not recorded"), in words and code.
    row.update(ethnicity=identity.ethnicity, ethnicity_described=identity.get_ethnicity_display(),
               ethnicity_recorded_at=_iso(identity.ethnicity_recorded_at))
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
        "location": _free_text(redact(event.location_description)),
        "summary": _free_text(redact(event.summary)),
        "your_part": sorted({i.get_role_display() for i in mine}),
        "others": [
            {"part": i.get_role_display(), "person": THIRD_PARTY}
            for i in event.involvements.all()
            if i.person_id not in own
        ],
    }


def _relationship(relationship, redact) -> dict:
    return {
        "kind": relationship.get_kind_display(),
        "detail": _free_text(redact(relationship.detail)),
        "recorded_by": relationship.source.name,
        "start_date": _iso(relationship.start_date),
        "end_date": _iso(relationship.end_date),
        "other": THIRD_PARTY,
    }


def _flagged(node, pointer: str = ""):
    """JSON pointers (RFC 6901) to every flagged free-text field of the export."""
    if isinstance(node, dict):
        if node.get("check_before_release"):
            yield pointer
        for key, value in node.items():
            yield from _flagged(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _flagged(value, f"{pointer}/{index}")


def _third_party_words(records: dict) -> set[str]:
    """Names, aliases and identifiers of everyone else the export touches."""
    words = set()
    for holder in records["third_party_people"] + records["third_party_identities"]:
        words.update(_names_of(holder))
    return {w for w in words if len(w) >= 2}


def _names_of(holder) -> list[str]:
    fields = ("given_name", "family_name", "source_id", "nhs_number", "phone", "postcode",
              "address")
    return [str(getattr(holder, f, "") or "").strip() for f in fields]


def _redactor(records: dict):
    """A function replacing every third party's name or identifier in free text."""
    words = sorted(_third_party_words(records), key=len, reverse=True)
    if not words:
        return lambda text: text
    # Whole words only, but a phone number or address may start or end with a non-letter.
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)
    return lambda text: pattern.sub(THIRD_PARTY, text or "")
