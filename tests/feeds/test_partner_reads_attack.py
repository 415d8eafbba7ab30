"""One partner system reading another's messages and batches by guessing ids, a revoked token
mid-conversation, and the feeds pages' queues under malformed paging (tried on a demo clone;
each held, and is kept here so it goes on holding); and a file's name, the sender's own words,
which every overseer of the feeds saw, the system administrator included (fixed).
"""

import json

import pytest
from django.test import Client

from saferoptions.core.models import Agency, Team
from saferoptions.feeds import services
from saferoptions.feeds.flat import columns
from saferoptions.feeds.models import PartnerSystem
from tests.core.factories import UserFactory

from .factories import message, partner, post

pytestmark = pytest.mark.django_db


def _get(client, token, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _batch(client, token, feed, items):
    return client.post(f"/api/feeds/{feed}/batches/", data=json.dumps({"messages": items}),
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_second_system_of_the_same_agency_cannot_read_the_firsts_messages_or_batches():
    client = Client()
    _, first = partner()
    _, second = partner()  # the same hospital, another system
    _, police = partner(agency="police", feeds=("police_incident",))
    sent = post(client, first, "ed_assault", message("ed_assault")).json()
    batch = _batch(client, first, "ed_assault", [message("ed_assault")]).json()
    own_message = _get(client, first, f"/api/feeds/messages/{sent['message_id']}/")
    own_batch = _get(client, first, f"/api/feeds/batches/{batch['batch_id']}/")
    assert own_message.status_code == own_batch.status_code == 200
    missing = _get(client, second, "/api/feeds/messages/999999/")
    for token in (second, police):
        theirs = _get(client, token, f"/api/feeds/messages/{sent['message_id']}/")
        assert theirs.status_code == 404 and theirs.json() == missing.json()
        assert _get(client, token, f"/api/feeds/batches/{batch['batch_id']}/").status_code == 404
        item = batch["messages"][0]["message_id"]
        assert _get(client, token, f"/api/feeds/messages/{item}/").status_code == 404


def test_another_agencys_system_using_the_same_key_learns_nothing_of_the_first():
    client = Client()
    _, hospital = partner()
    _, police = partner(agency="police", feeds=("police_incident",))
    post(client, hospital, "ed_assault", message("ed_assault", idempotency_key="PNC-12/345"))
    answer = post(client, police, "police_incident",
                  message("police_incident", idempotency_key="PNC-12/345"))
    assert answer.status_code == 202 and answer["Idempotent-Replayed"] == "false"


def test_a_sibling_system_reusing_a_key_is_told_nothing_of_the_first_message():
    """Keys are unique per agency; a second system of the same hospital sending the first's
    key was given the first's receipt (its number, status and event) on the same body, and
    its number in the 409 on another body, although a read of it by number answers 404."""
    client = Client()
    _, first = partner()
    _, second = partner()  # the same hospital, another system
    body = message("ed_assault", idempotency_key="ED-2026-0001")
    sent = post(client, first, "ed_assault", body).json()
    for attempt in (body, message("ed_assault", idempotency_key="ED-2026-0001")):
        answer = post(client, second, "ed_assault", attempt)
        assert answer.status_code == 409
        assert answer.json() == {"detail": "The idempotency key 'ED-2026-0001' was already "
                                 "used by another of your agency's systems. Send a new message "
                                 "with a new key."}
    # The first system's own redelivery is still its receipt.
    again = post(client, first, "ed_assault", body)
    assert again.status_code == 202 and again.json()["message_id"] == sent["message_id"]
    # In a batch the clash is kept, quarantined, with the same words.
    batch = _batch(client, second, "ed_assault", [body]).json()
    item = batch["messages"][0]
    assert item["code"] == 409 and item["message_id"] != sent["message_id"]
    assert f"message {sent['message_id']}" not in json.dumps(batch)


@pytest.mark.parametrize("url", ["/api/feeds/messages/-1/", "/api/feeds/messages/abc/",
                                 "/api/feeds/messages/99999999999999999999999/",
                                 "/api/feeds/batches/99999999999999999999999/"])
def test_guessed_ids_of_any_shape_answer_404_never_a_server_error(url):
    client = Client()
    _, token = partner()
    assert _get(client, token, url).status_code == 404


def test_a_token_revoked_between_two_requests_is_refused_on_the_second():
    client = Client()
    system, token = partner()
    sent = post(client, token, "ed_assault", message("ed_assault")).json()
    url = f"/api/feeds/messages/{sent['message_id']}/"
    assert _get(client, token, url).status_code == 200
    services.revoke_partner_system(actor=None, partner=system, reason="laptop stolen")
    assert _get(client, token, url).status_code == 401
    assert post(client, token, "ed_assault", message("ed_assault")).status_code == 401
    assert _batch(client, token, "ed_assault", [message("ed_assault")]).status_code == 401
    assert PartnerSystem.objects.get(pk=system.pk).messages.count() == 1


def test_an_importer_cannot_open_another_agencys_batch_by_its_id():
    client = Client()
    _, token = partner()
    batch = _batch(client, token, "ed_assault", [message("ed_assault", patient_age="x")]).json()
    officer = UserFactory(role="police_officer", agency=Agency.objects.get(slug="police"),
                          team=Team.objects.get(slug="police-missing"))
    client.force_login(officer)
    assert client.get(f"/feeds/batches/{batch['batch_id']}/").status_code == 404


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "page=99999999999999999999",
                                   "sort=__class__", "page=%00", "sort=" + "x" * 5000])
def test_the_quarantine_and_a_batch_page_take_any_paging_without_a_server_error(query):
    client = Client()
    _, token = partner()
    batch = _batch(client, token, "ed_assault", [message("ed_assault", patient_age="x")]).json()
    hub = UserFactory(hub=True, team=Team.objects.get(slug="hub"))
    client.force_login(hub)
    for url in ("/feeds/quarantine/", f"/feeds/batches/{batch['batch_id']}/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 400), url
        assert b"x" * 100 not in response.content  # a long value is not echoed back whole


def _missing_file(name: str):
    header = ",".join(columns("missing_episode"))
    return services.import_file(actor=None, agency=Agency.objects.get(slug="police"),
                                feed_type="missing_episode", filename=name,
                                content=f"{header}\n".encode())


def test_a_files_name_is_shown_only_to_its_own_agency():
    batch = _missing_file("Okafor Sam missing 3 April.csv")
    police = UserFactory(role="police_officer", agency=Agency.objects.get(slug="police"),
                         team=Team.objects.get(slug="police-missing"))
    admin = UserFactory(role="system_administrator", team=None,
                        agency=Agency.objects.get(slug="social-care"))
    strategic = UserFactory(role="strategic_lead", team=None,
                            agency=Agency.objects.get(slug="community-safety"))
    hub = UserFactory(hub=True, team=Team.objects.get(slug="hub"))

    def page(user, url):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (user.role, url)
        return response.content.decode()

    assert "Okafor" in page(police, f"/feeds/batches/{batch.pk}/")
    for user in (admin, hub):
        shown = page(user, f"/feeds/batches/{batch.pk}/")
        assert "Okafor" not in shown and "File import batch from" in shown
    for user in (admin, strategic, hub):
        assert "Okafor" not in page(user, "/feeds/")
