"""Violence Reduction's "Next week's forecast": who may see it, suppression of small cells,
place names, and past accuracy beside the baseline, honestly worded."""

import datetime as dt

import h3
import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import AgencyKind, Role, Ward
from tests.contexts.factories import PlaceFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
URL = "/dashboard/violence-reduction/forecast/"
VIEWERS = (Role.STRATEGIC_LEAD, Role.ANALYST, Role.LOCALITY_CHAIR, Role.HUB_PRACTITIONER)
# The conftest's clock: Wednesday 2 September 2026; the last whole week ends Sunday 30 August.
LAST_MONDAY = dt.date(2026, 8, 24)


def _knife(place, monday: dt.date, hour: int) -> None:
    at = dt.datetime.combine(monday + dt.timedelta(days=4), dt.time(hour), tzinfo=dt.UTC)
    EventFactory(event_type="police_incident", category="knife", occurred_at=at,
                 reported_at=at, reporting_agency=place.police, place=place)


@pytest.fixture
def streets(db):
    """A busy underpass (2 a week for 20 weeks), a quiet park (3 in all), users of each role."""
    police = AgencyFactory(kind=AgencyKind.POLICE)
    busy = PlaceFactory(name="Fictional Underpass", latitude=51.4545, longitude=-2.5879)
    quiet = PlaceFactory(name="Quiet Park", latitude=51.4700, longitude=-2.5500)
    for place in (busy, quiet):
        place.police = police
    for w in range(20):
        for hour in (18, 21):
            _knife(busy, LAST_MONDAY - dt.timedelta(weeks=w), hour)
    for w in (3, 5, 9):
        _knife(quiet, LAST_MONDAY - dt.timedelta(weeks=w), 20)
    users = {role: UserFactory(username=role, role=role) for role in Role.values}
    return {"busy": busy, "quiet": quiet, "users": users}


def _cell(place) -> str:
    return h3.latlng_to_cell(place.latitude, place.longitude, 9)


@pytest.mark.parametrize("role", VIEWERS)
def test_the_dashboard_roles_see_the_forecast_and_it_is_audited(client, streets, role):
    client.force_login(streets["users"][role])
    response = client.get(URL)
    assert response.status_code == 200
    assert "Next week's forecast" in response.content.decode()
    entry = AuditEntry.objects.filter(action="view", object_type="dashboard").latest("pk")
    assert entry.detail["figure"] == "forecast" and entry.detail["target"] == "2026-09-07"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.POLICE_OFFICER,
                                  Role.DATA_PROTECTION_OFFICER, Role.COMMUNITY_MEMBER])
def test_other_roles_get_the_common_404(client, streets, role):
    client.force_login(streets["users"][role])
    assert client.get(URL).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, streets):
    response = client.get(URL)
    assert response.status_code in (302, 404) and b"Fictional Underpass" not in response.content


def _row(body: str, cell: str) -> str:
    """The forecast table's row of a hexagon (its id is in its last column)."""
    return next(row for row in body.split("<tr")[1:] if f">{cell}</td>" in row)


def test_small_cells_show_no_exact_count_and_busy_ones_do(client, streets):
    client.force_login(streets["users"][Role.ANALYST])
    body = client.get(URL).content.decode()
    busy, quiet = _row(body, _cell(streets["busy"])), _row(body, _cell(streets["quiet"]))
    assert "Fictional Underpass" in busy and ">40<" in busy
    # 2 a week in every week since recording began: recent and long-run rates are both 2.
    assert ">2.0<" in busy
    assert "Quiet Park" in quiet and "&lt;5" in quiet and ">3<" not in quiet
    assert "not shown (fewer than 5 incidents recorded)" in quiet


def test_past_accuracy_is_shown_beside_the_baseline_with_an_honest_verdict(client, streets):
    client.force_login(streets["users"][Role.STRATEGIC_LEAD])
    body = client.get(URL).content.decode()
    assert "Over the last 12 weeks, at 5% of the area" in body
    assert "Last week's hot spots" in body and "PEI*" in body
    # Both flag the underpass every week it matters; the forecast also keeps the park.
    assert "no better than last week&#x27;s hot spots" in body or \
        "better than last week&#x27;s hot spots" in body
    assert "approximate" in body


def test_the_violence_reduction_page_links_to_the_forecast(client, streets):
    client.force_login(streets["users"][Role.ANALYST])
    assert URL in client.get("/dashboard/violence-reduction/").content.decode()
    assert URL not in client.get("/dashboard/exploitation/").content.decode()


def test_with_little_history_the_page_says_it_cannot_score_yet(client, db):
    UserFactory(username="analyst", role=Role.ANALYST)
    client.force_login(UserFactory(username="a2", role=Role.ANALYST))
    body = client.get(URL).content.decode()
    assert "Not enough history to score the forecast yet" in body
    assert "nothing to forecast" in body


def test_each_hexagon_says_which_ward_it_is_in_before_its_id(client, streets):
    # The table led with ids like 89195da49b7ffff, which tell a strategic lead nothing.
    busy = streets["busy"]
    nearest = min(Ward.objects.all(), key=lambda w: (w.latitude - busy.latitude) ** 2
                  + (w.longitude - busy.longitude) ** 2)
    client.force_login(streets["users"][Role.STRATEGIC_LEAD])
    body = client.get(URL).content.decode()
    row = _row(body, _cell(busy))
    assert f'<th scope="row" class="govuk-table__header">{nearest.name}</th>' in row
    assert row.index(nearest.name) < row.index(_cell(busy))
