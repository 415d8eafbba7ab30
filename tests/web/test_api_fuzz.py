"""The partner API fuzzed from its own published OpenAPI schema (schemathesis).

Every operation in `/api/schema/` gets 25 generated requests (derandomized: the same ones on
every run) as a partner system with a real credential: valid messages and every kind of wrong
one. No answer may be a server error, and every documented answer must match its schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from saferoptions.feeds.schemas import SCHEMAS
from tests.feeds.factories import partner

EXAMPLES_PER_OPERATION = 25


APPLICATION = get_wsgi_application()
# Loaded once, when the tests are collected: the schema is built from the code, not the data.
# (schemathesis's `from_fixture` does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", APPLICATION)


@pytest.fixture(autouse=True)
def same_connection(db):
    """The application keeps to the test's database connection and transaction.

    Django closes the connection after each request; inside a test that would end the test's
    own transaction, so (as Django's test client does) the closing is paused meanwhile.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_token(db):
    """A police system may send its three feeds; the others answer it 404 (also fuzzed)."""
    _, token = partner(agency="police", feeds=("police_incident", "stop_search",
                                                  "missing_episode"))
    return token


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_matches_the_schema(case, partner_token):
    response = case.call(headers={"Authorization": f"Bearer {partner_token}"})
    case.validate_response(response, checks=[
        checks.not_a_server_error, checks.response_schema_conformance,
        checks.content_type_conformance])


def test_the_schema_publishes_every_feed_and_the_people_api():
    paths = set(schema.raw_schema["paths"])
    for feed in SCHEMAS:
        assert f"/api/feeds/{feed}/messages/" in paths
    assert {"/api/people/", "/api/people/{public_id}/"} <= paths


def test_an_address_no_api_route_matches_answers_the_documented_json(client):
    # Found by the fuzz: a reference that is not a UUID fell through to the HTML page.
    for url in ("/api/people/null,null/", "/api/feeds/messages/x/", "/api/nothing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    page = client.get("/people/null,null/")
    assert page.status_code == 404 and b"Page not found" in page.content
