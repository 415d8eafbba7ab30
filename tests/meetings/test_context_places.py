"""Peer groups and places are reached: a few of the places the meeting gets through are kept
for them (every place fell under "If there is time", after every child whose small concerns
were adding up, week after week), an item carried over comes before new items that weigh the
same, and the agenda says why each item is where it is."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.meetings import agenda, order
from saferoptions.meetings.models import AgendaItem, ItemKind, MeetingStatus
from tests.contexts.factories import PlaceFactory

from .builders import accumulated_child, flagged_child, place_case
from .factories import AT, AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _heavy(world, points):
    concern = accumulated_child(world.north)
    concern.contributions = [{"type": "event", "id": 1, "weight": 1}] * points
    concern.save()
    return concern


def _page(world) -> str:
    client = Client()
    client.force_login(world.users["chair"])
    return client.get(f"/meetings/{world.meeting.pk}/").content.decode()


def test_places_are_kept_among_the_items_the_meeting_reaches(world, settings):
    settings.MEETINGS_AGENDA_TARGET, settings.MEETINGS_CONTEXT_PLACES = 4, 2
    rule = flagged_child(world.north)
    children = [_heavy(world, 10 - n) for n in range(4)]  # 10, 9, 8, 7 points
    places = [place_case(world.north) for _ in range(3)]
    agenda.build_agenda(world.meeting)
    ordered, facts = order.in_order(list(world.meeting.items.all()))
    child, place = ItemKind.CHILD, ItemKind.PLACE
    assert [i.kind for i in ordered] == [child, child, place, place, child, child, child, place]
    # the rule's child and the heaviest stay first; the two lightest of the four reached make
    # room and wait below the line, in their order; the third place after them
    assert [i.person_id for i in ordered if i.person_id] == [
        rule.person_id, *(c.person_id for c in children)]
    assert {i.place_id for i in ordered[2:4]} == {p.place_id for p in places[:2]}
    for moved_up in ordered[2:4]:
        assert facts.placed[moved_up.pk].startswith("Moved up: 2 of the first 4")
    for moved_down in ordered[4:6]:
        assert "Moved below the line" in facts.placed[moved_down.pk]
    assert ordered[6].pk not in facts.placed and ordered[7].pk not in facts.placed
    body = _page(world)
    assert "Moved up: 2 of the first 4 items are kept for peer groups and places" in body
    assert "Moved below the line to make room for a peer group or place" in body
    assert "Weighs 10 points, heaviest first" in body
    assert "2 of the first 4 items are kept for peer groups and places" in body


def test_a_deadline_or_a_rules_flag_is_never_moved_for_a_place(world, settings):
    settings.MEETINGS_AGENDA_TARGET, settings.MEETINGS_CONTEXT_PLACES = 2, 2
    flagged = [flagged_child(world.north) for _ in range(2)]
    place_case(world.north)
    agenda.build_agenda(world.meeting)
    ordered, _ = order.in_order(list(world.meeting.items.all()))
    assert {i.person_id for i in ordered[:2]} == {c.person_id for c in flagged}
    assert ordered[2].kind == ItemKind.PLACE


def test_nothing_moves_when_the_agenda_fits(world, settings):
    settings.MEETINGS_AGENDA_TARGET = 15
    _heavy(world, 8)
    place_case(world.north)
    agenda.build_agenda(world.meeting)
    ordered, facts = order.in_order(list(world.meeting.items.all()))
    assert [i.kind for i in ordered] == [ItemKind.CHILD, ItemKind.PLACE]
    assert facts.placed == {}


def test_an_item_carried_over_comes_before_new_items_of_the_same_weight(world):
    last_week = MeetingFactory(locality=world.north, held_on=dt.date(2026, 2, 24),
                               status=MeetingStatus.CLOSED,
                               agenda_built_at=AT - dt.timedelta(days=7))
    new = _heavy(world, 6)
    waited = _heavy(world, 6)  # arrives after the new one
    heavier = _heavy(world, 7)
    AgendaItem.objects.create(
        meeting=last_week, kind=ItemKind.CHILD, key=f"person:{waited.person_id}",
        person=waited.person, why="x", position=1, closed_number=1,
        sources={"concerns": [waited.pk]}, created_at=AT)
    agenda.build_agenda(world.meeting)
    ordered, facts = order.in_order(list(world.meeting.items.all()))
    assert [i.person_id for i in ordered] == [heavier.person_id, waited.person_id,
                                               new.person_id]  # weight still comes first
    assert "waited 1 meeting, so it comes before new items that weigh the same" in order.placed(
        ordered[1], facts)
    assert order.placed(ordered[2], facts) == "Weighs 6 points, heaviest first"


def test_a_place_carried_over_is_kept_a_place_too(world, settings):
    """A place not reached last week keeps the kind 'carried over': it is a place all the
    same (seen in the demo: a place that had waited one meeting was still item 19)."""
    settings.MEETINGS_AGENDA_TARGET, settings.MEETINGS_CONTEXT_PLACES = 2, 1
    for points in (9, 8):
        _heavy(world, points)
    agenda.build_agenda(world.meeting)
    place = PlaceFactory()
    AgendaItemFactory(meeting=world.meeting, kind=ItemKind.CARRIED_OVER, person=None,
                      place=place, key=f"place:{place.pk}",
                      sources={"carried_from": [], "meetings_waited": 1})
    ordered, facts = order.in_order(list(world.meeting.items.all()))
    assert ordered[1].place_id == place.pk
    assert order.placed(ordered[1], facts).startswith("Moved up: 1 of the first 2 items")
