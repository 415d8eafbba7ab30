"""Persona x route x record: zero leaks, and forbidden looks exactly like absent."""

import re

import pytest
from django.urls import reverse

from saferoptions.core.models import Role

from .conftest import CANARY_TEXTS, NO_RECORDS, PRACTITIONERS

pytestmark = pytest.mark.django_db

# Pages about one person, and who may open them for the child in everyone's work ("mine").
PERSON_ROUTES = {
    "people:detail": set(PRACTITIONERS) | {Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER},
    "people-api:detail": set(PRACTITIONERS) | {Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER},
    "access:access-log": {Role.LEAD_WORKER, Role.DATA_PROTECTION_OFFICER},
}
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def _normalised(response, reference) -> bytes:
    """The body with the address's own reference and per-request tokens taken out."""
    return TOKEN.sub(b"", response.content.replace(str(reference).encode(), b"REF"))


def _get(client, user, name, reference):
    client.force_login(user)
    return client.get(reverse(name, args=[reference]))


def _assert_no_canary(response):
    body = response.content.decode(errors="replace")
    for text in CANARY_TEXTS:
        assert text not in body


# One test per route, every role inside it: the scene is built once per route, not per role.
@pytest.mark.parametrize("name", PERSON_ROUTES)
def test_person_pages(client, scene, name):
    for role in Role.values:
        user = scene.users[role]
        in_scope = _get(client, user, name, scene.mine.public_id)
        assert in_scope.status_code == (200 if role in PERSON_ROUTES[name] else 404), role
        forbidden = _get(client, user, name, scene.canary.public_id)
        absent = _get(client, user, name, scene.absent)
        assert absent.status_code == 404, role
        _assert_no_canary(in_scope)
        if role == Role.DATA_PROTECTION_OFFICER:
            assert forbidden.status_code == 200  # the DPO may open every record
            continue
        assert forbidden.status_code == 404, role
        assert _normalised(forbidden, scene.canary.public_id) == \
            _normalised(absent, scene.absent), role
        _assert_no_canary(forbidden)


@pytest.mark.parametrize("name", ["people:search", "people:export", "people-api:list"])
def test_lists_never_show_an_out_of_scope_child(client, scene, name):
    for role in Role.values:
        client.force_login(scene.users[role])
        response = client.get(reverse(name), {"q": ""})
        assert response.status_code == 200
        if role != Role.DATA_PROTECTION_OFFICER:
            _assert_no_canary(response)
        shows_mine = b"Ashanti" in response.content
        assert shows_mine == (role in PERSON_ROUTES["people:detail"]), role


@pytest.mark.parametrize("name", ["contexts:place", "contexts:group"])
def test_context_pages_mask_people_the_user_may_not_see(client, scene, name):
    context = scene.place if name == "contexts:place" else scene.group
    for role in Role.values:
        client.force_login(scene.users[role])
        response = client.get(reverse(name, args=[context.pk]))
        _assert_no_canary(response)
        absent = client.get(reverse(name, args=[context.pk + 1000]))
        assert absent.status_code == 404
        if response.status_code == 404:
            # Numeric ids are not echoed in the page, so the bodies must match as they are.
            assert TOKEN.sub(b"", response.content) == TOKEN.sub(b"", absent.content), role
            continue
        assert b"Someone you do not have access to" in response.content  # the canary, masked
        shows_mine = b"Ashanti" in response.content
        assert shows_mine == (role in PERSON_ROUTES["people:detail"]), role


def test_licensing_officer_sees_the_place_but_no_child(client, scene):
    client.force_login(scene.users[Role.LICENSING_OFFICER])
    response = client.get(reverse("contexts:place", args=[scene.place.pk]))
    assert response.status_code == 200
    assert response.content.count(b"Someone you do not have access to") == 2
    assert Role.LICENSING_OFFICER in NO_RECORDS


def test_signed_out_visitor_is_sent_to_sign_in_and_sees_nothing(client, scene):
    response = client.get(reverse("people:detail", args=[scene.mine.public_id]))
    assert response.status_code == 302
    assert b"Ashanti" not in response.content
