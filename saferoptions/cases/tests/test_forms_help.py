"""Forms that help: several places at once through a searchable picker that works without JS."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from saferoptions.cases.models import CaseMeeting, Plan
from saferoptions.contexts.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _plan(client, world, places):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:plan-new", args=[world.child.public_id])
    return client.post(url, {"kind": "contextual_safety", "outcomes": "Safe at the park",
                             "review_on": "2026-04-01", "places": places})


def test_several_places_are_saved_from_the_plan_form(client, world):
    places = [PlaceFactory(), PlaceFactory(), PlaceFactory()]
    response = _plan(client, world, [p.pk for p in places])
    assert response.status_code == 302
    plan = Plan.objects.get(person=world.child)
    assert set(plan.places.all()) == set(places)


def test_the_places_picker_is_a_multiple_select_that_search_takes_over(client, world):
    PlaceFactory(name="Castle Park skate area")
    client.force_login(world.users["social_worker"])
    page = client.get(reverse("cases:plan-new", args=[world.child.public_id])).content.decode()
    select = re.search(r'<select name="places"[^>]*>', page).group(0)
    assert 'data-autocomplete="multiple"' in select and " multiple" in select
    assert "Castle Park skate area" in page
    assert 'type="radio"' not in page
    assert "/static/autocomplete/accessible-autocomplete.min.js" in page
    assert "/static/core/autocomplete.js" in page
    assert "<script>" not in page  # initialised from the data attribute, never inline


def test_the_picker_assets_are_found_by_the_static_files():
    for name in ("autocomplete/accessible-autocomplete.min.js",
                 "autocomplete/accessible-autocomplete.min.css", "core/autocomplete.js"):
        path = finders.find(name)
        assert path, name
        with open(path, encoding="utf-8") as f:
            assert len(f.read()) > 500, name
    with open(finders.find("core/autocomplete.js"), encoding="utf-8") as f:
        assert "select[data-autocomplete]" in f.read()


def test_without_javascript_a_place_not_offered_is_refused_by_name(client, world):
    place = PlaceFactory()
    response = _plan(client, world, [place.pk, 99999999])
    assert response.status_code == 400
    assert "Choose places that affect the child from the list." in response.content.decode()
    assert not Plan.objects.filter(person=world.child).exists()


def _meeting(client, world, day, month, year):
    client.force_login(world.users["social_worker"])
    return client.post(reverse("cases:meeting", args=[world.child.public_id]), {
        "kind": "strategy_discussion", "discussion": "Agreed a safety plan",
        "held_on_day": day, "held_on_month": month, "held_on_year": year})


def test_a_date_is_entered_as_day_month_and_year(client, world):
    client.force_login(world.users["social_worker"])
    page = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    for box in ("held_on_day", "held_on_month", "held_on_year"):
        assert f'name="{box}"' in page
    assert 'type="date"' not in page and 'type="datetime-local"' not in page
    assert _meeting(client, world, "27", "2", "2026").status_code == 302
    assert CaseMeeting.objects.get(person=world.child).held_on == dt.date(2026, 2, 27)


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("30", "2", "2026", "Date of the meeting must be a real date"),
    ("3", "", "2026", "Date of the meeting must include a month"),
    ("", "", "", "Enter date of the meeting"),
    ("3", "3", "2027", "Date of the meeting must be today or in the past"),
])
def test_a_bad_date_names_the_field_by_its_label(client, world, day, month, year, message):
    response = _meeting(client, world, day, month, year)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'href="#id_held_on_0"' in body  # the error summary leads to the day box
    assert not CaseMeeting.objects.filter(person=world.child).exists()
