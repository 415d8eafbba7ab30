"""HEAD is answered as GET would be, with no body: monitors checked the sign-in page and met 405."""

import pytest
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_answers_head_with_no_body():
    got, head = Client().get("/accounts/sign-in/"), Client().head("/accounts/sign-in/")
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == len(got.content) > 0
    assert head["Content-Type"] == got["Content-Type"]


def test_head_passes_the_same_checks_as_get():
    child = PersonFactory(kind="child")
    url = f"/people/{child.public_id}/"
    assert Client().head(url).status_code == Client().get(url).status_code == 302  # sign in
    stranger = Client()
    stranger.force_login(UserFactory(role=Role.POLICE_OFFICER))
    assert stranger.head(url).status_code == 404 and stranger.head(url).content == b""
    denied = AuditEntry.objects.filter(object_type="person", outcome="denied").count()
    assert denied >= 1, "a refused read by HEAD is audited as the GET is"


def test_a_post_only_address_still_refuses_head():
    client = Client()
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.head("/meetings/1/items/1/discussion/").status_code == 405


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"])
def test_a_method_no_page_takes_is_refused_before_any_view(method):
    # Views treat every method but POST as a read: OPTIONS and TRACE drew the task page (200,
    # its personal data, an audit row) and DRF described each API view to OPTIONS.
    hub = UserFactory(role=Role.HUB_PRACTITIONER)
    client = Client()
    client.force_login(hub)
    before = AuditEntry.objects.count()
    for url in ("/tasks/", "/linkage/review/", "/accounts/sign-in/", "/api/people/",
                "/api/schema/", "/api/feeds/police_incident/messages/"):
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, POST"
        assert "Content-Security-Policy" in response
        if url.startswith("/api/"):
            assert response.json() == {"detail": "Method not allowed."}
            assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.count() == before  # nothing was read


def test_get_head_and_post_still_reach_the_pages():
    client = Client()
    client.force_login(UserFactory(role=Role.HUB_PRACTITIONER))
    assert client.get("/tasks/").status_code == 200
    assert client.head("/tasks/").status_code == 200
    assert client.post("/tasks/notifications/read/").status_code == 302
