"""Which feeds an agency may send is one table (FEEDS_BY_AGENCY_KIND), held at credential
creation and change, on every API request and on every file import."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from saferoptions.core.models import Agency, Role
from saferoptions.feeds import services
from saferoptions.feeds.flat import FileRefused, columns
from saferoptions.feeds.models import Batch, InboxMessage, PartnerSystem, feeds_for_agency
from tests.core.factories import UserFactory

from .factories import message, partner, post

pytestmark = pytest.mark.django_db
NEW = "/feeds/partners/new/"
REASON = "The supplier asked for more feeds."


@pytest.fixture
def admin():
    client = Client()
    client.force_login(UserFactory(role=Role.SYSTEM_ADMINISTRATOR, is_staff=True, team=None))
    return client


def community() -> Agency:
    return Agency.objects.get(slug="community")


def test_the_table_names_the_feeds_of_each_kind():
    assert feeds_for_agency(community()) == ["community_concern"]
    assert feeds_for_agency(Agency.objects.get(slug="police")) == [
        "police_incident", "stop_search", "missing_episode"]
    # A programme provider reports its sessions and outcomes (provider_reports.py), nothing else.
    assert feeds_for_agency(Agency.objects.get(slug="barnardos")) == [
        "programme_session", "programme_outcome"]
    assert feeds_for_agency(Agency.objects.get(slug="health")) == []


def test_a_community_credential_cannot_be_given_the_police_or_ed_feed_on_the_page(admin):
    response = admin.post(NEW, {"name": "Neighbourhood watch app", "agency": community().pk,
                                "feed_types": ["community_concern", "police_incident",
                                               "ed_assault"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Community Members (Community members) may not send Police incident, Emergency " \
           "department assault attendance: it may send only Community concern." in page
    assert not PartnerSystem.objects.exists()


def test_nor_by_the_service_or_the_command():
    with pytest.raises(services.PartnerSystemRefused, match="may not send Police incident"):
        services.create_partner_system(actor=None, name="Watch", agency=community(),
                                       feed_types=["police_incident"])
    with pytest.raises(CommandError, match="^feed_types: .*may not send Emergency"):
        call_command("create_partner_system", "Watch", agency="community",
                     feeds="ed_assault", stdout=io.StringIO())
    assert not PartnerSystem.objects.exists()


def test_a_community_credentials_feeds_cannot_be_changed_to_the_police_feed(admin):
    system, _ = partner(agency="community", feeds=("community_concern",))
    response = admin.post(f"/feeds/partners/{system.pk}/feed-types/",
                          {"feed_types": ["community_concern", "police_incident"],
                           "reason": REASON})
    assert response.status_code == 200 and "may not send Police incident" in \
        response.content.decode()
    system.refresh_from_db()
    assert system.feed_types == ["community_concern"]


def test_a_credential_given_a_forbidden_feed_before_is_refused_on_every_request():
    system, token = partner(agency="community", feeds=("community_concern",))
    # As it could be before the table was enforced: written straight to the database.
    PartnerSystem.objects.filter(pk=system.pk).update(
        feed_types=["community_concern", "police_incident", "ed_assault"])
    for feed in ("police_incident", "ed_assault"):
        assert post(Client(), token, feed, message(feed)).status_code == 404
        batch = Client().post(f"/api/feeds/{feed}/batches/",
                              data=json.dumps({"messages": [message(feed)]}),
                              content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {token}")
        assert batch.status_code == 404 and batch.json() == {"detail": "Not found."}
    assert not InboxMessage.objects.exists() and not Batch.objects.exists()
    allowed = post(Client(), token, "community_concern", message("community_concern"))
    assert allowed.status_code == 202


def _csv(feed: str) -> bytes:
    return (",".join(columns(feed)) + "\n").encode()


def test_a_file_of_a_feed_the_agency_may_not_send_is_refused_whole():
    with pytest.raises(FileRefused, match="^is for the Police incident feed, which Community "
                       "Members may not send$"):
        services.import_file(agency=community(), feed_type="police_incident",
                             filename="incidents.csv", content=_csv("police_incident"))
    assert not Batch.objects.exists()


def test_the_import_command_refuses_it_in_one_line(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_bytes(_csv("police_incident"))
    with pytest.raises(CommandError, match="^file: the file is for the Police incident feed"):
        call_command("import_feed", "police_incident", str(path), agency="community",
                     stdout=io.StringIO())
