"""While the database is gone for a moment (a restart, a failover), a request answers 503 with
Retry-After, in JSON on the partner API, rendered without the database; any other failure is
still the plain 500 page."""

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import path

from saferoptions.web import errors


def _down(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _closed(request):
    raise InterfaceError("connection already closed")


def _broken(request):
    raise ValueError("a bug")


urlpatterns = [path("tasks/", _down), path("api/feeds/x/messages/", _down),
               path("people/", _closed), path("cases/", _broken)]
handler500 = errors.server_error


@pytest.fixture
def client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_a_page_during_an_outage_says_try_again_in_a_moment(client):
    response = client.get("/tasks/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert b"unavailable for a moment" in response.content
    assert b"Connection refused" not in response.content  # nothing of the server is shown


def test_a_dropped_connection_is_the_same(client):
    assert client.get("/people/").status_code == 503


def test_the_partner_api_answers_json_and_asks_for_the_same_key(client):
    response = client.post("/api/feeds/x/messages/", data={}, content_type="application/json")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "idempotency key" in response.json()["detail"]


def test_any_other_failure_is_still_a_500(client):
    response = client.get("/cases/")
    assert response.status_code == 500
    assert b"problem with the service" in response.content
