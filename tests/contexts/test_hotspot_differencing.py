"""The hot-spot filters cannot be subtracted to learn a small count (found attacking the demo).

A strategic lead or analyst asked for 20:00 to 23:00 and then 21:00 to 23:00 and read 31 and
30 events: one assault at one place in one hour, the very count suppression hides. Readers
of aggregates now get whole weeks, four-hour bands and every count rounded to 5; readers the
policy lets read the incidents themselves (a police officer, for their own force's incidents
and the hospital's shared ones) still get exact counts.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.contexts.hotspot_page import banded
from saferoptions.core.models import Role
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db
# A Friday in July (BST): 22:30 UTC is 23:30 local.
FRIDAY_NIGHT = dt.datetime(2026, 7, 3, 22, 30, tzinfo=dt.UTC)
EVENING = {"hour_from": 20, "hour_to": 23, "event_types": ["ed_assault"]}
LATER = {"hour_from": 21, "hour_to": 23, "event_types": ["ed_assault"]}


@pytest.fixture
def bearpit(world):
    """31 assaults at one place: 30 late at night and one, alone, between 20:00 and 21:00."""
    place = PlaceFactory(name="Bearpit", latitude=51.4590, longitude=-2.5890)
    for i in range(30):
        EventFactory(event_type="ed_assault", place=place, reporting_agency=world.hospital,
                     occurred_at=FRIDAY_NIGHT + dt.timedelta(days=7 * (i % 10)))
    EventFactory(event_type="ed_assault", place=place, reporting_agency=world.hospital,
                 occurred_at=FRIDAY_NIGHT - dt.timedelta(hours=3))
    return place


@pytest.fixture
def police_analyst(world):
    """A police officer of the force, whose agency the hospital shares its assaults with."""
    AgreementFactory(provider=world.hospital, recipient=world.police,
                     categories=["health"], purposes=["direct_work"])
    return UserFactory(role=Role.POLICE_OFFICER, agency=world.police)


def _events(client, query) -> str:
    body = client.get(reverse("contexts:hotspots"), query).content.decode()
    return re.search(r"Events in this view: ([^.]+)\.", body).group(1)


def _difference(client) -> int | None:
    evening, later = _events(client, EVENING), _events(client, LATER)
    if evening.isdigit() and later.isdigit():
        return int(evening) - int(later)
    return None


def test_an_exact_reader_sees_the_difference_the_attack_relied_on(client, world, bearpit,
                                                                police_analyst):
    assert policy.exact_counts(police_analyst, event_types=["ed_assault"])
    client.force_login(police_analyst)
    assert _difference(client) == 1  # what every reader got before, from two exact counts
    assert _events(client, LATER) == "30"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STRATEGIC_LEAD, Role.LICENSING_OFFICER])
def test_a_reader_of_aggregates_cannot_difference_a_small_count(client, world, bearpit, role):
    assert not policy.exact_counts(world.users[role], event_types=["ed_assault"])
    client.force_login(world.users[role])
    # Both views are widened to the 20:00 to 24:00 band: the same figures, rounded.
    assert _events(client, EVENING) == _events(client, LATER) == "30"  # 31, rounded
    assert _difference(client) == 0
    body = client.get(reverse("contexts:hotspots"), LATER).content.decode()
    assert "Figures here are rounded to the nearest 5" in body
    assert "This view covers 20:00 to 00:00." in body
    assert ">31<" not in body and ">1<" not in body


def test_dates_are_whole_weeks_for_a_reader_of_aggregates(client, world, bearpit):
    client.force_login(world.users[Role.ANALYST])
    # Friday alone, then Saturday to the end of the week: both widen to the same week.
    friday = _events(client, {"date_from": "2026-07-03", "date_to": "2026-07-03"})
    weekend = _events(client, {"date_from": "2026-07-04", "date_to": "2026-07-05"})
    assert friday == weekend
    body = client.get(reverse("contexts:hotspots"),
                      {"date_from": "2026-07-03", "date_to": "2026-07-03"}).content.decode()
    assert "This view covers 29 June 2026 to 5 July 2026." in body


def test_the_method_and_time_table_show_no_exact_count_to_a_reader_of_aggregates(
        client, world, bearpit):
    client.force_login(world.users[Role.ANALYST])
    body = client.get(reverse("contexts:hotspots")).content.decode()
    # 33 events in all (31 assaults, the world's 2 incidents): every count in the day-and-time
    # table and the method is 0, rounded to 5 or "fewer than 5", totals included.
    table = body[body.index("By day and time"):body.index("Getis-Ord Gi* says")]
    shown = set(re.findall(r'--numeric">([^<]*)</td>', table))
    assert "Events</dt><dd class=\"govuk-summary-list__value\">35</dd>" in table
    assert "33" not in shown
    assert all(v in ("0", "fewer than 5") or int(v) % 5 == 0 for v in shown if "." not in v)


def test_a_wrapping_hour_range_inside_one_band_is_the_whole_day():
    assert banded({"hour_from": 6, "hour_to": 5}) == {"hour_from": None, "hour_to": None}
    assert banded({"hour_from": 21, "hour_to": 2}) == {"hour_from": 20, "hour_to": 3}
    assert banded({"hour_from": 5, "hour_to": 6}) == {"hour_from": 4, "hour_to": 7}


def test_a_partner_not_shared_the_incidents_reads_them_rounded(world, bearpit):
    """A police officer whose force the hospital shares nothing with: aggregates only."""
    officer = UserFactory(role=Role.POLICE_OFFICER, agency=world.police)
    assert not policy.exact_counts(officer, event_types=["ed_assault"])
    EventFactory(event_type="police_incident", place=bearpit, reporting_agency=world.police)
    assert policy.exact_counts(officer, event_types=["police_incident"])  # the force's own
    EventFactory(event_type="police_incident", place=bearpit)  # another force's
    assert not policy.exact_counts(officer, event_types=["police_incident"])


def test_clustering_scores_are_not_shown_to_a_reader_of_aggregates(client, world, bearpit,
                                                                    police_analyst):
    """A quiet hexagon's Gi* z moves in steps with its own count: the steps would count it."""
    client.force_login(world.users[Role.ANALYST])
    body = client.get(reverse("contexts:hotspots")).content.decode()
    assert "clustering score not shown" in body and "Hot spot</strong>" in body
    assert not re.search(r'--numeric">-?\d+\.\d\d</td>', body)
    client.force_login(police_analyst)
    body = client.get(reverse("contexts:hotspots")).content.decode()
    assert re.search(r'--numeric">-?\d+\.\d\d</td>', body)


def test_the_last_day_of_the_calendar_widens_to_itself(client, world, bearpit):
    """31/12/9999 is a Friday: its week's Sunday is past the calendar (a 500 before)."""
    assert banded({"date_to": dt.date(9999, 12, 31)})["date_to"] == dt.date(9999, 12, 31)
    client.force_login(world.users[Role.ANALYST])
    response = client.get(reverse("contexts:hotspots"),
                          {"date_from": "01/01/0001", "date_to": "31/12/9999"})
    assert response.status_code == 200
