"""The agenda in its documented order, each item in one plain line, 50 items to a page."""

import datetime as dt
import re

import pytest
from django.test import Client

from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.meetings import agenda, order, services
from saferoptions.tasks.models import Task, TaskRule, TaskStatus
from tests.cases.factories import ClockFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .builders import (
    SECRET,
    accumulated_child,
    flagged_child,
    group_case,
    overdue_task,
    place_review,
)
from .factories import AT, AgendaItemFactory

pytestmark = pytest.mark.django_db
RULE = "exclusion-and-police-contact"


def _page(world, **params):
    client = Client()
    client.force_login(world.users["chair"])
    return client.get(f"/meetings/{world.meeting.pk}/", params)


def _flagged_by_rule(world):
    """A concern a rule raised, with the Hub triage task the rule made for its event (the
    chair's own agency's record, so the chair may read it)."""
    event = EventFactory(reporting_agency=world.users["chair"].agency)
    concern = flagged_child(world.north, event=event, kind="other")
    InvolvementFactory(event=event, person=concern.person)
    rule = TaskRule.objects.get(slug=RULE, version=1)
    Task.objects.create(rule=rule, rule_version=1, dedupe_key=f"test:{event.pk}",
                        task_type="hub_triage", team=rule_team(rule), person=concern.person,
                        event=event, created_at=AT, due_at=AT + dt.timedelta(days=1))
    return concern


def rule_team(rule):
    return Team.objects.get(slug=rule.team_slug)


def test_the_agenda_follows_its_documented_order_with_one_plain_line_each(world):
    group_case(world.north)
    light = accumulated_child(world.north)
    light.contributions = [{"type": "event", "id": 1, "weight": 3}] * 2
    light.save()
    heavy = accumulated_child(world.north)
    heavy.contributions = [{"type": "event", "id": 1, "weight": 3}] * 4
    heavy.save()
    flagged = _flagged_by_rule(world)
    late = overdue_task(world.north)
    agenda.build_agenda(world.meeting)
    body = _page(world).content.decode()
    rows = re.findall(r'govuk-caption-m govuk-!-font-size-16">(\d+)\. ([^<]+)</span>', body)
    steps = [step for _, step in rows]
    assert steps == [order.STEPS[order.DEADLINE], order.STEPS[order.RULE],
                     order.STEPS[order.ADDING_UP], order.STEPS[order.ADDING_UP],
                     order.STEPS[order.CONTEXT]]
    for step in order.STEPS:  # the order is written on the page
        assert f"<li>{step}</li>" in body
    assert ("A child has been excluded from school and has had contact with the police "
            "within 30 days") in body
    assert body.index("4 smaller concerns score 12 points") < body.index(
        "2 smaller concerns score 6 points")  # heaviest first
    assert f"was due on {late.due_at:%-d %b %Y} and is not done" in body
    assert "Flagged by a rule on a partner" not in body and SECRET not in body
    assert flagged.person.display_name in body


def test_a_child_with_an_overdue_statutory_clock_comes_first(world):
    first = flagged_child(world.north)
    late = flagged_child(world.north)
    ClockFactory(person=late.person, due_at=AT - dt.timedelta(hours=1),
                 started_at=AT - dt.timedelta(days=3))
    agenda.build_agenda(world.meeting)
    body = _page(world).content.decode()
    assert body.index(late.person.display_name) < body.index(first.person.display_name)
    assert "1. A statutory deadline or an agreed action is overdue" in body


def test_sixty_items_page_fifty_at_a_time_and_a_bad_page_falls_back(world):
    for n in range(60):
        AgendaItemFactory(meeting=world.meeting, person=PersonFactory(locality=world.north),
                          kind="child", position=n + 1, key=f"person:test{n}")
    first = _page(world)
    body = first.content.decode()
    assert len(re.findall(r'govuk-caption-m govuk-!-font-size-16">\d+\.', body)) == 50
    assert 'class="govuk-pagination"' in body and "60 items on the agenda." in body
    second = _page(world, page=2).content.decode()
    assert re.findall(r'govuk-caption-m govuk-!-font-size-16">(\d+)\.', second)[0] == "51"
    bad = _page(world, page="last")
    assert bad.status_code == 400
    assert "Page: &#x27;last&#x27; is not a page number" in bad.content.decode()
    numbered = re.findall(r'govuk-caption-m govuk-!-font-size-16">\d+\.', bad.content.decode())
    assert len(numbered) == 50


def test_a_closed_meetings_minutes_keep_the_reasons_it_had_on_the_day(world):
    """Read a week later, a task done since the meeting no longer vanished from its reasons,
    and a place review due after it read as missed: the minutes re-read them each day."""
    late = overdue_task(world.north, world.known_to_police)
    review = place_review(world.north)
    agenda.build_agenda(world.meeting)
    chair = world.users["chair"]
    services.start_meeting(actor=chair, meeting=world.meeting)
    services.close_meeting(actor=chair, meeting=world.meeting)
    client = Client()
    client.force_login(chair)

    def _minutes():
        return client.get(f"/meetings/{world.meeting.pk}/minutes/").content.decode()

    on_the_day = _minutes()
    missed = ("Return home interview for Families in Focus North was due on 26 Feb 2026 and "
              "is not done")
    due = "Place review for Safer Options Hub raised on 2 Mar 2026, due 8 Mar 2026"
    assert missed in on_the_day and due in on_the_day
    Task.objects.filter(pk=late.pk).update(status=TaskStatus.DONE)
    with clock.frozen(AT + dt.timedelta(days=10)):
        later = _minutes()
        agenda_later = client.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert missed in later and due in later
    assert "Place review for Safer Options Hub was due on" not in later
    numbers = re.findall(r"<td class=\"govuk-table__cell\">(\d+)\. ", on_the_day)
    assert re.findall(r"<td class=\"govuk-table__cell\">(\d+)\. ", later) == numbers
    assert missed in agenda_later and review.place.name in later
