"""Hospital free-text locations: resolving to a place, adding a place, and bad input."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts import analysis
from saferoptions.contexts.models import Place
from saferoptions.core.models import Role
from saferoptions.events.models import Event
from tests.access.factories import AgreementFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendances(world):
    # The hospital shares health (its free-text locations) with the council for data quality.
    AgreementFactory(provider=world.hospital, recipient=world.users[Role.ANALYST].agency,
                     categories=["health"], purposes=["data_quality"])
    station = PlaceFactory(name="Temple Meads station", place_type="transport_hub")
    PlaceFactory(name="Castle Park", place_type="park")
    for text in ["nr temple meads stn", "temple meads station", "the chippy on gloucester rd",
                 "the chippy on gloucester rd"]:
        EventFactory(event_type="ed_assault", reporting_agency=world.hospital,
                     location_description=text)
    return station


def test_unresolved_texts_are_listed_and_resolving_sets_the_place(client, world, attendances):
    client.force_login(world.users[Role.ANALYST])
    page = client.get(reverse("contexts:locations"))
    assert b"the chippy on gloucester rd" in page.content and b"&lt;5" in page.content
    chippy = PlaceFactory(name="Gloucester Road chip shop", place_type="takeaway")
    response = client.post(reverse("contexts:locations"),
                           {"text": "the chippy on gloucester rd", "place": chippy.pk})
    assert response.status_code == 302
    assert Event.objects.filter(place=chippy).count() == 2
    entry = AuditEntry.objects.filter(object_type="event", action="update").get()
    assert len(entry.object_ids) == 2 and "chippy" not in str(entry.detail)


def test_confident_matches_are_applied_together(client, world, attendances):
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    client.post(reverse("contexts:locations"), {"apply": "confident"})
    assert Event.objects.filter(place=attendances).count() == 2


@pytest.mark.parametrize(("data", "message"), [
    ({"latitude": "52.2", "longitude": "-2.59"}, b"inside the city"),
    ({"latitude": "51.45", "longitude": "-1.0"}, b"inside the city"),
    ({"place_type": "stairwell"}, b"not a known type of place"),
    ({"latitude": "north"}, b"Enter a number"),
])
def test_a_bad_place_is_a_form_error_and_nothing_is_stored(client, world, attendances, data,
                                                           message):
    client.force_login(world.users[Role.ANALYST])
    before = Place.objects.count()
    form = {"name": "Chip shop", "place_type": "takeaway", "latitude": "51.47",
            "longitude": "-2.59", "text": "the chippy on gloucester rd", **data}
    response = client.post(reverse("contexts:new-place"), form)
    assert response.status_code == 400 and message in response.content
    assert Place.objects.count() == before
    assert not Event.objects.filter(location_description__contains="chippy",
                                             place__isnull=False).exists()


def test_a_new_place_resolves_the_text_it_was_made_for(client, world, attendances):
    client.force_login(world.users[Role.ANALYST])
    response = client.post(reverse("contexts:new-place"), {
        "name": "Gloucester Road chip shop", "place_type": "takeaway", "latitude": "51.47",
        "longitude": "-2.59", "text": "the chippy on gloucester rd"})
    assert response.status_code == 302
    place = Place.objects.get(name="Gloucester Road chip shop")
    assert Event.objects.filter(place=place).count() == 2


def test_other_roles_cannot_resolve(client, world, attendances):
    client.force_login(world.users[Role.LICENSING_OFFICER])
    assert client.get(reverse("contexts:locations")).status_code == 404
    assert client.post(reverse("contexts:new-place"), {}).status_code == 404


def test_a_remembered_description_is_matched_by_itself_next_time(client, world, attendances):
    client.force_login(world.users[Role.ANALYST])
    chippy = PlaceFactory(name="Gloucester Road chip shop", place_type="takeaway")
    client.post(reverse("contexts:locations"), {"text": "the chippy on gloucester rd",
                                                "place": chippy.pk, "remember": "on"})
    EventFactory(event_type="ed_assault", reporting_agency=world.hospital,
                 location_description="The chippy on Gloucester Rd")
    confident, rows = analysis.location_matches(user=world.users[Role.ANALYST])
    assert "The chippy on Gloucester Rd" in {m.text for m in confident}
    assert chippy.aliases.get().name == "the chippy on gloucester rd"


def test_the_admin_refuses_a_place_outside_the_city(world):
    place = Place(name="Cardiff Bay", place_type="park", latitude=51.46, longitude=-3.16,
                  ward=world.place.ward)
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    assert "longitude" in refused.value.message_dict


def test_a_hospitals_text_is_shown_only_where_it_shares_health(client, world, attendances):
    """Free-text locations are health: a resolver whose agency has no agreement sees none."""
    elsewhere = UserFactory(role=Role.ANALYST, agency=AgencyFactory())
    client.force_login(elsewhere)
    page = client.get(reverse("contexts:locations")).content.decode()
    assert "chippy" not in page and "temple meads" not in page
    chippy = PlaceFactory(name="Gloucester Road chip shop", place_type="takeaway")
    client.post(reverse("contexts:locations"),
                {"text": "the chippy on gloucester rd", "place": chippy.pk})
    assert not Event.objects.filter(place=chippy).exists()
    hospital_analyst = UserFactory(role=Role.ANALYST, agency=world.hospital)
    confident, rows = analysis.location_matches(user=hospital_analyst)
    assert "the chippy on gloucester rd" in {m.text for m in confident} | {r.text for r in rows}


def test_both_lists_are_paged_each_under_its_own_name(client, world, attendances):
    hub = world.users[Role.HUB_PRACTITIONER]
    for i in range(55):
        EventFactory(event_type="ed_assault", reporting_agency=world.hospital,
                     location_description=f"behind block {i} of the zebra estate")
        PlaceFactory(name=f"Described stairwell {i}", status="proposed", proposed_by=hub,
                     proposed_at=world.users[Role.ANALYST].date_joined + dt.timedelta(hours=i))
    client.force_login(hub)
    first = client.get(reverse("contexts:locations")).content.decode()
    assert "55 described places waiting, oldest first: page 1 of 2." in first
    assert "to resolve: page 1 of 2." in first
    assert first.count('class="govuk-summary-card"') == 100
    # Each list's page links keep the other list's page.
    later = client.get(reverse("contexts:locations"), {"described": 2, "page": 2}).content
    later = later.decode()
    assert "page 2 of 2" in later and "Described stairwell 54" in later
    assert "described=2&amp;page=1" in later and "page=2&amp;described=1" in later


def test_a_resolve_without_a_known_place_links_the_summary_to_that_rows_box(client, world,
                                                                          attendances):
    client.force_login(world.users[Role.ANALYST])
    response = client.post(reverse("contexts:locations"),
                           {"text": "the chippy on gloucester rd", "place": "Nowhere"})
    page = response.content.decode()
    assert response.status_code == 400
    box = re.search(r'id="(place-\d+)-error"', page).group(1)  # the posted row's box
    assert f'id="{box}"' in page
    assert f'<a href="#{box}">Choose a known place' in page
    assert 'href="#id_place"' not in page
