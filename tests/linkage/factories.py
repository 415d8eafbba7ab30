"""Identities with known truth, stored as agencies would hold them, for linkage tests."""

import datetime as dt

from saferoptions.core.models import Agency
from saferoptions.events.models import Event, Involvement
from saferoptions.linkage import normalise, synthetic
from saferoptions.people.models import Identity

TODAY = dt.date(2026, 1, 1)


def agency(slug: str) -> Agency:
    found, _ = Agency.objects.get_or_create(
        slug=slug, defaults={"name": f"Test {slug}", "kind": "police"})
    return found


def identity_from(record: dict) -> Identity:
    """Store a synthetic record as an identity (dates as the agency's system would hold them)."""
    return Identity.objects.create(
        agency=agency(record.get("source") or "police"), source_id=record["record_id"],
        given_name=record.get("first_name", ""), family_name=record.get("last_name", ""),
        date_of_birth=normalise.date_of_birth(record.get("dob"), today=TODAY),
        sex=(record.get("sex") or "U").upper(), address=record.get("address", ""),
        postcode=record.get("postcode", ""), phone=record.get("phone", ""),
        nhs_number=record.get("nhs_number", ""),
    )


def synthetic_identities(*, people: int, seed: int) -> dict[int, str]:
    """Identities for `people` synthetic people: identity id -> true person key."""
    return {identity_from(r).pk: r["true_person_key"]
            for r in synthetic.generate(people=people, seed=seed, today=TODAY)}


def involvement_of(identity: Identity) -> Involvement:
    event = Event.objects.create(
        event_type="police_incident", category="violence",
        occurred_at=dt.datetime(2026, 1, 1, 20, tzinfo=dt.UTC),
        reported_at=dt.datetime(2026, 1, 1, 21, tzinfo=dt.UTC),
        reporting_agency=identity.agency, source_reference=f"EV-{identity.pk}",
    )
    return Involvement.objects.create(event=event, identity=identity, role="victim")
