"""A weekly 90-minute meeting: the agenda carries over only what still needs the meeting, says
how long an item has waited, and shows first what the meeting can get through."""

import datetime as dt
import re

import pytest
from django.test import Client

from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.models import AgendaItem, ItemKind, MeetingStatus

from .builders import flagged_child
from .factories import AT, MeetingFactory

pytestmark = pytest.mark.django_db


def _last_week(world):
    return MeetingFactory(locality=world.north, held_on=dt.date(2026, 2, 24),
                          status=MeetingStatus.CLOSED, agenda_built_at=AT - dt.timedelta(days=7))


def _missed(meeting, concern, number, **sources):
    return AgendaItem.objects.create(
        meeting=meeting, kind=ItemKind.CHILD, key=f"person:{concern.person_id}",
        person=concern.person, why="x", position=number, closed_number=number,
        sources={"concerns": [concern.pk], **sources}, created_at=AT)


def _chair_page(world) -> str:
    client = Client()
    client.force_login(world.users["chair"])
    response = client.get(f"/meetings/{world.meeting.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_item_whose_concern_was_decided_is_not_carried_and_the_agenda_says_why(world):
    last_week = _last_week(world)
    old = dt.timedelta(days=8)
    decided = flagged_child(world.north, raised_at=AT - old)
    still_open = flagged_child(world.north, raised_at=AT - old)
    _missed(last_week, decided, 1)
    _missed(last_week, still_open, 2)
    decided.outcome = "no_further_action"
    decided.save()

    build_agenda(world.meeting)

    keys = set(world.meeting.items.values_list("key", flat=True))
    assert f"person:{still_open.person_id}" in keys
    assert f"person:{decided.person_id}" not in keys
    page = _chair_page(world)
    assert "Not carried over from the meeting on 24 February 2026" in page
    assert "Item 1: its concerns have been decided or withdrawn." in page


def test_a_carried_item_says_how_many_meetings_it_has_waited(world):
    last_week = _last_week(world)
    concern = flagged_child(world.north, raised_at=AT - dt.timedelta(days=20))
    _missed(last_week, concern, 1, carried_from=[], meetings_waited=2)

    build_agenda(world.meeting)

    item = world.meeting.items.get(key=f"person:{concern.person_id}")
    assert item.sources["meetings_waited"] == 3
    assert item.sources["concerns"] == [concern.pk]
    assert "waited 3 meetings" in _chair_page(world)


def test_the_page_shows_what_the_meeting_can_get_through_first_and_drops_nothing(world,
                                                                                   settings):
    settings.MEETINGS_AGENDA_TARGET = 2
    for _ in range(4):
        flagged_child(world.north)
    build_agenda(world.meeting)

    page = _chair_page(world)
    assert "4 items on the agenda. The meeting can get through about 2" in page
    table = page[page.index("<tbody"):page.index("</tbody>")]
    numbers = re.findall(r'<span class="govuk-caption-m govuk-!-font-size-16">(\d+)\. ', table)
    assert numbers == ["1", "2", "3", "4"]
    line = table.index('id="if-there-is-time"')
    assert table.index("2. ") < line < table.index("3. ")
    assert "If there is time (items 3 on)" in table


def test_a_short_agenda_has_no_if_there_is_time_line(world, settings):
    settings.MEETINGS_AGENDA_TARGET = 15
    flagged_child(world.north)
    build_agenda(world.meeting)
    assert "If there is time" not in _chair_page(world)
