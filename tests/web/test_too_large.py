"""A form sent over Django's size limits answers 400 saying it was too large, and how large
may be sent: the page used to say the service 'could not understand what your browser sent',
so someone who pasted a long document into a box could not tell what to change (found
attacking a demo clone with a 3 MB field)."""

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client

from saferoptions.core.models import Role
from saferoptions.web.errors import bad_request
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = Client()
    client.force_login(UserFactory(role=Role.COMMUNITY_MEMBER))
    return client


def test_a_form_too_large_says_so_and_the_limit(signed_in):
    response = signed_in.post("/intelligence/worry/", {"text": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "too large" in page and "at most 1 MB" in page


def test_too_many_answers_says_so(signed_in, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = signed_in.post("/intelligence/worry/", {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_the_api_answers_json(rf):
    response = bad_request(rf.post("/api/feeds/police/messages/"), RequestDataTooBig())
    assert response.status_code == 400
    assert b"too large" in response.content
