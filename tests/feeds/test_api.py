"""The partner API: credentials scoped to agency and feeds, idempotency, and what it answers."""

import json

import pytest
from django.test import Client

from saferoptions.events.models import Event
from saferoptions.feeds.models import InboxMessage
from saferoptions.tasks.models import Task

from .factories import message, partner, post

EVENTS = Event.objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def test_a_knife_referral_becomes_a_barnardos_task_due_in_24_hours(client):
    _, token = partner()
    body = message("ed_assault")
    response = post(client, token, "ed_assault", body)
    assert response.status_code == 202, response.json()
    task = Task.objects.get()
    assert task.team.slug == "barnardos-base-routes"
    # 24 hours from the arrival at ED, not from when the message came.
    assert (task.due_at - task.event.reported_at).total_seconds() == 24 * 3600
    assert task.person is None  # the referral's identity is unmatched until someone resolves it
    event = EVENTS.get()
    assert event.reporting_agency.slug == "hospital-ed" and event.category == "knife"
    assert response.json()["message_id"] == InboxMessage.objects.get().pk


def test_redelivery_returns_the_original_result_and_changes_nothing(client):
    _, token = partner()
    body = message("ed_assault")
    first = post(client, token, "ed_assault", body)
    again = post(client, token, "ed_assault", body)
    assert again.status_code == 202
    assert again.json()["message_id"] == first.json()["message_id"]
    assert again["Idempotent-Replayed"] == "true"
    assert (EVENTS.count(), Task.objects.count(), InboxMessage.objects.count()) == (1, 1, 1)


def test_the_same_key_with_a_different_body_is_refused(client):
    _, token = partner()
    body = message("ed_assault")
    post(client, token, "ed_assault", body)
    response = post(client, token, "ed_assault", {**body, "patient_age": 17})
    assert response.status_code == 409
    assert "already used" in response.json()["detail"]
    assert InboxMessage.objects.count() == 1


def test_a_credential_cannot_send_another_agencys_feed_and_learns_nothing(client):
    _, token = partner()  # the hospital's system
    other = post(client, token, "police_incident", message("police_incident"))
    unknown = post(client, token, "no_such_feed", message("police_incident"))
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()
    assert not InboxMessage.objects.exists()


def test_no_credential_or_a_wrong_one_is_refused(client):
    partner()
    body = json.dumps(message("ed_assault"))
    bare = client.post("/api/feeds/ed_assault/messages/", body, content_type="application/json")
    wrong = client.post("/api/feeds/ed_assault/messages/", body,
                        content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert bare.status_code in (401, 403) and wrong.status_code == 401
    assert not InboxMessage.objects.exists()


def test_a_withdrawn_credential_is_refused(client):
    system, token = partner()
    system.is_active = False
    system.save()
    assert post(client, token, "ed_assault", message("ed_assault")).status_code == 401


def test_a_partner_sees_only_its_own_messages(client):
    _, token = partner()
    _, other_token = partner(agency="police", feeds=("police_incident",))
    sent = post(client, token, "ed_assault", message("ed_assault")).json()
    url = f"/api/feeds/messages/{sent['message_id']}/"
    own = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    theirs = client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_token}")
    assert own.status_code == 200 and own.json()["status"] == "accepted"
    assert theirs.status_code == 404


def test_an_anonymised_attendance_may_not_carry_identifiable_fields(client):
    _, token = partner()
    body = message("ed_assault", rapid_response_referral=False)
    response = post(client, token, "ed_assault", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "referral"
    assert InboxMessage.objects.get().status == "quarantined"
    assert not EVENTS.exists()


def test_an_anonymised_attendance_is_accepted_and_still_makes_a_task(client):
    _, token = partner()
    body = message("ed_assault", rapid_response_referral=False, referral=None, patient_age=19)
    assert post(client, token, "ed_assault", body).status_code == 202
    assert Task.objects.get().task_type == "hospital_rapid_response"
    assert not EVENTS.get().involvements.exists()


def test_the_openapi_schema_documents_every_feed(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x" * 16)
    client.force_login(user)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "/api/feeds/ed_assault/messages/" in schema["paths"]
    assert "EdAssault" in json.dumps(schema["components"]["schemas"])
