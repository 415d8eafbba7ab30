"""Safer Options' "Demand in the coming weeks": who may see it, forecasts with 80% intervals
and their past coverage, small lines not forecast, reproducible."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import AgencyKind, Role
from tests.contexts.factories import PlaceFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
URL = "/dashboard/safer-options/demand/"
# The conftest's clock: Wednesday 2 September 2026; the last whole week ends Sunday 30 August.
LAST_MONDAY = dt.date(2026, 8, 24)


@pytest.fixture
def missing(db):
    """Missing episodes found at a place in one locality: 3 a week for a year."""
    police = AgencyFactory(kind=AgencyKind.POLICE)
    busy = PlaceFactory(name="Fictional Bus Station", latitude=51.4545, longitude=-2.5879)
    for w in range(52):
        for day in range(3):
            at = dt.datetime.combine(LAST_MONDAY - dt.timedelta(weeks=w, days=-day),
                                     dt.time(19), tzinfo=dt.UTC)
            EventFactory(event_type="missing_episode", category="missing", occurred_at=at,
                         reported_at=at, reporting_agency=police, place=busy)
    return {role: UserFactory(username=role, role=role) for role in Role.values}


@pytest.mark.parametrize("role", [Role.STRATEGIC_LEAD, Role.HUB_PRACTITIONER])
def test_the_dashboard_roles_see_the_outlook_and_it_is_audited(client, missing, role):
    client.force_login(missing[role])
    response = client.get(URL)
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="view", object_type="dashboard").latest("pk")
    assert entry.detail["figure"] == "demand" and entry.detail["from"] == "2026-08-31"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COMMUNITY_MEMBER])
def test_others_get_the_common_404(client, missing, role):
    client.force_login(missing[role])
    assert client.get(URL).status_code == 404


def test_a_busy_line_is_forecast_with_intervals_and_coverage_and_small_ones_are_not(
        client, missing):
    client.force_login(missing[Role.ANALYST])
    page = client.get(URL).context["page"]
    lines = [line for line in page.lines if line.series == "Missing episodes" and line.ahead]
    assert len(lines) == 1
    (line,) = lines
    assert line.recorded == 156
    assert [h for h, _ in line.ahead] == [4, 8, 12]
    for _, week in line.ahead:
        assert week.low <= 3 <= week.high and 2 < week.expected < 4
    assert 0 <= line.coverage <= 1 and page.coverage_outcomes == 12 * 4
    quiet = [line for line in page.lines if line.series == "Concerns raised"]
    assert quiet and all(not line.ahead for line in quiet)
    text = client.get(URL).content.decode()
    assert "Not shown (fewer than 5 recorded)" in text and "80% interval" in text
    again = client.get(URL).context["page"]
    assert again.lines[page.lines.index(line)].ahead == line.ahead


def test_the_safer_options_page_links_to_it(client, missing):
    client.force_login(missing[Role.STRATEGIC_LEAD])
    assert URL in client.get("/dashboard/safer-options/").content.decode()
