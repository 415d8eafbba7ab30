"""Feeds tests' helpers: partner credentials, valid messages, posting them (users and people
come from their own apps' factories)."""

import datetime as dt
import itertools
import json

from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.feeds import services
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory

_keys = itertools.count(1)
NHS_VALID = "9434765919"  # passes the modulus 11 check
NHS_VALID_2 = "4010232137"


def partner(agency="hospital-ed", feeds=("ed_assault",), name=None):
    """A partner system and its token."""
    found = Agency.objects.get(slug=agency)
    return services.create_partner_system(
        actor=None, name=name or f"{agency}-system-{next(_keys)}", agency=found,
        feed_types=list(feeds))


def quarantine_reader(provider: str = "hospital-ed", categories=("identity", "health"),
                      team: str = "hub"):
    """A Hub practitioner whose agency may read `provider`'s raw messages for data quality."""
    hub = UserFactory(hub=True, team=Team.objects.get(slug=team))
    AgreementFactory(provider=Agency.objects.get(slug=provider), recipient=hub.agency,
                     categories=list(categories), purposes=["data_quality"])
    return hub


def ago(**kwargs) -> str:
    return (clock.now() - dt.timedelta(**kwargs)).isoformat()


def young_person(source_id=None, **extra) -> dict:
    return {"source_id": source_id or f"P{next(_keys)}", "given_name": "Sam",
            "family_name": "Taylor", "date_of_birth": "2010-03-04", "sex": "M", **extra}


def message(feed: str, **overrides) -> dict:
    """A valid message of the feed; overrides replace top-level fields."""
    n = next(_keys)
    base = {"idempotency_key": f"key-{n}", "source_reference": f"REF-{n}",
            "occurred_at": ago(hours=2)}
    base.update(EXTRA[feed]())
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


EXTRA = {
    "ed_assault": lambda: {"arrival_at": ago(hours=1), "assault_method": "knife_sharp",
                           "location_type": "street", "patient_age": 16,
                           "rapid_response_referral": True, "referral": young_person()},
    "police_incident": lambda: {"category": "violence", "people": [
        {**young_person(), "role": "victim"}], "objects": [{"kind": "knife"}]},
    "stop_search": lambda: {"grounds": "drugs", "person": young_person()},
    "missing_episode": lambda: {"person": young_person()},
    "school_incident": lambda: {"pupil": young_person(), "school_urn": "100001",
                                "incident_kind": "weapon"},
    "housing_report": lambda: {"category": "premises"},
    "licensing_report": lambda: {"category": "premises"},
    "community_concern": lambda: {"category": "antisocial", "place": {
        "name": "Castle Park benches", "place_type": "park", "latitude": 51.456,
        "longitude": -2.588}},
}


def post(client, token, feed, body, *, raw: bytes | None = None):
    """POST a message to the feeds API as a partner system."""
    data = raw if raw is not None else json.dumps(body).encode()
    return client.post(f"/api/feeds/{feed}/messages/", data=data,
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
