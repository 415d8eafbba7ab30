"""Live figures: an event a partner posts to the feeds API counts in the app's figure on the
next request (through the real path: API, inbox, processing, the event, the dashboard read)."""

import csv
import io

import pytest

from saferoptions.analytics.suppression import round_count
from saferoptions.core.models import Role
from saferoptions.events.models import Event
from tests.contexts.factories import PlaceFactory
from tests.feeds.factories import message, partner, post

pytestmark = pytest.mark.django_db


def _knife_total(client, params) -> int:
    """The knife figure's grand total as its CSV says it (the "Total" row; notes follow)."""
    text = client.get("/dashboard/violence-reduction/knife.csv", params).content.decode()
    total = next(row for row in csv.reader(io.StringIO(text)) if row and row[0] == "Total")
    return int(total[-1])


def test_a_knife_incident_posted_by_a_partner_counts_on_the_next_request(client, city):
    client.force_login(city.users[Role.ANALYST])
    ward = city.here.wards.order_by("pk").first()
    place = PlaceFactory(ward=ward, name="Hartcliffe Way shops")
    params = {"period": "4w", "locality": city.here.slug}
    page = client.get("/dashboard/violence-reduction/", params).context["figures"]
    before = sum(page[0].figure.counts[0])
    assert before >= 5, "the figure's total must be shown, not suppressed, for the CSV check"
    csv_before = _knife_total(client, params)
    _, token = partner(agency="police", feeds=("police_incident",))
    body = message("police_incident", category="knife", people=[],
                   place={"name": "hartcliffe way shops"})  # matched whatever the case
    assert post(client, token, "police_incident", body).status_code == 202
    event = Event.objects.get(source_reference=body["source_reference"])
    assert event.place_id == place.pk
    client.force_login(city.users[Role.ANALYST])
    page = client.get("/dashboard/violence-reduction/", params).context["figures"]
    assert sum(page[0].figure.counts[0]) == before + 1
    # The analyst reads aggregates only: the CSV's total is the new exact total, rounded.
    assert csv_before == round_count(before)
    assert _knife_total(client, params) == round_count(before + 1)
