"""The review and unmatched queues worked as queues, and a pair in plain words first."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from saferoptions.linkage.models import UnmatchedIdentity, UnmatchedKind
from tests.people.factories import IdentityFactory

from .conftest import AT, review_pair

pytestmark = pytest.mark.django_db


def _pairs(response) -> list[int]:
    return [int(n) for n in re.findall(r"pair (\d+)</span>", response.content.decode())]


def test_the_pair_page_says_in_words_how_strongly_each_detail_points_to_the_same_child(
        client, hub, police):
    pair = review_pair(police, police)
    client.force_login(hub)
    body = client.get(reverse("linkage:review-pair", args=[pair.pk])).content.decode()
    plain = body[body.index('id="plain-words"'):body.index('id="statistics"')]
    assert "How strongly each detail points to the same child" in plain
    for detail, words in [("First name", "Strongly"), ("Date of birth", "Strongly"),
                          ("NHS number", "Neither way"), ("Postcode and address", "Against")]:
        assert re.search(rf">{detail}</th>.*?govuk-tag[^>]*>{words}<", plain, re.S), detail
    assert "18.5" not in plain and "0.8000" not in plain  # no figures before the click
    stats = body[body.index('id="statistics"'):]
    assert "Show the statistics" in stats and "govuk-details" in body
    assert "Match probability <strong>0.8000</strong>" in stats and "18.500" in stats
    assert body.index('id="plain-words"') < body.index('id="contributions"')


def test_the_review_queue_sorts_by_waiting_time_or_likelihood(client, hub, police):
    older = review_pair(police, police, probability=0.4)
    newer = review_pair(police, police, probability=0.9, created_at=AT + dt.timedelta(days=1))
    client.force_login(hub)
    assert _pairs(client.get(reverse("linkage:review-queue"))) == [older.pk, newer.pk]
    strongest = client.get(reverse("linkage:review-queue"), {"sort": "strongest"})
    assert _pairs(strongest) == [newer.pk, older.pk]
    assert 'value="strongest" selected' in strongest.content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "loudest"}, "Sort by: the queue cannot be sorted by &#x27;loudest&#x27;"),
    ({"page": "two"}, "Enter a whole number, like 12"),
    ({"agency_a": "999999", "agency_b": "999998"}, "Choose an option from the list"),
])
def test_a_bad_address_still_shows_the_review_queue_with_the_message(client, hub, police,
                                                                    params, message):
    pair = review_pair(police, police)
    client.force_login(hub)
    response = client.get(reverse("linkage:review-queue"), params)
    assert response.status_code == 400 and message in response.content.decode()
    assert _pairs(response) == [pair.pk]


def test_sixty_pairs_and_sixty_records_page_fifty_at_a_time(client, hub, police):
    for n in range(60):
        review_pair(police, police, created_at=AT + dt.timedelta(minutes=n))
        UnmatchedIdentity.objects.create(
            identity=IdentityFactory(agency=police, person=None, source_id=f"U{n}"),
            kind=UnmatchedKind.TOO_LITTLE, reason="no name", created_at=AT)
    client.force_login(hub)
    pairs = client.get(reverse("linkage:review-queue"))
    assert len(_pairs(pairs)) == 50 and 'class="govuk-pagination"' in pairs.content.decode()
    assert len(_pairs(client.get(reverse("linkage:review-queue"), {"page": 2}))) == 10
    records = client.get(reverse("linkage:unmatched"))
    assert len(records.context["found"].rows) == 50
    assert 'class="govuk-pagination"' in records.content.decode()
    bad = client.get(reverse("linkage:unmatched"), {"kind": "guess"})
    assert bad.status_code == 400 and len(bad.context["found"].rows) == 50


def test_page_two_of_each_queue_shows_the_rest_with_the_way_back(client, hub, police):
    pairs = [review_pair(police, police, created_at=AT + dt.timedelta(minutes=n)).pk
             for n in range(55)]
    for n in range(53):
        UnmatchedIdentity.objects.create(
            identity=IdentityFactory(agency=police, person=None, source_id=f"U{n}"),
            kind=UnmatchedKind.TOO_LITTLE, reason="no name", created_at=AT)
    client.force_login(hub)
    second = client.get(reverse("linkage:review-queue"), {"sort": "oldest", "page": 2})
    body = second.content.decode()
    assert _pairs(second) == pairs[50:]  # waiting longest first: the last five
    assert "Page 2 of 2" in body and "55 pairs waiting." in body
    assert 'href="?sort=oldest&amp;page=1" rel="prev"' in body and 'rel="next"' not in body
    records = client.get(reverse("linkage:unmatched"), {"kind": UnmatchedKind.TOO_LITTLE,
                                                        "page": 2})
    found = records.context["found"]
    assert (len(found.rows), found.total, found.page, found.pages) == (3, 53, 2, 2)
    assert f'href="?kind={UnmatchedKind.TOO_LITTLE}&amp;page=1" rel="prev"' in (
        records.content.decode())
    assert client.get(reverse("linkage:unmatched"), {"page": 7}).context["found"].page == 2
