"""Nested periods cannot be subtracted to learn a small count: the analyst's "places with most
violence" CSV showed one place with 7 knife incidents in the last 4 weeks and 11 in the last
12, so 4 in weeks 5 to 12, a count every table shows as small. Every dashboard figure has the
same nested 4/12/26/52-week periods ending now. A reader of aggregates (the policy does not let
them read the incidents: `policy.exact_counts`) now reads every output of a figure rounded to
the nearest 5; a reader who may read every incident keeps the suppressed exact counts."""

import csv
import datetime as dt
import io
import re

import pytest

from saferoptions.analytics.suppression import suppress_table
from saferoptions.core.models import Role
from saferoptions.dashboards import pages
from saferoptions.dashboards.filters import parse
from saferoptions.events.models import Event
from tests.contexts.factories import PlaceFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
APPS = ("safer-options", "violence-reduction", "exploitation")


@pytest.fixture
def knife_place(city):
    """7 knife incidents at one place in the last 4 weeks, 4 more in weeks 5 to 12."""
    place = PlaceFactory(name="Bearpit underpass", latitude=51.4585, longitude=-2.5885)
    for day in range(7):
        _knife(place, dt.datetime(2026, 8, 20 + day, 21, 0, tzinfo=dt.UTC))
    for day in range(4):
        _knife(place, dt.datetime(2026, 7, 1 + day, 21, 0, tzinfo=dt.UTC))
    return place


def _knife(place, at):
    EventFactory(event_type="police_incident", category="knife", place=place, occurred_at=at,
                 reported_at=at + dt.timedelta(hours=1))


def _places(user, period: str):
    shown = pages.dashboard(user=user, app="violence-reduction", filters=parse({"period": period}))
    return next(s for s in shown if s.figure.key == "places")


def _place_knives(user, place, period: str):
    figure = _places(user, period)
    return figure.cells[figure.figure.row_keys.index(str(place.pk))][0]


def _csv_knives(client, place, period: str) -> str:
    """The place's knife incidents in the figure's CSV (its rows in the page's order)."""
    text = client.get("/dashboard/violence-reduction/places.csv", {"period": period})
    rows = list(csv.reader(io.StringIO(text.content.decode())))
    filters = parse({"period": period})
    filters.counting = True
    keys = pages._figure("violence-reduction", "places", filters).row_keys
    return rows[3 + keys.index(str(place.pk))][1]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STRATEGIC_LEAD])
def test_nested_periods_no_longer_give_a_reader_of_aggregates_a_small_count(
        client, city, knife_place, role):
    reader = city.users[role]
    assert not pages.exact_reader(reader)
    recent, longer = (_place_knives(reader, knife_place, p) for p in ("4w", "12w"))
    assert (recent, longer) == (5, 10)  # 7 and 11, each rounded on its own
    assert longer - recent != 4
    client.force_login(reader)
    assert [_csv_knives(client, knife_place, p) for p in ("4w", "12w")] == ["5", "10"]


def test_a_reader_who_may_read_every_incident_keeps_exact_figures(client, city, knife_place):
    hub = city.users[Role.HUB_PRACTITIONER]
    Event.objects.update(reporting_agency=hub.agency)  # every incident its own agency's
    assert pages.exact_reader(hub)
    client.force_login(hub)
    for period, exact in (("4w", 7), ("12w", 11)):
        shown = _places(hub, period)
        row = shown.figure.row_keys.index(str(knife_place.pk))
        assert shown.figure.counts[row][0] == exact
        # The suppressed table as before (here 7 and 11, or * where secondary suppression
        # hides them): not rounded.
        assert not shown.rounded
        assert shown.cells == suppress_table(shown.figure.counts).cells
        assert shown.cells[row][0] in (exact, "*")
        assert _csv_knives(client, knife_place, period) == str(shown.cells[row][0])
    unrounded = _places(hub, "4w").cells  # some count shown that is no multiple of 5
    assert any(isinstance(v, int) and v % 5 for row in unrounded for v in row)
    body = client.get("/dashboard/violence-reduction/").content.decode()
    assert "Figures are rounded" not in body


@pytest.mark.parametrize("app", APPS)
def test_every_output_a_reader_of_aggregates_gets_is_rounded(client, city, knife_place, app):
    """Page table, "At a glance", chart, CSV and XLSX: 0, "fewer than 5" or a multiple of 5;
    and the page says so in plain words."""
    client.force_login(city.users[Role.ANALYST])
    for period in ("4w", "12w", "26w", "52w"):
        response = client.get(f"/dashboard/{app}/", {"period": period})
        for s in response.context["figures"]:
            assert s.rounded
            values = [v for row in s.cells for v in row] + [*s.row_totals, *s.column_totals,
                                                            s.grand_total]
            values += [v for _, v in s.headline]
            values += [bar["value"] for bar in s.svg()["bars"] if s.figure.chart != "rates"]
            for v in values:
                assert v == 0 or v == "fewer than 5" or (isinstance(v, int) and v % 5 == 0), (
                    s.figure.key, v)
            rows = list(csv.reader(io.StringIO(client.get(
                f"/dashboard/{app}/{s.figure.key}.csv", {"period": period}).content.decode())))
            skip = 1 + len(s.plain_columns)
            for row in rows[3:4 + len(s.figure.rows)]:
                for v in row[skip:skip + len(s.figure.columns) + 1]:
                    assert v in ("0", "fewer than 5") or int(v) % 5 == 0, (s.figure.key, v)
            assert "totals may not add up" in rows[-1][0]
    body = response.content.decode()
    assert "Figures are rounded to the nearest 5" in body and "totals may not add up" in body
    glance = body[body.index('id="at-a-glance"'):body.index('data-module="govuk-tabs"')]
    for v in re.findall(r"<strong>([^<]*)</strong>", glance):
        assert v in ("0", "fewer than 5") or int(v) % 5 == 0


def test_shares_and_scores_are_worked_from_rounded_counts(client, city, knife_place):
    client.force_login(city.users[Role.ANALYST])
    shown = client.get("/dashboard/safer-options/").context["figures"]
    timescales = next(s for s in shown if s.figure.key == "timescales")
    (_, shares), = timescales.plain_columns
    for (on_time, late, overdue, _), share in zip(timescales.cells, shares, strict=True):
        due = (on_time, late, overdue)
        if all(isinstance(v, int) for v in due) and sum(due):
            assert share == f"{round(100 * on_time / sum(due))}%"
        elif not all(isinstance(v, int) for v in due):
            assert share == "not shown"
    violence = client.get("/dashboard/violence-reduction/").context["figures"]
    hot = next(s for s in violence if s.figure.key == "hot_spots")
    for _, values in hot.plain_columns:
        assert set(values) <= {"not shown"}


def test_a_drill_down_cell_is_rounded_as_the_page_shows_it(client, city, knife_place):
    """The Hub practitioner, not granted every partner's incidents, reads rounded figures on
    the drill-down too, so listed and withheld never add up to an exact cell."""
    hub = city.users[Role.HUB_PRACTITIONER]
    assert not pages.exact_reader(hub)
    client.force_login(hub)
    shown = client.get("/dashboard/exploitation/", {"period": "12w"}).context["figures"]
    missing = next(s for s in shown if s.figure.key == "missing")
    for i, key in enumerate(missing.figure.row_keys):
        for j, col in enumerate(missing.figure.column_keys):
            found = client.get("/dashboard/exploitation/missing/people/",
                               {"period": "12w", "row": key, "col": col}).context["found"]
            assert found.value == missing.cells[i][j]
            if found.withheld is not None:
                assert found.withheld == 0 or found.withheld == "fewer than 5" \
                    or found.withheld % 5 == 0
