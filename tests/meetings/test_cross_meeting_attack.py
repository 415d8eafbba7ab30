"""Another locality's meeting, reached through ids: the north chair guesses the south meeting's
item and action ids, under the south meeting's address and under their own meeting's.

Every page and every post meets the common 404 and nothing changes (held on a demo clone and
kept here as a regression test).
"""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.core.models import Agency
from saferoptions.meetings.models import AgendaItem, MeetingAction
from tests.core.factories import TeamFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .factories import AgendaItemFactory, MeetingFactory
from .test_pages import run_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_item(world):
    return AgendaItemFactory(meeting=world.meeting, person=world.known_to_police, kind="child",
                             position=1)


@pytest.fixture
def south(world):
    """The south meeting, held and discussed, with an action."""
    meeting = MeetingFactory(locality=world.south, held_on=dt.date(2026, 3, 3))
    child = PersonFactory(given_name="Southwell", family_name="Child", locality=world.south)
    IdentityFactory(person=child, agency=Agency.objects.get(slug="social-care"))
    item = AgendaItemFactory(meeting=meeting, person=child, kind="child", position=1,
                             notes="Said at the south meeting", decision="South decision")
    action = MeetingAction.objects.create(
        item=item, description="South action", team=TeamFactory(), due_on=dt.date(2026, 3, 10),
        created_by=world.users["south_chair"], created_at=meeting.created_at)
    return meeting, item, action


def _pages(meeting_pk, item, action):
    return [
        f"/meetings/{meeting_pk}/", f"/meetings/{meeting_pk}/minutes/",
        f"/meetings/{meeting_pk}/items/{item.pk}/",
        f"/meetings/{meeting_pk}/items/{item.pk}/actions/{action.pk}/correct/",
    ]


def _posts(meeting_pk, item, action):
    base = f"/meetings/{meeting_pk}/items/{item.pk}"
    return [
        (f"{base}/discussion/", {"notes": "x", "decision": "Overwritten", "discussed": "on"}),
        (f"{base}/actions/", {"description": "Planted", "due_on_0": "10", "due_on_1": "3",
                              "due_on_2": "2026"}),
        (f"{base}/actions/{action.pk}/withdraw/", {"reason": "Not ours"}),
        (f"{base}/actions/{action.pk}/correct/", {"description": "Changed", "reason": "x"}),
    ]


def _chair(world) -> Client:
    client = Client()
    client.force_login(world.users["chair"])
    return client


def test_the_north_chair_meets_404_on_the_south_meeting_and_changes_nothing(world, north_item,
                                                                            south):
    run_meeting(world)
    meeting, item, action = south
    chair = _chair(world)
    for url in _pages(meeting.pk, item, action):
        response = chair.get(url)
        assert response.status_code == 404, url
        assert b"Southwell" not in response.content and b"South decision" not in response.content
    for url, data in _posts(meeting.pk, item, action):
        assert chair.post(url, data).status_code == 404, url
    _unchanged(item, action)


def test_the_south_items_ids_under_the_north_meetings_address_meet_404(world, north_item, south):
    run_meeting(world)  # the north chair runs their own meeting: every chair's post is allowed
    _, item, action = south
    chair = _chair(world)
    for url in _pages(world.meeting.pk, item, action)[2:]:
        response = chair.get(url)
        assert response.status_code == 404, url
        assert b"Southwell" not in response.content and b"South decision" not in response.content
    for url, data in _posts(world.meeting.pk, item, action):
        assert chair.post(url, data).status_code == 404, url
    # a north item with a south action's id: the action is not the item's
    assert chair.get(f"/meetings/{world.meeting.pk}/items/{north_item.pk}/actions/"
                     f"{action.pk}/correct/").status_code == 404
    assert chair.post(f"/meetings/{world.meeting.pk}/items/{north_item.pk}/actions/"
                      f"{action.pk}/withdraw/", {"reason": "x"}).status_code == 404
    _unchanged(item, action)


def test_an_invited_officer_cannot_reach_another_meeting_through_their_own(world, north_item,
                                                                          south):
    run_meeting(world)  # the police officer was invited to, and came to, the north meeting
    meeting, item, action = south
    officer = Client()
    officer.force_login(world.users["police"])
    assert officer.get(f"/meetings/{world.meeting.pk}/").status_code == 200
    for url in [*_pages(meeting.pk, item, action), *_pages(world.meeting.pk, item, action)[2:]]:
        assert officer.get(url).status_code == 404, url


@pytest.mark.parametrize("page", ["-1", "abc", "99999999999999999999", "0", "1.5", "\x00"])
def test_a_malformed_page_on_the_list_and_the_agenda_is_never_a_server_error(world, north_item,
                                                                             page):
    chair = _chair(world)
    assert chair.get("/meetings/", {"page": page}).status_code == 200
    assert chair.get(f"/meetings/{world.meeting.pk}/", {"page": page, "sort": "__class__"}
                     ).status_code in (200, 400)


def _unchanged(item, action) -> None:
    item = AgendaItem.objects.get(pk=item.pk)
    action = MeetingAction.objects.get(pk=action.pk)
    assert (item.notes, item.decision) == ("Said at the south meeting", "South decision")
    assert action.description == "South action" and action.withdrawn_at is None
    assert not MeetingAction.objects.filter(description="Planted").exists()
