"""The people API slows a signed-in account down: over its rate, 429 with Retry-After, counted
per account in the database every web process shares; the partner API keeps its own throttles."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from saferoptions.core.models import Role
from saferoptions.settings import security
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory

from .factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def user_rate(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**rates, "user": "3/min"}}


def signed_in(role=Role.SOCIAL_WORKER) -> tuple[Client, object]:
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_documented_rate_is_the_default():
    # The module as configured, not the settings this file's fixture lowers.
    assert security.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] == "600/min"
    assert security.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "saferoptions.core.api_throttles.SignedInThrottle"]


def test_a_burst_of_list_requests_meets_429_with_retry_after():
    client, _ = signed_in()
    answers = [client.get(reverse("people-api:list")) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert "throttled" in answers[-1].json()["detail"].lower()


def test_a_record_a_forbidden_one_and_a_malformed_one_all_count():
    client, user = signed_in()
    mine = PersonFactory()
    TeamMemberFactory(person=mine, user=user)
    hidden = PersonFactory()
    codes = [client.get(reverse("people-api:detail", args=[mine.public_id])).status_code,
             client.get(reverse("people-api:detail", args=[hidden.public_id])).status_code,
             client.get(reverse("people-api:list"), {"page": "x"}).status_code,
             client.get(reverse("people-api:detail", args=[uuid.uuid4()])).status_code]
    assert codes == [200, 404, 400, 429]


def test_each_account_has_its_own_count():
    first, _ = signed_in()
    for _ in range(3):
        first.get(reverse("people-api:list"))
    assert first.get(reverse("people-api:list")).status_code == 429
    second, _ = signed_in()
    assert second.get(reverse("people-api:list")).status_code == 200


def test_a_caller_without_a_session_is_refused_not_counted():
    for _ in range(5):
        assert Client().get(reverse("people-api:list")).status_code == 403
