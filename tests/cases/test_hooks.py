"""The one call the feeds worker makes when an event arrives."""

import datetime as dt

import pytest

from saferoptions.cases.hooks import event_arrived
from saferoptions.cases.models import Concern, StatutoryClock
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .conftest import police_event

pytestmark = pytest.mark.django_db


def test_a_returned_missing_child_gets_an_interview_clock_once(world):
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=world.agencies["police"],
                         occurred_at=dt.datetime(2026, 3, 1, 1, tzinfo=dt.UTC),
                         ended_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    InvolvementFactory(event=event, person=world.child, role="missing_person")
    first = event_arrived(event)
    again = event_arrived(event)  # a redelivered event
    assert first["return_home_interviews"] == again["return_home_interviews"]
    assert StatutoryClock.objects.filter(kind="return_home_interview").count() == 1


def test_events_adding_up_prompt_a_review(world, settings):
    settings.CASES_ACCUMULATION = {"window_days": 30, "threshold": 4,
                                   "weights": {"stop_search": 2}}
    police_event(world, world.child, occurred_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    event = police_event(world, world.child, occurred_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    result = event_arrived(event)
    prompt = Concern.objects.get(pk=result["accumulation_prompts"][0])
    assert prompt.source == "accumulation" and len(prompt.contributions) == 2


def test_only_the_missing_child_gets_an_interview_clock_not_the_parent_who_reported(world):
    parent = PersonFactory(kind="adult_of_concern")
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=world.agencies["police"],
                         occurred_at=dt.datetime(2026, 3, 1, 1, tzinfo=dt.UTC),
                         ended_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    InvolvementFactory(event=event, person=world.child, role="missing_person")
    InvolvementFactory(event=event, person=parent, role="reporter")
    event_arrived(event)
    clocks = StatutoryClock.objects.filter(kind="return_home_interview")
    assert list(clocks.values_list("person_id", flat=True)) == [world.child.pk]
