"""The hot-spot page: aggregates only, small counts suppressed, method stated, bad filters."""

import datetime as dt

import h3
import pytest
from django.urls import reverse

from saferoptions.contexts.hotspot_page import _cell, _secondary
from saferoptions.contexts.svg import Projection
from saferoptions.core.models import Role, Ward
from saferoptions.events.models import Event
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .conftest import HIDDEN_FAMILY
from .factories import PlaceFactory

pytestmark = pytest.mark.django_db
FRIDAY_NIGHT = dt.datetime(2026, 7, 3, 22, 30, tzinfo=dt.UTC)


@pytest.fixture
def assaults(world):
    busy = PlaceFactory(name="Bearpit", latitude=51.4590, longitude=-2.5890)
    quiet = PlaceFactory(name="Hengrove park", latitude=51.4120, longitude=-2.5760)
    for i in range(30):
        event = EventFactory(event_type="ed_assault", place=busy, reporting_agency=world.hospital,
                             occurred_at=FRIDAY_NIGHT + dt.timedelta(days=7 * (i % 10)))
        InvolvementFactory(event=event, person=world.hidden if i == 0 else None)
    for i in range(2):
        EventFactory(event_type="police_incident", place=quiet,
                     occurred_at=FRIDAY_NIGHT + dt.timedelta(days=1 + i, hours=-12))
    return busy, quiet


def test_the_page_shows_hot_spots_with_no_identifiers_and_hides_small_counts(client, world,
                                                                           assaults):
    client.force_login(world.users[Role.ANALYST])
    page = client.get(reverse("contexts:hotspots"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Getis-Ord Gi*" in body and "H3 resolution 9" in body and "alpha" in body.lower()
    assert "Hot spot</strong>" in body and "Bearpit" in body and "<svg" in body
    assert HIDDEN_FAMILY not in body and "Ashanti" not in body
    assert "<td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td>" not in body
    assert "fewer than 5" in body  # the quiet park's two incidents
    assert "tile" not in body.lower() or "no map tiles are loaded" in body


def test_filters_by_day_and_hour(client, world, assaults):
    # A Hub practitioner of the hospital and the force, shared each other's incidents, reads
    # them exactly (policy.exact_counts); a reader of aggregates reads them rounded.
    hub = UserFactory(role=Role.HUB_PRACTITIONER, agency=world.hospital)
    for provider in {e.reporting_agency for e in Event.objects.all()} - {world.hospital}:
        AgreementFactory(provider=provider, recipient=world.hospital,
                         categories=["police_incidents"], purposes=["direct_work"])
    client.force_login(hub)
    weekday = client.get(reverse("contexts:hotspots"), {"weekdays": ["1"]})
    assert b"Events in this view: 0" in weekday.content or b"there are no events" in \
        weekday.content
    night = client.get(reverse("contexts:hotspots"), {"hour_from": 20, "hour_to": 3})
    # The 30 late-night assaults and the world's two 20:00 incidents; not the morning ones.
    assert b"Events in this view: 32" in night.content


def test_the_hexagon_table_is_paged_and_keeps_the_filters(client, world):
    # 60 places a hexagon apart or more, one assault each on a Friday night: 60 hexagons.
    for i in range(60):
        place = PlaceFactory(latitude=51.40 + 0.0025 * i, longitude=-2.70 + 0.003 * i)
        EventFactory(event_type="ed_assault", place=place, reporting_agency=world.hospital,
                     occurred_at=FRIDAY_NIGHT)
    client.force_login(world.users[Role.ANALYST])
    friday = {"weekdays": ["5"], "hour_from": 20}
    first = client.get(reverse("contexts:hotspots"), friday).content.decode()
    assert "on the map, strongest clustering first: page 1 of 2" in first
    assert first.count('<tr class="govuk-table__row"><td') == 50
    assert "hour_from=20&amp;weekdays=5&amp;page=2" in first  # the filters go with the page
    second = client.get(reverse("contexts:hotspots"), {**friday, "page": 2}).content.decode()
    assert "page 2 of 2" in second and second.count('<tr class="govuk-table__row"><td') > 0
    wrong = client.get(reverse("contexts:hotspots"), {"page": "two"}).content.decode()
    assert "Page: &#x27;two&#x27; is not a page number; showing the first page." in wrong


def test_bad_filters_are_form_errors(client, world, assaults):
    client.force_login(world.users[Role.ANALYST])
    response = client.get(reverse("contexts:hotspots"),
                          {"hour_from": 25, "date_from": "2026-08-01", "date_to": "2026-07-01"})
    assert response.status_code == 400
    assert b"From hour" in response.content and b"on or after its start" in response.content


def test_roles_without_the_page_get_a_404(client, world):
    for role in (Role.COMMUNITY_MEMBER, Role.SOCIAL_WORKER, Role.DATA_PROTECTION_OFFICER):
        client.force_login(world.users[role])
        assert client.get(reverse("contexts:hotspots")).status_code == 404, role


def test_one_small_hexagon_cannot_be_worked_out_from_the_total():
    hexagons = [{"events": 12}, {"events": 7}, {"events": "<5"}]
    _secondary(hexagons, [12, 7, 2], 5)
    assert [h["events"] for h in hexagons] == [12, "*", "<5"]
    two_small = [{"events": 12}, {"events": "<5"}, {"events": "<5"}]
    _secondary(two_small, [12, 2, 3], 5)
    assert two_small[0]["events"] == 12


def test_a_quiet_hexagon_in_a_significant_cluster_says_so_instead_of_not_significant():
    cell = h3.latlng_to_cell(51.455, -2.59, 9)
    box = Projection(51.4, -2.7, 51.5, -2.5)
    row = {"cell": cell, "hot_spot": False, "cold_spot": False, "cluster": True,
           "events": 1, "gi_z": 8.84, "p_value": 0.0}
    assert _cell(row, box, {}, 5)["label"] == "In a significant cluster, but few events here"
    plain = {**row, "cluster": False, "gi_z": 0.4, "p_value": 0.7}
    assert _cell(plain, box, {}, 5)["label"] == "Not significant"
    assert _cell({**row, "hot_spot": True}, box, {}, 5)["label"] == "Hot spot"
    # every hot spot's p read "0.0", as if clustering were impossible rather than near certain
    assert _cell(row, box, {}, 5)["p_value"] == "below 0.0001"
    assert _cell(plain, box, {}, 5)["p_value"] == "0.7000"


def test_a_hot_spot_offers_outreach_at_its_places_to_those_who_schedule_it(client, world,
                                                                           assaults):
    busy, quiet = assaults
    north = busy.ward.locality
    other_ward = Ward.objects.exclude(locality=north).order_by("pk").first()
    across = PlaceFactory(name="Bearpit far steps", latitude=busy.latitude,
                          longitude=busy.longitude, ward=other_ward)  # same hexagon
    new_session = reverse("interventions:outreach-new")

    def links(role):
        client.force_login(world.users[role])
        body = client.get(reverse("contexts:hotspots")).content.decode()
        return {p.pk for p in (busy, quiet, across)
                if f'href="{new_session}?place={p.pk}"' in body}

    # The Hub practitioner schedules in their own locality only, as the session form offers.
    assert links(Role.HUB_PRACTITIONER) == {busy.pk}
    assert links(Role.LOCALITY_CHAIR) == {busy.pk, across.pk}  # city-wide
    assert links(Role.ANALYST) == set()  # sees hot spots, does not schedule outreach
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    form = client.get(f"{new_session}?place={busy.pk}")
    assert form.status_code == 200
    assert form.context["form"]["place"].value() == busy.pk
    assert busy in form.context["form"].fields["place"].queryset


def test_the_hexagon_table_names_each_hexagons_ward_first(client, world, assaults):
    # It led with H3 ids and "Gi* z", which tell someone deciding where to send outreach nothing.
    busy, _ = assaults
    nearest = min(Ward.objects.all(), key=lambda w: (w.latitude - busy.latitude) ** 2
                  + (w.longitude - busy.longitude) ** 2)
    client.force_login(world.users[Role.ANALYST])
    body = client.get(reverse("contexts:hotspots")).content.decode()
    row = next(r for r in body.split("<tr")[1:] if "Bearpit" in r and "Hot spot" in r)
    assert row.index(nearest.name) < row.index("Bearpit") < row.index(
        h3.latlng_to_cell(busy.latitude, busy.longitude, 9))
    assert "Clustering score" in body and "Ward (approximate)" in body


def test_the_filter_says_how_to_write_its_dates_and_hours_and_names_each_mistake(client, world,
                                                                              assaults):
    # The dates were two bare full-width boxes with no example, a mistake read 'Enter a valid
    # date.' or 'Ensure this value is less than or equal to 23.', and one hour alone was
    # ignored, so the map counted every hour (seen on the tour as the licensing officer).
    client.force_login(world.users[Role.ANALYST])
    body = client.get(reverse("contexts:hotspots")).content.decode()
    assert "A date, for example 27/11/2026" in body
    assert 'class="govuk-input govuk-input--width-10"' in body
    assert 'class="govuk-input govuk-input--width-2"' in body
    page = client.get(reverse("contexts:hotspots"), {
        "date_from": "last week", "date_to": "2026-13-01", "hour_from": "25", "hour_to": "x"})
    body = page.content.decode()
    assert page.status_code == 400
    assert "Enter the start of the period as a date, like 27/11/2026" in body
    assert "Enter the end of the period as a date, like 31/12/2026" in body
    assert "From hour must be a whole number from 0 to 23" in body
    assert "To hour must be a whole number from 0 to 23" in body
    assert "Enter a valid date" not in body and "Ensure this value" not in body
    def counted(**filters):
        body = client.get(reverse("contexts:hotspots"), filters).content.decode()
        return body.split("Events in this view: ")[1].split(".")[0]
    assert counted(hour_from="20") == counted(hour_from="20", hour_to="23") != counted()
    assert counted(hour_to="11") == counted(hour_from="0", hour_to="11") != counted()
    british = client.get(reverse("contexts:hotspots"), {"date_from": "1/7/2026"})
    assert british.status_code == 200
