"""The forecast, demand and hot-spot fits kept between views (dashboards.memo): a reader never
sees what was worked for another reach, and a new event that changes the counts is counted on
the next view; one that changes nothing the fits read reuses them."""

import copy
import datetime as dt

import polars as pl
import pytest
from django.core.cache import caches

from saferoptions.core.models import AgencyKind, Role
from saferoptions.dashboards import memo
from tests.contexts.factories import PlaceFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
FORECAST = "/dashboard/violence-reduction/forecast/"
LAST_MONDAY = dt.date(2026, 8, 24)  # the conftest's clock: Wednesday 2 September 2026


@pytest.fixture(autouse=True)
def empty_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


def _knife(place, day: dt.date, hour: int = 20):
    at = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    return EventFactory(event_type="police_incident", category="knife", occurred_at=at,
                        reported_at=at, reporting_agency=place.police, place=place)


@pytest.fixture
def street(db):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    busy = PlaceFactory(name="Fictional Underpass", latitude=51.4545, longitude=-2.5879)
    busy.police = police
    for w in range(20):
        _knife(busy, LAST_MONDAY - dt.timedelta(weeks=w) + dt.timedelta(days=4))
    return busy


def _no_places_for_analysts(settings):
    rules = copy.deepcopy(settings.ACCESS_ROLE_RULES)
    rules[Role.ANALYST]["contexts"] = []
    settings.ACCESS_ROLE_RULES = rules


@pytest.mark.parametrize("first", [Role.STRATEGIC_LEAD, Role.ANALYST])
def test_readers_with_different_reach_never_share_what_they_see(client, street, settings,
                                                                first):
    """The lead may list places, the analyst (here) may not: whoever views first, the other
    sees the same figures but only the place names of their own reach."""
    _no_places_for_analysts(settings)
    lead = UserFactory(username="lead", role=Role.STRATEGIC_LEAD)
    analyst = UserFactory(username="analyst", role=Role.ANALYST)
    order = [lead, analyst] if first == Role.STRATEGIC_LEAD else [analyst, lead]
    seen = {}
    for user in order:
        client.force_login(user)
        seen[user.role] = client.get(FORECAST).content.decode()
    assert "Fictional Underpass" in seen[Role.STRATEGIC_LEAD]
    assert "Fictional Underpass" not in seen[Role.ANALYST]
    for body in seen.values():  # the same counted figures, worked once
        assert ">20<" in body and "Over the last 12 weeks" in body


def test_a_new_event_in_a_past_week_is_counted_on_the_next_view(client, street):
    client.force_login(UserFactory(username="lead", role=Role.STRATEGIC_LEAD))
    assert ">20<" in client.get(FORECAST).content.decode()
    _knife(street, LAST_MONDAY + dt.timedelta(days=1))  # reported late, for last week
    assert ">21<" in client.get(FORECAST).content.decode()


def test_an_event_this_week_reuses_the_fit(client, street, monkeypatch):
    """The forecast reads whole weeks up to last Sunday: an event of the week under way
    changes none of its counts, so the next view works nothing again."""
    client.force_login(UserFactory(username="lead", role=Role.STRATEGIC_LEAD))
    first = client.get(FORECAST).content.decode()
    _knife(street, dt.date(2026, 9, 1))
    worked = []
    real = memo.caches["default"].set
    monkeypatch.setattr(memo.caches["default"], "set",
                        lambda *a, **k: worked.append(a[0]) or real(*a, **k))
    assert client.get(FORECAST).content.decode().count(">20<") == first.count(">20<")
    assert not [key for key in worked if ":forecast:" in key]


def test_the_digest_depends_on_the_rows_and_the_scope_not_their_order():
    a = pl.DataFrame({"cell": ["x", "y"], "n": [1, 2]})
    assert memo.digest("s", a) == memo.digest("s", a.reverse())
    assert memo.digest("s", a) != memo.digest("s", a.with_columns(pl.lit(3).alias("n")))
    assert memo.digest("s", a) != memo.digest("t", a)
    calls = []
    for scope in ("one", "two", "one"):
        memo.remembered("x", lambda s=scope: calls.append(s) or s, scope=scope, inputs=(a,))
    assert calls == ["one", "two"]
