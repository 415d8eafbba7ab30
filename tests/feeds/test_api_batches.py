"""Batches over the partner API: many messages per request, each kept as if sent on its own."""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.events.models import Event
from saferoptions.feeds import services
from saferoptions.feeds.batches import read_batch
from saferoptions.feeds.models import Batch, InboxMessage
from saferoptions.tasks.models import Task

from .factories import message, partner, post

EVENTS = Event.objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def send(client, token, feed, messages=None, *, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps({"messages": messages}).encode()
    return client.post(f"/api/feeds/{feed}/batches/", data=data,
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def read_ledger(client, token, batch_id):
    return client.get(f"/api/feeds/batches/{batch_id}/", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_batch_of_three_knife_referrals_becomes_three_events_and_three_tasks(client):
    _, token = partner()
    response = send(client, token, "ed_assault", [message("ed_assault") for _ in range(3)])
    assert response.status_code == 202, response.json()
    sent = response.json()
    assert [m["row"] for m in sent["messages"]] == [1, 2, 3]
    assert [m["code"] for m in sent["messages"]] == [202, 202, 202]
    ids = [m["message_id"] for m in sent["messages"]]
    assert sorted(ids) == sorted(InboxMessage.objects.values_list("pk", flat=True))
    assert (EVENTS.count(), Task.objects.count()) == (3, 3)
    assert {t.team.slug for t in Task.objects.all()} == {"barnardos-base-routes"}
    ledger = read_ledger(client, token, sent["batch_id"])
    assert ledger.status_code == 200
    assert ledger.json() | {"received_at": None} == {
        "batch_id": sent["batch_id"], "feed_type": "ed_assault", "received_at": None,
        "received": 3, "accepted": 3, "quarantined": 0, "duplicates": 0, "waiting": 0,
        "balanced": True}
    assert response["Location"] == f"/api/feeds/batches/{sent['batch_id']}/"


def test_sending_the_same_batch_again_gives_the_same_receipts_and_changes_nothing(client):
    _, token = partner()
    messages = [message("ed_assault") for _ in range(3)]
    first = send(client, token, "ed_assault", messages).json()
    again = send(client, token, "ed_assault", messages)
    assert again.status_code == 202
    receipts = again.json()["messages"]
    assert [m["message_id"] for m in receipts] == [m["message_id"] for m in first["messages"]]
    assert all(m["replayed"] and m["status"] == "accepted" for m in receipts)
    assert (EVENTS.count(), Task.objects.count(), InboxMessage.objects.count()) == (3, 3, 3)
    ledger = read_ledger(client, token, again.json()["batch_id"]).json()
    assert (ledger["received"], ledger["duplicates"], ledger["balanced"]) == (3, 3, True)


def test_a_message_sent_on_its_own_then_in_a_batch_is_a_redelivery_not_a_clash(client):
    _, token = partner()
    body = message("ed_assault")
    single = post(client, token, "ed_assault", body).json()
    batch = send(client, token, "ed_assault", [body, message("ed_assault")]).json()
    assert batch["messages"][0]["message_id"] == single["message_id"]
    assert batch["messages"][0]["replayed"] is True
    assert EVENTS.count() == 2


def test_bad_items_are_answered_one_by_one_and_kept_while_the_good_go_through(client):
    _, token = partner()
    good = message("ed_assault")
    items = [good, "not a message", message("ed_assault", idempotency_key=None),
             message("ed_assault", assault_method="spoon"), {**good, "patient_age": 17}]
    response = send(client, token, "ed_assault", items)
    assert response.status_code == 202
    answers = response.json()["messages"]
    assert [m["code"] for m in answers] == [202, 400, 400, 422, 409]
    assert [m["status"] for m in answers[1:]] == ["quarantined"] * 4
    assert [(e["row"], e["field"]) for m in answers[1:] for e in m["errors"]] == [
        (2, "message"), (3, "idempotency_key"), (4, "assault_method"), (5, "idempotency_key")]
    assert "already used by message" in answers[4]["errors"][0]["reason"]
    assert EVENTS.count() == 1
    kept = InboxMessage.objects.get(pk=answers[1]["message_id"])
    assert bytes(kept.raw) == b'"not a message"'  # exactly as sent, for correction
    ledger = read_ledger(client, token, response.json()["batch_id"]).json()
    assert (ledger["received"], ledger["accepted"], ledger["quarantined"]) == (5, 1, 4)
    assert ledger["balanced"]


def test_a_keyless_item_corrected_in_quarantine_becomes_an_event(client, django_user_model):
    _, token = partner()
    keyless = message("ed_assault", idempotency_key=None)
    answer = send(client, token, "ed_assault", [keyless]).json()["messages"][0]
    kept = InboxMessage.objects.get(pk=answer["message_id"])
    fixed = json.dumps({**keyless, "idempotency_key": "fixed-1"}).encode()
    replayed = services.correct_and_replay(actor=None, message=kept, raw=fixed)
    assert replayed.status == "accepted" and EVENTS.count() == 1
    # The partner resending the batch does not put the item in quarantine a second time.
    again = send(client, token, "ed_assault", [keyless]).json()["messages"][0]
    assert again["message_id"] == kept.pk and again["replayed"] is True
    assert InboxMessage.objects.count() == 1


def test_a_batch_over_the_maximum_is_refused_whole_with_the_limit_named(client, settings):
    settings.FEEDS_API_BATCH_MAX = 2
    _, token = partner()
    response = send(client, token, "ed_assault", [message("ed_assault") for _ in range(3)])
    assert response.status_code == 413
    assert response.json()["errors"] == [{"field": "messages", "reason": "holds 3 messages; "
                                          "a batch may hold at most 2"}]
    assert not Batch.objects.exists() and not InboxMessage.objects.exists()


@pytest.mark.parametrize(("raw", "field"), [
    (b'{"messages": [', "body"),
    (b"\xff\xfe", "body"),
    (b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "messages"),  # row 1 too deep
    (b"[]", "body"),
    (b"{}", "messages"),
    (b'{"messages": {"idempotency_key": "k"}}', "messages"),
    (b'{"messages": []}', "messages"),
])
def test_a_request_that_is_not_a_batch_is_refused_whole_and_nothing_is_kept(client, raw, field):
    _, token = partner()
    response = send(client, token, "ed_assault", raw=raw)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not Batch.objects.exists() and not InboxMessage.objects.exists()


def test_a_huge_number_is_a_bad_body_for_a_single_message_too(client):
    _, token = partner()
    raw = b'{"idempotency_key": "k", "patient_age": ' + b"1" * 5000 + b"}"
    response = post(client, token, "ed_assault", None, raw=raw)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


def test_a_feed_the_credential_may_not_send_answers_like_one_that_does_not_exist(client):
    _, token = partner()  # the hospital's system
    batch = [message("police_incident")]
    forbidden = send(client, token, "police_incident", batch)
    unknown = send(client, token, "no_such_feed", batch)
    malformed = send(client, token, "police_incident", raw=b"{")
    assert forbidden.status_code == unknown.status_code == malformed.status_code == 404
    assert forbidden.json() == unknown.json() == malformed.json()
    assert not Batch.objects.exists() and not InboxMessage.objects.exists()


def test_no_credential_or_a_wrong_one_is_refused(client):
    partner()
    body = json.dumps({"messages": [message("ed_assault")]})
    bare = client.post("/api/feeds/ed_assault/batches/", body, content_type="application/json")
    wrong = client.post("/api/feeds/ed_assault/batches/", body,
                        content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert bare.status_code in (401, 403) and wrong.status_code == 401
    assert not Batch.objects.exists()


def test_another_partners_batch_answers_like_a_missing_one(client):
    _, token = partner()
    _, police_token = partner(agency="police", feeds=("police_incident",))
    batch_id = send(client, token, "ed_assault", [message("ed_assault")]).json()["batch_id"]
    theirs = read_ledger(client, police_token, batch_id)
    missing = read_ledger(client, police_token, batch_id + 1000)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_the_ledger_shows_messages_still_waiting_for_the_worker(client, monkeypatch):
    monkeypatch.setattr("saferoptions.feeds.batches.enqueue", lambda message: None)
    _, token = partner()
    sent = send(client, token, "ed_assault", [message("ed_assault") for _ in range(2)]).json()
    waiting = read_ledger(client, token, sent["batch_id"]).json()
    assert (waiting["waiting"], waiting["accepted"], waiting["balanced"]) == (2, 0, False)
    services.process_message(sent["messages"][0]["message_id"])  # takes the waiting ones too
    done = read_ledger(client, token, sent["batch_id"]).json()
    assert (done["waiting"], done["accepted"], done["balanced"]) == (0, 2, True)


def test_the_openapi_schema_documents_both_batch_endpoints(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x" * 16))
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    send_batch = schema["paths"]["/api/feeds/ed_assault/batches/"]["post"]
    assert send_batch["operationId"] == "send_ed_assault_batch"
    body = send_batch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert request["properties"]["messages"]["maxItems"] == 500
    assert request["properties"]["messages"]["items"]["$ref"].endswith("/EdAssaultSchema")
    assert set(send_batch["responses"]) == {"202", "400", "404", "413"}
    ledger = schema["paths"]["/api/feeds/batches/{batch_id}/"]["get"]
    assert ledger["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert "/api/feeds/{feed_type}/batches/" not in schema["paths"]


# Any text but U+0000, which PostgreSQL cannot hold and the API refuses (test_api_nesting.py).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10)


@given(items=st.lists(JSON_VALUES, min_size=1, max_size=5), indent=st.sampled_from([None, 0, 2]),
       ensure_ascii=st.booleans())
def test_each_message_is_kept_byte_for_byte_as_it_appears_in_the_batch(items, indent,
                                                                         ensure_ascii):
    body = json.dumps({"sender": {"messages": 1}, "messages": items}, indent=indent,
                      ensure_ascii=ensure_ascii).encode()
    read = read_batch(body)
    assert [item for item, _ in read] == items
    assert all(raw in body and json.loads(raw) == item for item, raw in read)
    if indent is None:  # what most clients send: the same bytes as the message on its own
        assert [raw for _, raw in read] == [
            json.dumps(i, ensure_ascii=ensure_ascii).encode() for i in items]
