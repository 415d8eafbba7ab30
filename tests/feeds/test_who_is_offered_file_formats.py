"""Who is offered the file formats, the partner API's docs and the import (journey 3): a
licensing officer sends their team's licensing reports as a file, so keeps all three; a
community member sends no file and has no partner system, so is offered none of them."""

import pytest
from django.test import Client

from saferoptions.core.models import Agency
from saferoptions.feeds.models import InboxMessage
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _home(user) -> str:
    response = _client(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_community_member_is_not_offered_the_file_formats_the_api_or_an_import():
    member = UserFactory(role="community_member", team=None,
                         agency=Agency.objects.get(slug="community"))
    home = _home(member)
    assert "File formats" not in home and 'href="/feeds/schemas/"' not in home
    assert 'href="/api/docs/"' not in home and 'href="/feeds/import/"' not in home
    assert "Tell the Hub about a worry" in home  # what they do here is still offered
    client = _client(member)
    assert client.get("/feeds/import/").status_code == 404  # forbidden looks absent
    # Not offered is not there: the page and its templates answer as an address that does
    # not exist, for a feed that exists and one that does not alike.
    for url in ("/feeds/schemas/", "/feeds/templates/community_concern.csv",
                "/feeds/templates/not-a-feed.csv", "/feeds/nowhere/"):
        assert client.get(url).status_code == 404, url
    assert client.post("/feeds/import/", {"feed_type": "community_concern"}).status_code == 404
    assert not InboxMessage.objects.exists()


def test_a_licensing_officer_is_offered_the_import_of_their_licensing_reports():
    officer = UserFactory(role="licensing_officer", team=None,
                          agency=Agency.objects.get(slug="licensing"))
    home = _home(officer)
    assert 'href="/feeds/import/"' in home and 'href="/feeds/schemas/"' in home
    page = _client(officer).get("/feeds/import/")
    assert page.status_code == 200 and "licensing_report" in page.content.decode()
    malformed = _client(officer).get("/feeds/templates/not-a-feed.csv")
    assert malformed.status_code == 404


@pytest.mark.parametrize("role", ["hub_practitioner", "police_officer", "team_manager",
                                  "strategic_lead", "analyst", "system_administrator",
                                  "licensing_officer"])
def test_those_who_send_watch_or_build_feeds_keep_the_file_formats(role):
    user = UserFactory(role=role)
    assert 'href="/feeds/schemas/"' in _home(user)
    client = _client(user)
    page = client.get("/feeds/schemas/")
    assert page.status_code == 200 and "community_concern" in page.content.decode()
    assert client.get("/feeds/templates/community_concern.csv").status_code == 200


@pytest.mark.parametrize("role", ["community_member", "data_protection_officer",
                                  "catalogue_manager", "lead_worker", "locality_chair"])
def test_who_is_not_offered_the_file_formats_finds_no_such_page(role):
    """Whoever's home page does not offer the link meets the page as absent: the route's
    rule and the home page read the same roles (`feeds.roles.WORK_WITH_FEEDS`)."""
    user = UserFactory(role=role)
    assert 'href="/feeds/schemas/"' not in _home(user)
    client = _client(user)
    assert client.get("/feeds/schemas/").status_code == 404
    assert client.get("/feeds/templates/police_incident.csv").status_code == 404


def test_signed_out_the_file_formats_are_not_there():
    assert Client().get("/feeds/schemas/").status_code == 404
