"""The managers' clocks list worked as a queue: sort, filters, pages, bad addresses."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from .conftest import NOW
from .factories import ClockFactory

pytestmark = pytest.mark.django_db


def _clock(w, **kwargs):
    kwargs.setdefault("person", w.child)
    kwargs.setdefault("locality", w.north)
    kwargs.setdefault("started_at", NOW - dt.timedelta(hours=1))
    kwargs.setdefault("due_at", NOW + dt.timedelta(days=3))
    return ClockFactory(**kwargs)


def _list(client, w, **params):
    client.force_login(w.users["manager"])
    return client.get(reverse("cases:overdue"), params)


def _kinds(response) -> list[str]:
    return re.findall(r'<td class="govuk-table__cell">([^<]+)</td>\s*<td class="govuk-table__'
                      r'cell"><strong class="govuk-tag', response.content.decode())


def test_clocks_sort_by_due_and_filter_by_state_kind_and_owner(client, world):
    _clock(world, kind="assessment", due_at=NOW + dt.timedelta(days=30),
           started_at=NOW - dt.timedelta(minutes=10))
    _clock(world, kind="return_home_interview", due_at=NOW - dt.timedelta(hours=2))
    _clock(world, kind="core_group", started_at=NOW - dt.timedelta(days=9),
           due_at=NOW + dt.timedelta(hours=5), owner=world.users["manager"])
    every = _list(client, world)
    assert _kinds(every) == ["Return home interview", "Core group", "Single assessment"]
    assert "1 overdue, 1 due soon, 1 on time" in every.content.decode()
    started = _kinds(_list(client, world, sort="started"))
    assert started[0] == "Single assessment"
    assert _kinds(_list(client, world, state="overdue")) == ["Return home interview"]
    assert _kinds(_list(client, world, state=["overdue", "amber"])) == [
        "Return home interview", "Core group"]
    assert _kinds(_list(client, world, kind="assessment")) == ["Single assessment"]
    assert _kinds(_list(client, world, owner="me")) == ["Core group"]
    assert "Core group" not in _kinds(_list(client, world, owner="nobody"))


def test_sixty_clocks_page_fifty_at_a_time(client, world):
    for n in range(60):
        _clock(world, due_at=NOW + dt.timedelta(days=3, minutes=n))
    first = _list(client, world)
    assert len(_kinds(first)) == 50 and 'class="govuk-pagination"' in first.content.decode()
    assert len(_kinds(_list(client, world, page=2))) == 10


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "colour"}, "Sort by: this list cannot be sorted by &#x27;colour&#x27;"),
    ({"state": "late"}, "Due: &#x27;late&#x27; is not one of the choices"),
    ({"owner": "bob"}, "Owner: &#x27;bob&#x27; is not one of the choices"),
    ({"locality": "999999"}, "Locality: &#x27;999999&#x27; is not one of the choices"),
    ({"page": "x"}, "Page: &#x27;x&#x27; is not a page number"),
])
def test_a_bad_address_falls_back_with_a_message(client, world, params, message):
    _clock(world)
    response = _list(client, world, **params)
    assert response.status_code == 400 and message in response.content.decode()
    assert _kinds(response) == ["Return home interview"]


def test_others_find_no_such_page(client, world):
    client.force_login(world.users["social_worker"])
    assert client.get(reverse("cases:overdue")).status_code == 404
