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
                                  "strategic_lead", "analyst", "system_administrator"])
def test_those_who_send_watch_or_build_feeds_keep_the_file_formats(role):
    assert 'href="/feeds/schemas/"' in _home(UserFactory(role=role))
