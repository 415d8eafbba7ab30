"""A signed-in account cannot flood the Hub's queues (found by the attack on a demo clone).

The public page was limited per address, but a community member's account sent intelligence,
worries and referrals of children and places as fast as the server answered, each one an
item the Hub must read. Every post to these pages now counts for the account
(`core.floods`), over the limit the answer is 429 with when to try again, and nothing more
is filed; other accounts and reading the pages are untouched.
"""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.cases.models import Concern, ConcernKind
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role
from saferoptions.intelligence.models import IntelligenceReport
from tests.core.factories import UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db

LIMIT = 3
REPORT_PAGES = ["/intelligence/submit/", "/intelligence/worry/", "/cases/refer/",
                "/contexts/cases/refer/"]


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.REPORTS_PER_ACCOUNT_LIMIT = LIMIT
    settings.REPORTS_PER_ACCOUNT_WINDOW_SECONDS = 600


def _member(name="member") -> Client:
    user = UserFactory(username=name, role=Role.COMMUNITY_MEMBER, team=None,
                       agency=Agency.objects.get(slug="community"))
    client = Client()
    client.force_login(user)
    return client


def _intelligence(i: int) -> dict:
    return {"account": f"Older boys outside the shop again ({i})", "entity-TOTAL_FORMS": "0",
            "entity-INITIAL_FORMS": "0"}


@pytest.mark.parametrize("url", REPORT_PAGES)
def test_posts_over_the_limit_are_refused_with_when_to_try_again(url):
    member = _member()
    answers = [member.post(url, {}).status_code for _ in range(LIMIT)]
    assert 429 not in answers  # each gets its own answer (here, the form's errors)
    refused = member.post(url, {})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 600  # the clock stands at the start of a window
    page = refused.content.decode()
    assert f"You have sent {LIMIT} reports or referrals in the last 10 minutes" in page
    assert "call 999" in page
    assert member.get(url).status_code == 200  # reading the page is never limited
    assert _member("neighbour").post(url, {}).status_code != 429  # per account


def test_a_flood_of_intelligence_files_no_more_than_the_limit():
    member = _member()
    answers = [member.post("/intelligence/submit/", _intelligence(i)).status_code
               for i in range(30)]
    assert answers[:LIMIT] == [302] * LIMIT and set(answers[LIMIT:]) == {429}
    assert IntelligenceReport.objects.count() == LIMIT


def test_a_flood_of_child_referrals_raises_no_more_concerns_than_the_limit():
    member = _member()
    referral = {"given_name": "Sam", "family_name": "Flood", "reason": "Seen with older men",
                "kind": ConcernKind.values[0], "locality": Locality.objects.get(slug="north").pk}
    answers = [member.post("/cases/refer/", referral).status_code for _ in range(10)]
    assert answers[:LIMIT] == [302] * LIMIT and set(answers[LIMIT:]) == {429}
    assert Concern.objects.count() == LIMIT


def test_the_next_window_takes_reports_again():
    member = _member()
    for i in range(LIMIT + 2):
        member.post("/intelligence/submit/", _intelligence(i))
    with clock.frozen(NOW + dt.timedelta(minutes=10)):
        assert member.post("/intelligence/submit/", _intelligence(99)).status_code == 302
    assert IntelligenceReport.objects.count() == LIMIT + 1


def test_a_post_refused_at_the_limit_says_when_the_window_ends():
    member = _member()
    with clock.frozen(NOW + dt.timedelta(minutes=7, seconds=30)):
        for i in range(LIMIT):
            member.post("/intelligence/submit/", _intelligence(i))
        refused = member.post("/intelligence/submit/", _intelligence(LIMIT))
    assert refused["Retry-After"] == "150"
    assert "in about 3 minutes" in refused.content.decode()
