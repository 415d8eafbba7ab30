"""The canary test extends to the logs: a child's name sent through a feed, searched for on a
page and put in a failing job's error never reaches a log line (web/logs.py)."""

import io
import json
import logging

import pytest
from django.urls import reverse

from saferoptions.core.models import Role
from saferoptions.web.logs import JsonFormatter
from tests.core.factories import UserFactory
from tests.feeds.factories import message, partner, post, young_person

pytestmark = pytest.mark.django_db
CANARY_GIVEN, CANARY_FAMILY = "Zephyrine", "Quillborough"
CANARY_POSTCODE = "BS7 0QZ"


@pytest.fixture
def log_lines():
    """Every record any logger writes during the test, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def canary_person(**extra) -> dict:
    return young_person(given_name=CANARY_GIVEN, family_name=CANARY_FAMILY,
                        postcode=CANARY_POSTCODE, **extra)


def assert_no_canary(lines):
    text = json.dumps(lines)
    for value in (CANARY_GIVEN, CANARY_FAMILY, CANARY_POSTCODE):
        assert value not in text


def test_a_name_through_a_feed_and_a_search_never_reaches_the_logs(client, log_lines):
    _, key = partner()
    good = message("ed_assault", referral=canary_person())
    assert post(client, key, "ed_assault", good).status_code == 202
    bad = message("ed_assault", referral=canary_person(), occurred_at=f"{CANARY_GIVEN} o'clock")
    assert post(client, key, "ed_assault", bad).status_code == 422  # quarantined, with its reason
    client.force_login(UserFactory(role=Role.HUB_PRACTITIONER))
    client.get(reverse("people:search"), {"q": CANARY_FAMILY})
    client.get(f"/people/{CANARY_FAMILY}/")  # a 404 logs its address at WARNING

    lines = log_lines()
    routes = {line.get("route") for line in lines}
    # The logs were written, and say what happened by route name and status.
    assert {"feed-ed_assault", "people:search"} <= routes
    assert any(line.get("status") == 404 for line in lines)
    assert_no_canary(lines)


def test_a_value_in_a_log_call_or_an_exception_message_is_left_out(log_lines):
    log = logging.getLogger("saferoptions.feeds.processing")
    try:
        raise ValueError(f"no date in {CANARY_GIVEN} {CANARY_FAMILY}")
    except ValueError:
        log.exception("message %s for %s could not be processed", 42, CANARY_GIVEN)
    log.warning("named %(name)s, %(count)d rows", {"name": CANARY_FAMILY, "count": 3})
    log.info(CANARY_POSTCODE.encode())  # not a format string: nothing of it is written

    first, second, third = log_lines()
    assert first["message"] == "message 42 for [text] could not be processed"
    assert first["exception"] == "ValueError" and "test_logs.py" in first["raised_at"][-1]
    assert second["message"] == "named [text], 3 rows"
    assert third["message"] == "[text]"
    assert_no_canary([first, second, third])


def test_each_request_is_one_line_with_route_status_and_request_id(client, log_lines):
    response = client.get(reverse("web:healthz"))
    [line] = [entry for entry in log_lines() if entry["logger"] == "saferoptions.requests"]
    assert line["route"] == "web:healthz" and line["status"] == 200 and line["method"] == "GET"
    assert line["request_id"] == response["X-Request-Id"]
    assert line["duration_ms"] >= 0
    assert "user_id" not in line  # nobody signed in
