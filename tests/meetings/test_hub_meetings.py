"""The Hub sees the meetings of its localities: every locality's when it is city-wide."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role

from .conftest import _user
from .factories import AttendeeFactory, MeetingFactory
from .test_pages import client_for

pytestmark = pytest.mark.django_db


def test_a_city_wide_hub_practitioner_sees_every_localitys_meetings(world):
    hub = _user("hub", Role.HUB_PRACTITIONER, "social-care", "hub")
    south = MeetingFactory(locality=world.south, held_on=dt.date(2026, 3, 10))
    past = MeetingFactory(locality=world.south, held_on=dt.date(2026, 2, 24))
    page = client_for(hub).get("/meetings/").content.decode()
    for meeting in (world.meeting, south, past):
        assert f"/meetings/{meeting.pk}/" in page
    assert "You may run the meetings of every locality" in page
    assert AuditEntry.objects.filter(actor=hub, action="list",
                                     object_type="locality_meeting").count() == 1


def test_an_invitation_does_not_narrow_a_city_wide_chairs_meetings(world):
    # An invitation used to replace "every locality" by "the ones I am invited to".
    hub = _user("hub", Role.HUB_PRACTITIONER, "social-care", "hub")
    AttendeeFactory(meeting=world.meeting, user=hub)
    south = MeetingFactory(locality=world.south, held_on=dt.date(2026, 3, 10))
    page = client_for(hub).get("/meetings/").content.decode()
    assert f"/meetings/{south.pk}/" in page and f"/meetings/{world.meeting.pk}/" in page
    assert client_for(hub).get(f"/meetings/{south.pk}/").status_code == 200


def test_a_hub_practitioner_of_one_locality_sees_that_localitys_meetings_only(world):
    hub = _user("northhub", Role.HUB_PRACTITIONER, "social-care", "hub", "north")
    south = MeetingFactory(locality=world.south, held_on=dt.date(2026, 3, 10))
    client = client_for(hub)
    page = client.get("/meetings/").content.decode()
    assert f"/meetings/{world.meeting.pk}/" in page and f"/meetings/{south.pk}/" not in page
    assert client.get(f"/meetings/{south.pk}/").status_code == 404


def test_past_meetings_are_paged_fifty_at_a_time(world):
    hub = _user("hub", Role.HUB_PRACTITIONER, "social-care", "hub")
    for week in range(1, 56):
        MeetingFactory(locality=world.south,
                       held_on=dt.date(2026, 3, 3) - dt.timedelta(weeks=week))
    client = client_for(hub)
    first = client.get("/meetings/").content.decode()
    rows = '<td class="govuk-table__cell"><a class="govuk-link" href="/meetings/'
    assert first.count(rows) == 1 + 50  # this week's meeting, then 50 past ones
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get("/meetings/?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert client.get("/meetings/?page=nonsense").status_code == 200
