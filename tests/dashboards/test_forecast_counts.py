"""The place forecast's incidents per hexagon and week, counted mostly in the database, against
an independent count of the events one by one: knife incidents and ED assaults of under-25s
with a known place, each once, in its local week (summer time included)."""

import collections
import datetime as dt

import h3
import pytest
from django.conf import settings

from saferoptions.core import clock
from saferoptions.core.models import AgencyKind
from saferoptions.dashboards import forecast
from saferoptions.events.models import Event, EventObject
from tests.contexts.factories import PlaceFactory
from tests.core.factories import AgencyFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from . import expected as ex

pytestmark = pytest.mark.django_db


def _independent(f) -> dict:
    counted = collections.Counter()
    rows = Event.objects.filter(occurred_at__gte=f.start, occurred_at__lt=f.end).select_related(
        "place").prefetch_related("involvements__person", "pole_objects")
    for e in rows:
        if e.place is None or e.place.latitude is None or e.place.longitude is None:
            continue
        subject = next((i.person for i in sorted(e.involvements.all(), key=lambda i: i.pk)
                        if i.role in ex.SUBJECT_ROLES), None)
        if ex.is_knife(e, subject) or ex.is_ed_under_25(e, subject):
            cell = h3.latlng_to_cell(e.place.latitude, e.place.longitude,
                                     settings.H3_RESOLUTION)
            counted[(cell, ex.monday(e.occurred_at))] += 1
    return dict(counted)


def _edges() -> None:
    """A knife at 23:30 UTC on a summer Sunday (00:30 Monday in London); an ED assault of a
    30-year-old with a knife among its objects; one of a 30-year-old without."""
    police, hospital = (AgencyFactory(kind=k) for k in (AgencyKind.POLICE,
                                                         AgencyKind.HOSPITAL_ED))
    place = PlaceFactory(latitude=51.4620, longitude=-2.6010)
    sunday = dt.datetime(2026, 8, 16, 23, 30, tzinfo=dt.UTC)
    EventFactory(event_type="police_incident", category="knife", occurred_at=sunday,
                 reported_at=sunday, reporting_agency=police, place=place)
    for knife in (True, False):
        at = sunday - dt.timedelta(days=20, hours=3)
        event = EventFactory(event_type="ed_assault", category="violence", occurred_at=at,
                             reported_at=at, reporting_agency=hospital, place=place)
        InvolvementFactory(event=event, role="patient",
                           person=PersonFactory(date_of_birth=dt.date(1996, 1, 5)))
        if knife:
            EventObject.objects.create(event=event, kind="knife", description="Kitchen knife")


def test_counts_per_hexagon_and_week_match_the_events_one_by_one(city):
    _edges()
    filters, _ = forecast._history(clock.now())
    counts = forecast.incidents(filters)
    got = {(c, w): n for c, w, n in counts.iter_rows()}
    assert got == _independent(filters)
    assert sum(got.values()) > 10
    # The summer Sunday night's knife is in the week of Monday 17 August.
    cell = h3.latlng_to_cell(51.4620, -2.6010, settings.H3_RESOLUTION)
    assert got[(cell, dt.date(2026, 8, 17))] == 1
    assert got[(cell, dt.date(2026, 7, 27))] == 1  # the 30-year-old's with a knife only
    assert counts.columns == ["cell", "week", "n"]
