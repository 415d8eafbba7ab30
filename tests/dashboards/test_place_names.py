"""Place names on the Violence Reduction app (the busiest places, the hot spots and next
week's forecast) come through the access policy for each reader, audited: a reader who may
not list places sees the same figures, suppressed as usual, and no place's name anywhere."""

import copy
import datetime as dt
import io

import openpyxl
import pytest

from saferoptions.analytics.suppression import round_table
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import AgencyKind, Role
from tests.contexts.factories import PlaceFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
APP = "/dashboard/violence-reduction/"
NAMES = ("Fictional Underpass", "Quiet Park")
LAST_MONDAY = dt.date(2026, 8, 24)  # the conftest's clock: Wednesday 2 September 2026


def _knife(place, day: dt.date, hour: int) -> None:
    at = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    EventFactory(event_type="police_incident", category="knife", occurred_at=at,
                 reported_at=at, reporting_agency=place.police, place=place)


@pytest.fixture
def streets(db, settings):
    """A busy underpass (2 a week for 20 weeks: a hot spot), a quiet park (3 in all); the
    analyst here may list no places, the strategic lead may."""
    rules = copy.deepcopy(settings.ACCESS_ROLE_RULES)
    rules[Role.ANALYST]["contexts"] = []
    settings.ACCESS_ROLE_RULES = rules
    police = AgencyFactory(kind=AgencyKind.POLICE)
    busy = PlaceFactory(name=NAMES[0], latitude=51.4545, longitude=-2.5879)
    quiet = PlaceFactory(name=NAMES[1], latitude=51.4700, longitude=-2.5500)
    for place in (busy, quiet):
        place.police = police
    for w in range(20):
        for hour in (18, 21):
            _knife(busy, LAST_MONDAY - dt.timedelta(weeks=w, days=-4), hour)
    for w in (3, 5, 9):
        _knife(quiet, LAST_MONDAY - dt.timedelta(weeks=w, days=-4), 20)
    return {"busy": busy, "quiet": quiet,
            "lead": UserFactory(username="lead", role=Role.STRATEGIC_LEAD),
            "analyst": UserFactory(username="analyst", role=Role.ANALYST)}


def _everything_seen(client, user) -> tuple[dict, str]:
    """The page's figures, and the page, its CSVs and spreadsheets and the forecast as text."""
    client.force_login(user)
    page = client.get(APP)
    texts = [page.content.decode(), client.get(f"{APP}forecast/").content.decode()]
    for key in ("places", "hot_spots"):
        texts.append(client.get(f"{APP}{key}.csv").content.decode())
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{APP}{key}.xlsx").content)).active
        texts.extend(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    return {s.figure.key: s for s in page.context["figures"]}, "\n".join(texts)


def test_a_reader_who_may_not_list_places_sees_no_place_name_on_the_page_or_in_a_download(
        client, streets):
    lead_figures, lead_sees = _everything_seen(client, streets["lead"])
    figures, analyst_sees = _everything_seen(client, streets["analyst"])
    for name in NAMES:
        assert name in lead_sees
        assert name not in analyst_sees
    assert NAMES[0] in " ".join(lead_figures["hot_spots"].figure.rows)  # named as a hot spot
    for key in ("places", "hot_spots"):  # the figures stay, suppressed as for anyone
        assert figures[key].cells == lead_figures[key].cells
        assert figures[key].figure.row_keys == lead_figures[key].figure.row_keys
    places = figures["places"]
    assert places.figure.rows == ["Place 1 (name not shown)", "Place 2 (name not shown)"]
    # Its counts as for any reader of aggregates, rounded: the park's 3 is "fewer than 5".
    assert places.cells == round_table(places.figure.counts).cells
    assert places.cells[1][0] == "fewer than 5"
    assert all(row.endswith("(no place named)") for row in figures["hot_spots"].figure.rows)


def test_the_names_read_are_audited(client, streets):
    for who in ("lead", "analyst"):
        client.force_login(streets[who])
        client.get(APP)
        client.get(f"{APP}places.csv")
        client.get(f"{APP}forecast/")
    listed = AuditEntry.objects.filter(action="list", object_type="place").order_by("pk")
    by_user = [(e.actor.username, e.detail.get("figure") or e.detail["figures"], e.object_ids)
               for e in listed]
    ids = sorted([streets["busy"].pk, streets["quiet"].pk])
    assert [(u, f, sorted(int(i) for i in o)) for u, f, o in by_user] == [
        ("lead", ["places", "hot_spots"], ids), ("lead", "places", ids),
        ("lead", "forecast", ids),
        ("analyst", ["places", "hot_spots"], []), ("analyst", "places", []),
        ("analyst", "forecast", [])]
