"""A break-glass grant is for reading: it never puts a child on a meeting's agenda.

A child on the agenda gives everyone at the meeting, the chair included, the child's record
from days before to weeks after the meeting. A chair holding only a 24-hour grant could add
the child and keep the record for five weeks (found attacking a demo clone).
"""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.cases.models import MeetingAttendance
from saferoptions.core import clock
from saferoptions.meetings import services
from saferoptions.meetings.errors import Refused
from tests.access.factories import BreakGlassGrantFactory
from tests.cases.factories import TeamMemberFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(world):
    """A south child the north chair has no work with."""
    return PersonFactory(given_name="Quennell", family_name="Stranger", locality=world.south)


def _grant(user, person):
    now = clock.now()
    return BreakGlassGrantFactory(user=user, person=person, granted_at=now,
                                  expires_at=now + dt.timedelta(hours=24))


def test_a_chair_holding_only_a_grant_cannot_add_the_child_to_the_agenda(world, stranger):
    chair = world.users["chair"]
    _grant(chair, stranger)
    with pytest.raises(Refused) as refused:
        services.add_item(actor=chair, meeting=world.meeting, person=stranger)
    assert "break-glass" in refused.value.message
    assert not world.meeting.items.filter(person=stranger).exists()
    assert not MeetingAttendance.objects.filter(person=stranger).exists()


def test_the_add_page_says_why_and_gives_no_standing_access(world, stranger):
    chair = world.users["chair"]
    _grant(chair, stranger)
    client = Client()
    client.force_login(chair)
    response = client.post(f"/meetings/{world.meeting.pk}/add/",
                           {"kind": "child", "ref": str(stranger.public_id)})
    assert response.status_code == 400
    assert b"break-glass" in response.content
    assert not MeetingAttendance.objects.filter(user=chair, person=stranger).exists()


def test_a_chair_who_works_with_the_child_still_adds_them(world):
    chair = world.users["chair"]
    child = world.known_to_police
    _grant(chair, child)  # a grant as well as the work: the work is what counts
    TeamMemberFactory(person=child, user=chair, started_on=clock.today() - dt.timedelta(days=3))
    item = services.add_item(actor=chair, meeting=world.meeting, person=child)
    assert item.person == child
