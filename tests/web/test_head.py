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
