"""Identities with known truth, stored as agencies would hold them, for linkage tests."""

import datetime as dt

from saferoptions.core.models import Agency
from saferoptions.events.models import Involvement
from saferoptions.linkage import normalise, synthetic
from saferoptions.people.models import Identity
from tests.core.factories import AgencyFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory

TODAY = dt.date(2026, 1, 1)


def agency(slug: str) -> Agency:
    """The seeded agency of that slug, or a new police-like one."""
    return (Agency.objects.filter(slug=slug).first()
            or AgencyFactory(slug=slug, name=f"Test {slug}", kind="police"))


def identity_from(record: dict) -> Identity:
    """Store a synthetic record as an identity (dates as the agency's system would hold them)."""
    return IdentityFactory(
        person=None,
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
    """A police incident the identity was a victim in, not yet linked to a person."""
    event = EventFactory(reporting_agency=identity.agency, source_reference=f"EV-{identity.pk}")
    return InvolvementFactory(event=event, identity=identity, person=None, role="victim")
