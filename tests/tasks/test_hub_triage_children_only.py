"""The Hub triages children whose history adds up, not adults: a 23-year-old missing three
times in 90 days was put in the Hub's queue as "A child has gone missing three times"."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from saferoptions.core import clock
from saferoptions.core.models import Agency
from saferoptions.people.models import Person, PersonKind
from saferoptions.tasks.models import Task
from saferoptions.tasks.services import apply_rules
from tests.events.factories import EventFactory, InvolvementFactory

pytestmark = pytest.mark.django_db
RULE = "missing-three-in-ninety-days"


@pytest.fixture(autouse=True)
def _june():
    with clock.frozen(dt.datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/London"))):
        yield


def _three_episodes(person):
    """Three missing episodes in 60 days; the tasks the last one makes."""
    police = Agency.objects.get(slug="police")
    made = []
    for days_ago in (60, 30, 1):
        start = clock.now() - dt.timedelta(days=days_ago)
        event = EventFactory(event_type="missing_episode", category="missing",
                             reporting_agency=police, occurred_at=start, reported_at=start,
                             ended_at=start + dt.timedelta(hours=5))
        InvolvementFactory(event=event, person=person, role="missing_person")
        made = apply_rules(event, {"returned": True}, [])
    return [t for t in made if t.rule.slug == RULE]


def _person(born, kind=PersonKind.CHILD):
    return Person.objects.create(given_name="Amina", family_name="Warner", date_of_birth=born,
                                 kind=kind)


def test_a_child_missing_three_times_is_triaged_by_the_hub():
    child = _person(dt.date(2011, 3, 1))
    assert [t.person_id for t in _three_episodes(child)] == [child.pk]


def test_an_adult_missing_three_times_is_not_put_in_the_hubs_childrens_queue():
    adult = _person(dt.date(2003, 3, 1), kind=PersonKind.YOUNG_ADULT)
    assert _three_episodes(adult) == []
    assert not Task.objects.filter(rule__slug=RULE, person=adult).exists()


def test_eighteen_on_the_day_of_the_third_episode_counts_as_an_adult():
    day = (clock.now() - dt.timedelta(days=1)).date()
    turned_18 = _person(day.replace(year=day.year - 18))
    assert _three_episodes(turned_18) == []


def test_unknown_age_is_taken_for_a_child_unless_the_person_is_known_to_be_an_adult():
    unknown = _person(None)
    assert len(_three_episodes(unknown)) == 1
    assert _three_episodes(_person(None, kind=PersonKind.YOUNG_ADULT)) == []
