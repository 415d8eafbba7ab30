"""The place referral form's picker: a listed place, a place that is not listed (kept as a
proposed place for the Hub to confirm), bad input as field errors, and who sees which places."""

import html

import pytest
from django.urls import reverse

from saferoptions.contexts.models import ContextCase, Place, PlaceAlias, PlaceStatus
from saferoptions.core.models import Role
from saferoptions.core.widgets import NOT_LISTED

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db

DESCRIBED = {"kind": "place", "place": NOT_LISTED, "place_name": "The corner shop",
             "place_street": "Corner of Ashley Road and Grosvenor Road",
             "place_postcode": "bs2 9xy", "place_type": "shop",
             "seen_on_day": "28", "seen_on_month": "8", "seen_on_year": "2026",
             "reason": "Older men giving children vapes after school"}


def _refer_described(client, world, role=Role.LICENSING_OFFICER, **changes):
    client.force_login(world.users[role])
    return client.post(reverse("contexts:refer"), {**DESCRIBED, **changes})


def test_the_licensing_officers_form_is_a_place_picker_with_when_and_not_listed(client, world):
    client.force_login(world.users[Role.LICENSING_OFFICER])
    page = client.get(reverse("contexts:refer")).content.decode()
    assert "Refer a place" in page
    assert 'type="hidden" name="kind" value="place"' in page  # the one kind, already chosen
    assert 'data-autocomplete="single"' in page and 'data-reveals="described-place"' in page
    assert f'<option value="{NOT_LISTED}">The place is not listed</option>' in page
    assert 'id="described-place"' in page and 'name="place_street"' in page
    assert 'name="seen_on_day"' in page
    assert "core/autocomplete.js" in page and "<script>" not in page  # no inline script
    assert 'value="group"' not in page and "Peer group" not in page


def test_a_listed_place_still_refers_it(client, world):
    client.force_login(world.users[Role.LICENSING_OFFICER])
    response = client.post(reverse("contexts:refer"), {
        "kind": "place", "place": world.place.pk, "reason": "Selling to children",
        "seen_on_day": "31", "seen_on_month": "8", "seen_on_year": "2026"})
    assert response.status_code == 200 and b"Referral sent" in response.content
    case = ContextCase.objects.get()
    assert case.place == world.place and str(case.seen_on) == "2026-08-31"
    assert not Place.with_proposed.filter(status=PlaceStatus.PROPOSED).exists()


def test_a_place_not_listed_becomes_a_proposed_place_with_the_referral(client, world):
    response = _refer_described(client, world)
    assert response.status_code == 200 and b"Referral sent" in response.content
    place = Place.with_proposed.get(status=PlaceStatus.PROPOSED)
    assert (place.name, place.postcode, place.place_type) == ("The corner shop", "BS2 9XY",
                                                              "shop")
    assert place.latitude is None and place.ward is None and place.h3_cell == ""
    assert place.proposed_by == world.users[Role.LICENSING_OFFICER]
    case = ContextCase.objects.get()
    assert case.place_id == place.pk and case.kind == "place"
    # Not a known place yet: no picker, map or matcher lists it.
    assert not Place.objects.filter(pk=place.pk).exists()


def test_the_hub_sees_the_described_place_to_confirm(client, world):
    _refer_described(client, world)
    case = ContextCase.objects.get()
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    locations = client.get(reverse("contexts:locations")).content.decode()
    assert "The corner shop" in locations and "Awaiting confirmation" in locations
    assert reverse("contexts:case", args=[case.pk]) in locations
    page = client.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "Awaiting the Hub's confirmation" in page and "Ashley Road" in page
    assert "28 August 2026" in page


def test_the_hub_confirms_a_described_place_as_a_new_place(client, world):
    _refer_described(client, world)
    place = Place.with_proposed.get(status=PlaceStatus.PROPOSED)
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    form = client.get(reverse("contexts:new-place") + f"?proposed={place.pk}")
    assert b"Confirm a described place" in form.content
    response = client.post(reverse("contexts:new-place"), {
        "proposed": place.pk, "name": "Ashley Road Stores", "place_type": "shop",
        "latitude": "51.468", "longitude": "-2.577"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.status == PlaceStatus.CONFIRMED and place.ward is not None and place.h3_cell
    assert Place.objects.filter(name="Ashley Road Stores").exists()
    assert ContextCase.objects.get().place == place


def test_the_hub_finds_a_described_place_is_already_known(client, world):
    _refer_described(client, world)
    proposed = Place.with_proposed.get(status=PlaceStatus.PROPOSED)
    known = PlaceFactory(name="Ashley Road Stores", place_type="shop")
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    locations = client.get(reverse("contexts:locations")).content.decode()
    label = html.unescape(next(text for text in locations.split('"')
                               if text.startswith("Ashley Road Stores")))
    response = client.post(reverse("contexts:locations"),
                           {"apply": "merge", "proposed": proposed.pk, "place": label})
    assert response.status_code == 302
    assert ContextCase.objects.get().place == known
    assert not Place.with_proposed.filter(pk=proposed.pk).exists()
    assert PlaceAlias.objects.filter(place=known, name="The corner shop").exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"place_name": ""}, "place_name", "Enter the name of the place"),
    ({"place_street": ""}, "place_street", "Enter the street, or a landmark near the place"),
    ({"place_type": ""}, "place_type", "Choose what kind of place it is"),
    ({"place_postcode": "XYZ"}, "place_postcode", "Enter a real postcode"),
    ({"place": ""}, "place", "Choose the place, or choose &#x27;The place is not listed&#x27;"),
    ({"place": "999999"}, "place", "Choose a place from the list"),
    ({"reason": ""}, "reason", "Enter what you saw or heard"),
    ({"seen_on_day": "31", "seen_on_month": "2"}, "seen_on", "must be a real date"),
    ({"seen_on_year": "2027"}, "seen_on", "must be today or in the past"),
])
def test_a_bad_referral_returns_to_the_form_naming_the_field(client, world, changes, field,
                                                             message):
    response = _refer_described(client, world, **changes)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "There is a problem" in page
    assert "govuk-form-group--error" in page
    # The summary's message is a link to the box to put right (a date's day box), as GOV.UK's
    # error summary is; it was plain text, so the licensing officer had to hunt for the field.
    anchor = f"id_{field}_0" if field == "seen_on" else f"id_{field}"
    assert f'<li><a href="#{anchor}">' in page and f'id="{anchor}"' in page
    assert not ContextCase.objects.exists()
    assert not Place.with_proposed.filter(status=PlaceStatus.PROPOSED).exists()


def test_a_place_not_on_the_list_is_said_once(client, world):
    # The place box said both 'Choose a place from the list...' and 'Choose the place...'
    # (seen on the tour as the community member).
    page = html.unescape(_refer_described(client, world, place="999999").content.decode())
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert summary.count('href="#id_place"') == 1
    assert "Choose the place, or choose" not in page


def test_a_blank_referral_is_field_errors_not_a_crash(client, world):
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    response = client.post(reverse("contexts:refer"), {})
    assert response.status_code == 400
    assert b"Choose what the concern is about" in response.content
    assert b"Enter what you saw or heard" in response.content
    # The radios' link lands on the first radio; a date's message names the date only once.
    assert b'<a href="#id_kind_0">' in response.content and b'id="id_kind_0"' in response.content
    dated = client.post(reverse("contexts:refer"), {"seen_on_day": "31", "seen_on_month": "2",
                                                   "seen_on_year": "2026"})
    assert b'<a href="#id_seen_on_0">When did you see this? must be a real date' in dated.content


def test_the_described_fields_are_ignored_when_a_listed_place_is_chosen(client, world):
    response = _refer_described(client, world, place=world.place.pk, place_name="")
    assert response.status_code == 200
    assert ContextCase.objects.get().place == world.place


def test_one_referrers_described_place_is_not_on_anothers_list(client, world):
    _refer_described(client, world)
    client.force_login(world.users[Role.COMMUNITY_MEMBER])
    page = client.get(reverse("contexts:refer")).content.decode()
    assert "Stokes Croft underpass" in page and "The corner shop" not in page
    proposed = Place.with_proposed.get(status=PlaceStatus.PROPOSED)
    response = client.post(reverse("contexts:refer"), {
        "kind": "place", "place": proposed.pk, "reason": "x"})
    assert response.status_code == 400 and ContextCase.objects.count() == 1


def test_a_role_that_may_not_see_places_gets_no_form(client, world):
    for role in (Role.DATA_PROTECTION_OFFICER, Role.SYSTEM_ADMINISTRATOR):
        client.force_login(world.users[role])
        assert client.get(reverse("contexts:refer")).status_code == 404
        assert _refer_described(client, world, role=role).status_code == 404
    assert not Place.with_proposed.filter(status=PlaceStatus.PROPOSED).exists()


def test_the_locations_page_lists_the_places_once(client, world):
    for n in range(30):
        PlaceFactory(name=f"Shop {n}")
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    _refer_described(client, world)
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    page = client.get(reverse("contexts:locations")).content.decode()
    assert page.count(">Shop 7, ") == 0 and page.count('"Shop 7, ') == 1  # one datalist
    assert 'list="known-places"' in page and "<select" not in page


def test_a_merge_without_a_known_place_links_the_summary_to_that_rows_box(client, world):
    # The summary linked to "#id_place", which is on no box: each row's is "merge-<n>".
    _refer_described(client, world)
    proposed = Place.with_proposed.get(status=PlaceStatus.PROPOSED)
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    for typed in ("", "Nowhere we know"):
        response = client.post(reverse("contexts:locations"),
                               {"apply": "merge", "proposed": proposed.pk, "place": typed})
        page = response.content.decode()
        assert response.status_code == 400
        box = f"merge-{proposed.pk}"
        assert f'<a href="#{box}">Choose ' in page and 'href="#id_place"' not in page
        assert f'id="{box}"' in page and f'id="{box}-error"' in page
        assert f'value="{typed}"' in page  # what was typed stays in the box
    assert Place.with_proposed.filter(pk=proposed.pk).exists()


@pytest.mark.parametrize("proposed", ["²", "٣", "99999999999999999999999", "-1", "abc"])
def test_a_described_place_number_that_is_no_number_is_not_found(client, world, proposed):
    # '²' passes str.isdigit() but int() refuses it: the page answered 500.
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    response = client.get(reverse("contexts:new-place"), {"proposed": proposed})
    assert response.status_code == 404
    assert b"Page not found" in response.content
