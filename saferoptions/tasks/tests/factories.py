"""Factories for tasks tests: send a feed message through the real pipeline, make users."""

import json

from saferoptions.feeds import services
from saferoptions.feeds.models import PartnerSystem
from saferoptions.feeds.tests.factories import UserFactory, message, partner  # noqa: F401

_partners: dict = {}

AGENCY_OF = {"ed_assault": "hospital-ed", "police_incident": "police", "stop_search": "police",
             "missing_episode": "police", "school_incident": "education",
             "community_concern": "community", "housing_report": "housing",
             "licensing_report": "licensing"}


def send(feed: str, **overrides):
    """Deliver one valid message (with overrides) as its agency's system; returns the message."""
    agency = AGENCY_OF[feed]
    system = PartnerSystem.objects.filter(agency__slug=agency).first()
    if system is None:
        # Only the feeds its agency's kind may send (FEEDS_BY_AGENCY_KIND): others are refused.
        system, _ = partner(agency=agency,
                            feeds=tuple(f for f, sender in AGENCY_OF.items() if sender == agency))
    body = message(feed, **overrides)
    receipt = services.receive_json(partner=system, feed_type=feed,
                                    key=body["idempotency_key"], raw=json.dumps(body).encode())
    receipt.message.refresh_from_db()
    return receipt.message
