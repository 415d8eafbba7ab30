"""The agenda builds itself from concerns, accumulation, context cases and overdue tasks."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.meetings import services
from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.errors import Refused
from saferoptions.meetings.models import AgendaItem, ItemKind, LocalityMeeting, MeetingStatus
from saferoptions.tasks.models import TaskStatus

from .builders import (
    SECRET,
    accumulated_child,
    flagged_child,
    group_case,
    overdue_task,
    place_case,
)
from .factories import AT, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    return {
        "flagged": flagged_child(world.north),
        "accumulated": accumulated_child(world.north),
        "group": group_case(world.north),
        "place": place_case(world.north),
        "task": overdue_task(world.north),
        # elsewhere: another locality's concern and place never reach North's agenda
        "south": flagged_child(world.south),
        "south_place": place_case(world.south),
    }


def _items(meeting):
    return {i.key: i for i in meeting.items.all()}


def test_agenda_is_built_from_each_source(world, records):
    result = build_agenda(world.meeting)
    items = _items(world.meeting)
    r = records
    assert result.added == 5 and len(items) == 5
    assert items[f"person:{r['flagged'].person_id}"].kind == ItemKind.CHILD
    assert f"concern {r['flagged'].pk}" in items[f"person:{r['flagged'].person_id}"].why
    assert "added up" in items[f"person:{r['accumulated'].person_id}"].why
    assert items[f"group:{r['group'].group_id}"].kind == ItemKind.GROUP
    assert items[f"place:{r['place'].place_id}"].kind == ItemKind.PLACE
    task_item = items[f"person:{r['task'].person_id}"]  # one item per child, not per task
    assert task_item.kind == ItemKind.OVERDUE_ACTION and task_item.sources["tasks"] == [
        r["task"].pk]
    assert f"person:{r['south'].person_id}" not in items
    assert all(SECRET not in i.why for i in items.values())  # ids and dates only
    world.meeting.refresh_from_db()
    assert world.meeting.agenda_built_at == AT
    assert AuditEntry.objects.filter(object_type="locality_meeting", action="update").exists()


def test_rebuilding_refreshes_without_duplicates_and_keeps_the_discussion(world, records):
    build_agenda(world.meeting)
    item = _items(world.meeting)[f"group:{records['group'].group_id}"]
    item.notes, item.decision, item.discussed = "Mapped the group", "Keep the case open", True
    item.save()
    flagged_child(world.north, person=records["flagged"].person)  # a second flag, same child

    again = build_agenda(world.meeting)

    items = _items(world.meeting)
    assert again.added == 0 and len(items) == 5
    assert world.meeting.items.count() == 5
    kept = items[f"group:{records['group'].group_id}"]
    assert (kept.notes, kept.decision, kept.discussed) == (
        "Mapped the group", "Keep the case open", True)
    assert kept.position == item.position
    assert items[f"person:{records['flagged'].person_id}"].why.count("concern") == 1
    assert len(items[f"person:{records['flagged'].person_id}"].sources["concerns"]) == 2


def test_items_that_no_longer_apply_go_unless_discussed(world, records):
    build_agenda(world.meeting)
    records["task"].status = TaskStatus.DONE
    records["task"].save()
    records["accumulated"].outcome = "early_help"
    records["accumulated"].save()
    discussed = _items(world.meeting)[f"person:{records['accumulated'].person_id}"]
    discussed.decision, discussed.discussed = "Early help offered", True
    discussed.save()

    result = build_agenda(world.meeting)

    items = _items(world.meeting)
    assert result.removed == 1
    assert f"person:{records['task'].person_id}" not in items
    assert f"person:{records['accumulated'].person_id}" in items


def test_only_concerns_since_the_last_meeting_are_new(world):
    last_week = MeetingFactory(locality=world.north, held_on=dt.date(2026, 2, 24),
                               status=MeetingStatus.CLOSED,
                               agenda_built_at=AT - dt.timedelta(days=7))
    old = flagged_child(world.north, raised_at=AT - dt.timedelta(days=8))
    new = flagged_child(world.north, raised_at=AT - dt.timedelta(days=6))
    build_agenda(world.meeting)
    keys = set(_items(world.meeting))
    assert f"person:{new.person_id}" in keys and f"person:{old.person_id}" not in keys
    assert last_week.items.count() == 0


def test_items_not_discussed_last_time_are_carried_over(world):
    last_week = MeetingFactory(locality=world.north, held_on=dt.date(2026, 2, 24),
                               status=MeetingStatus.CLOSED,
                               agenda_built_at=AT - dt.timedelta(days=7))
    case = group_case(world.north)
    flagged = flagged_child(world.north, raised_at=AT - dt.timedelta(days=7, hours=1))
    missed = AgendaItem.objects.create(
        meeting=last_week, kind=ItemKind.CHILD, key=f"person:{flagged.person_id}",
        person=flagged.person, why="x", position=1, created_at=AT)
    AgendaItem.objects.create(
        meeting=last_week, kind=ItemKind.GROUP, key=f"group:{case.group_id}", group=case.group,
        why="x", position=2, discussed=True, decision="Review in a month", created_at=AT)

    build_agenda(world.meeting)

    items = _items(world.meeting)
    carried = items[f"person:{flagged.person_id}"]
    assert carried.kind == ItemKind.CARRIED_OVER
    assert f"item {missed.pk}" in carried.why and "24 Feb 2026" in carried.why
    # the group was discussed; it is back only because its case is still open
    assert items[f"group:{case.group_id}"].kind == ItemKind.GROUP


def test_a_closed_meeting_refuses_a_rebuild(world, records):
    world.meeting.status = MeetingStatus.CLOSED
    world.meeting.save()
    with pytest.raises(Refused):
        build_agenda(world.meeting)
    assert world.meeting.items.count() == 0


def test_the_command_creates_next_weeks_meetings_once_and_builds_them(world, records):
    with clock.frozen(AT + dt.timedelta(days=1)):  # Wednesday: next meeting is the 10th
        call_command("build_meeting_agendas", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("build_meeting_agendas", stdout=open("/dev/null", "w"))  # noqa: SIM115
    next_week = LocalityMeeting.objects.filter(held_on=dt.date(2026, 3, 10))
    assert next_week.count() == 3
    north = next_week.get(locality=world.north)
    assert north.starts_at == dt.time(10, 0) and north.agenda_built_at is not None
    assert north.items.filter(kind=ItemKind.GROUP).count() == 1


def test_the_morning_refresh_touches_only_todays_planned_meetings(world, records):
    later = MeetingFactory(locality=world.north, held_on=dt.date(2026, 3, 10))
    assert services.refresh_todays_agendas() == [world.meeting]
    assert world.meeting.items.count() == 5 and later.items.count() == 0


def test_the_schedules_exist():
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {"Build locality meeting agendas", "Refresh today's locality meeting agendas"} <= names


def test_next_meeting_date_follows_the_setting(settings):
    assert services.next_meeting_date(dt.date(2026, 3, 3)) == dt.date(2026, 3, 3)
    assert services.next_meeting_date(dt.date(2026, 3, 4)) == dt.date(2026, 3, 10)
    settings.MEETINGS_WEEKDAY = 3  # Thursday
    assert services.next_meeting_date(dt.date(2026, 3, 3)) == dt.date(2026, 3, 5)
