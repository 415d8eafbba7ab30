"""A first view only counts, so it reads who each event is about only where the event has no
place (dashboards.sources): every figure must count exactly what a full read counts, with
and without filters, and a drill-down still finds the children behind a cell."""

import datetime as dt

import pytest

from saferoptions.core.models import AgencyKind, Role
from saferoptions.dashboards import needs, violence
from saferoptions.dashboards.filters import parse
from tests.core.factories import AgencyFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(city):
    """The dashboard city's violence all has a place: add knife incidents and stop-searches
    with none, whose locality is the child's home."""
    police = AgencyFactory(kind=AgencyKind.POLICE)
    for n, child in enumerate(city.children[:9]):
        for event_type, category in (("police_incident", "knife"), ("stop_search", "drugs")):
            event = EventFactory(event_type=event_type, category=category, place=None,
                                 occurred_at=NOW - dt.timedelta(days=2 + n), reported_at=NOW,
                                 reporting_agency=police)
            InvolvementFactory(event=event, person=child, role="subject")
    return city
QUERIES = ({}, {"period": "4w"}, {"ward": "first"}, {"locality": "here"},
           {"locality": "here", "age": "14-15"})


def _counts(query: dict, *, counting: bool) -> dict:
    filters = parse(query)
    filters.counting = counting
    built = [*violence.figures(filters), needs.needs_assessment(filters)]
    return {f.key: (f.rows, f.counts) for f in built}


@pytest.mark.parametrize("query", QUERIES)
def test_a_counting_view_counts_what_a_full_read_counts(city, query):
    if query.get("locality"):
        query = {**query, "locality": city.here.slug}
    if query.get("ward"):
        query = {"ward": city.here.wards.order_by("name").first().code}
    assert _counts(query, counting=True) == _counts(query, counting=False)
    assert any(sum(map(sum, counts)) for _, counts in _counts(query, counting=True).values())


def test_a_drill_down_of_the_counted_view_lists_the_children(client, city):
    client.force_login(city.users[Role.HUB_PRACTITIONER])
    page = client.get("/dashboard/violence-reduction/", {"locality": city.here.slug})
    knife = next(s for s in page.context["figures"] if s.figure.key == "knife")
    week = next(k for k, n in zip(knife.figure.column_keys, knife.figure.counts[0], strict=True)
                if n)
    drill = client.get("/dashboard/violence-reduction/knife/people/",
                       {"locality": city.here.slug, "row": str(city.here.pk), "col": week})
    assert drill.status_code == 200
    assert drill.context["found"].people

