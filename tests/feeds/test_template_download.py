"""Each feed's template downloads as a CSV header row that partners fill in."""

import csv
import io

import pytest
from django.urls import reverse

from saferoptions.feeds.flat import columns
from saferoptions.feeds.schemas import SCHEMAS
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("feed_type", sorted(SCHEMAS))
def test_the_template_is_the_feeds_header_row(client, feed_type):
    client.force_login(UserFactory(hub=True))
    response = client.get(reverse("feeds:template", args=[feed_type]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [columns(feed_type)]


def test_an_unknown_feed_has_no_template(client):
    client.force_login(UserFactory(hub=True))
    assert client.get(reverse("feeds:template", args=["nonsense"])).status_code == 404
