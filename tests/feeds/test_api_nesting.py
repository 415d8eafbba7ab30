"""Deeply nested JSON: refused with its reason before Python's parser can recurse, at any depth,
by the single endpoint, the batch endpoint and a replay from quarantine; never a 500, never a
202 that the worker then fails on."""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.feeds import nesting
from saferoptions.feeds.models import InboxMessage

from .factories import message, partner, post, quarantine_reader

pytestmark = pytest.mark.django_db
DEPTHS = [65, 300, 450, 900, 1000, 5000, 100_000]


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def keyed_with_deep_summary(depth: int) -> bytes:
    """A message that has its key (so it would be stored) and a summary `depth` levels deep."""
    body = json.dumps(message("ed_assault", summary="DEEP"))
    return body.replace('"DEEP"', nested(depth - 1)).encode()


def send_batch(token, raw: bytes):
    return Client().post("/api/feeds/ed_assault/batches/", data=raw,
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_message_gets_400_naming_the_body_and_nothing_is_stored(depth):
    _, token = partner()
    for raw in (nested(depth).encode(), keyed_with_deep_summary(depth)):
        response = post(Client(), token, "ed_assault", None, raw=raw)
        assert response.status_code == 400
        assert response.json() == {"errors": [{"field": "body", "reason": (
            "is nested more than 64 levels deep; a message may nest at most 64")}]}
    assert not InboxMessage.objects.exists()


def test_a_message_at_the_limit_is_read_and_its_field_named():
    _, token = partner()
    response = post(Client(), token, "ed_assault", None, raw=keyed_with_deep_summary(64))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["summary"]


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_batch_with_one_deep_message_is_refused_naming_its_row(depth):
    _, token = partner()
    good = json.dumps(message("ed_assault"))
    raw = f'{{"messages": [{good}, {keyed_with_deep_summary(depth).decode()}]}}'.encode()
    response = send_batch(token, raw)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "messages", "row": 2, "reason": (
        "message 2 is nested more than 64 levels deep; a message may nest at most 64")}]}
    assert not InboxMessage.objects.exists()


@pytest.mark.parametrize("depth", [300, 5000])
def test_a_batch_body_nested_deep_as_a_whole_is_refused(depth):
    _, token = partner()
    for raw in (nested(depth), '{"messages": ' + nested(depth) + "}"):
        response = send_batch(token, raw.encode())
        assert response.status_code == 400 and response.json()["errors"]
    assert not InboxMessage.objects.exists()


@pytest.mark.parametrize("depth", [300, 900, 5000])
def test_a_deep_correction_replayed_from_quarantine_stays_quarantined_with_the_reason(depth):
    _, token = partner()
    post(Client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    bad = InboxMessage.objects.get(status="quarantined")
    hub = Client()
    hub.force_login(quarantine_reader())
    response = hub.post(f"/feeds/quarantine/{bad.pk}/",
                        {"raw": keyed_with_deep_summary(depth).decode()})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == "quarantined"
    assert bad.errors == [{"row": None, "field": "body", "reason": (
        "is nested more than 64 levels deep; a message may nest at most 64")}]


@given(st.recursive(st.none() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=30))
def test_the_depth_scan_agrees_with_the_parsed_value(value):
    """Brackets inside strings never count; the scan's depth is the value's own."""
    def depth(v):
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        return 0 if children is None else 1 + max((depth(c) for c in children), default=0)

    text = json.dumps(value)
    real = depth(value)
    assert nesting.too_deep(text, real) is None
    assert real == 0 or nesting.too_deep(text, real - 1) is not None


def with_nul_in(field: str) -> str:
    body = json.dumps(message("ed_assault", **{field: "NULHERE"}))
    return body.replace("NULHERE", "before\\u0000after")


@pytest.mark.parametrize("field", ["summary", "idempotency_key", "source_reference"])
def test_a_nul_character_is_refused_naming_the_body_on_both_endpoints(field):
    # PostgreSQL text cannot hold U+0000: found by fuzzing the batch endpoint (a 500 there).
    _, token = partner()
    single = post(Client(), token, "ed_assault", None, raw=with_nul_in(field).encode())
    assert single.status_code == 400
    assert single.json()["errors"][0]["field"] == "body"
    assert "NUL" in single.json()["errors"][0]["reason"]
    batch = send_batch(token, f'{{"messages": [{with_nul_in(field)}]}}'.encode())
    assert batch.status_code == 400 and "NUL" in batch.content.decode()
    assert not InboxMessage.objects.exists()
