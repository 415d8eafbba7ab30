"""Forms that help: several places at once through a searchable picker that works without JS."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from saferoptions.cases import services
from saferoptions.cases.models import CaseMeeting, Plan
from tests.contexts.factories import PlaceFactory

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
    # "Enter date of the meeting" lacked its article (seen on the tour)
    ("", "", "", "Enter the date of the meeting"),
    ("3", "3", "2027", "Date of the meeting must be today or in the past"),
])
def test_a_bad_date_names_the_field_by_its_label(client, world, day, month, year, message):
    response = _meeting(client, world, day, month, year)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'href="#id_held_on_0"' in body  # the error summary leads to the day box
    assert not CaseMeeting.objects.filter(person=world.child).exists()


def test_a_failed_start_returns_to_its_form_and_reloading_is_no_dead_end(client, world):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:assessment-start", args=[world.child.public_id])
    refused = client.post(url, {"referral_on_day": "31", "referral_on_month": "2",
                                "referral_on_year": "2026"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Referral date must be a real date" in body
    assert f'action="{url}"' in body or '<form method="post"' in body
    assert 'name="referral_on_day" type="text" inputmode="numeric" value="31"' in body
    reload = client.get(url)
    assert reload.status_code == 200
    assert 'name="referral_on_day"' in reload.content.decode()
    started = client.post(url, {"referral_on_day": "2", "referral_on_month": "3",
                                "referral_on_year": "2026"})
    assert started.status_code == 302


def test_someone_without_the_child_gets_the_same_404_on_the_start_form(client, world):
    client.force_login(world.users["outsider"])
    url = reverse("cases:assessment-start", args=[world.child.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"referral_on": "2026-03-02"}).status_code == 404


def test_the_harm_outside_the_family_is_named_by_its_label_in_errors(client, world):
    assessment = services.start_assessment(actor=world.users["social_worker"],
                                           person=world.child, referral_on=dt.date(2026, 3, 2))
    client.force_login(world.users["social_worker"])
    response = client.post(reverse("cases:assessment", args=[assessment.pk]),
                           {"version": assessment.version, "extra_familial_weight": "140"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "How much of the harm is outside the family must be between 0 and 100." in body
    assert "context weighting" not in body.lower()
