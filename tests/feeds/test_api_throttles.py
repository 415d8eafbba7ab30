"""Throttling the partner API: callers without a credential or with a wrong one are slowed by
address, each partner system by its credential; 429 with Retry-After, counted in the database
every web process shares."""

import pytest
from django.test import Client

from saferoptions.core.models import RateCount
from saferoptions.feeds.models import InboxMessage

from .factories import message, partner, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        base = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                                   "DEFAULT_THROTTLE_RATES": {**base, **rates}}
    return set_rates


def send(token, *, address="127.0.0.1", **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client().post("/api/feeds/ed_assault/messages/", data=b"{}",
                         content_type="application/json", REMOTE_ADDR=address,
                         **headers, **extra)


def test_the_configured_rates_are_the_ones_documented(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert (rates["anon"], rates["partner_bad_token"], rates["partner"]) == (
        "30/min", "10/min", "6000/min")


def test_a_burst_of_bad_token_requests_meets_429_with_retry_after():
    answers = [send("not-a-real-token") for _ in range(12)]
    assert [a.status_code for a in answers] == [401] * 10 + [429] * 2
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert "throttled" in answers[-1].json()["detail"].lower()
    # Naming another address in X-Forwarded-For does not start a fresh count.
    assert send("guess", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another address has its own count.
    assert send("not-a-real-token", address="10.0.0.2").status_code == 401
    assert not InboxMessage.objects.exists()


def test_requests_without_a_credential_are_throttled_by_address(rates):
    rates(anon="3/min")
    codes = [send(None).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_a_good_partner_within_its_rate_is_not_throttled_even_beside_a_guesser():
    _, token = partner()
    for _ in range(11):  # the address is now over the wrong-token rate
        send("guess")
    codes = [post(Client(), token, "ed_assault", message("ed_assault")).status_code
             for _ in range(20)]
    assert codes == [202] * 20


def test_each_partner_has_its_own_rate(rates):
    rates(partner="3/min")
    _, busy = partner()
    _, quiet = partner()
    codes = [post(Client(), busy, "ed_assault", message("ed_assault")).status_code
             for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    assert post(Client(), quiet, "ed_assault", message("ed_assault")).status_code == 202
    assert InboxMessage.objects.count() == 4  # the throttled message was not taken


def test_counts_are_kept_in_the_shared_database_table():
    send("guess")
    _, token = partner()
    post(Client(), token, "ed_assault", message("ed_assault"))
    assert sorted(RateCount.objects.values_list("hits", flat=True)) == [1, 1]
