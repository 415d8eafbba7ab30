"""The feed types page describes each feed in words, and never prints a missing one as "None"."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from saferoptions.feeds.schemas import SCHEMAS
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _page() -> str:
    client = Client()
    client.force_login(UserFactory(role="hub_practitioner"))
    response = client.get(reverse("feeds:schemas"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_schemas_page_never_shows_none():
    text = _page()
    assert not re.search(r">\s*None\s*<", text)
    for feed in ("housing_report", "licensing_report", "community_concern"):
        assert feed in text


def test_every_feed_has_a_plain_description():
    text = _page()
    for feed, schema in SCHEMAS.items():
        assert schema.__doc__, f"{feed} has no description"
        assert schema.__doc__.strip() in text.replace("&#x27;", "'")
