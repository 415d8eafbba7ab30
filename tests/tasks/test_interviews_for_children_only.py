"""A return home interview is for a child: statutory guidance asks for one after a child's
missing episode, so a person 18 or over on the day of the episode gets no task, whatever their
age today and whoever they went missing with."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.hooks import event_arrived
from saferoptions.cases.models import StatutoryClock
from saferoptions.core import clock
from saferoptions.core.models import Agency
from saferoptions.events.models import Involvement
from saferoptions.people.ages import age_then
from saferoptions.people.models import Person, PersonKind
from saferoptions.tasks.models import Task, TaskStatus
from saferoptions.tasks.services import apply_rules, event_facts, name_child_on_tasks
from tests.events.factories import EventFactory, InvolvementFactory
from tests.feeds.factories import ago, young_person
from tests.people.factories import IdentityFactory

from .factories import send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _june():
    """A fixed day, so 'born 18 years before the episode' is always a real date."""
    with clock.frozen(dt.datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/London"))):
        yield


def _episode(*people):
    """A missing episode that started 30 hours ago and ended 2 hours ago."""
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=Agency.objects.get(slug="police"),
                         occurred_at=clock.now() - dt.timedelta(hours=30),
                         ended_at=clock.now() - dt.timedelta(hours=2),
                         reported_at=clock.now() - dt.timedelta(hours=30))
    for person, role in people:
        InvolvementFactory(event=event, person=person, role=role)
    return event


def _born_years_before(event, years: int, *, days_later: int = 0) -> dt.date:
    """Born `years` before the episode's day (their birthday that day), or some days after."""
    day = event.occurred_at.date()
    return day.replace(year=day.year - years) + dt.timedelta(days=days_later)


def _person(given, born, kind=PersonKind.CHILD):
    return Person.objects.create(given_name=given, family_name="Wren", date_of_birth=born,
                                 kind=kind)


def _rhi(event):
    return Task.objects.filter(event=event, task_type="return_home_interview").order_by("pk")


def test_the_17_year_old_is_interviewed_and_the_18_year_old_missing_with_them_is_not():
    event = _episode()
    eighteen = _person("Alex", _born_years_before(event, 18))  # their 18th birthday that day
    seventeen = _person("Bea", _born_years_before(event, 18, days_later=1))  # 18 tomorrow
    for person in (eighteen, seventeen):
        InvolvementFactory(event=event, person=person, role="missing_person")
    made = apply_rules(event, {}, [])
    assert [t.person for t in made] == [seventeen]
    assert apply_rules(event, {}, []) == [] and name_child_on_tasks(event) == 0
    assert [t.person for t in _rhi(event)] == [seventeen]


def test_an_adult_of_unknown_age_known_to_the_partnership_as_an_adult_gets_none():
    adult = _person("Cal", None, kind=PersonKind.YOUNG_ADULT)
    event = _episode((adult, "missing_person"))
    assert apply_rules(event, {}, []) == []


def test_a_record_of_unknown_age_is_offered_the_interview():
    """Nobody can tell it is an adult's: the interview is offered rather than missed."""
    event = _episode()
    Involvement.objects.create(event=event, role="missing_person",
                               identity=IdentityFactory(person=None, date_of_birth=None))
    assert len(apply_rules(event, {}, [])) == 1


def test_a_record_of_unknown_age_matched_to_an_adult_has_its_interview_withdrawn_unnamed():
    event = _episode()
    record = IdentityFactory(person=None, given_name="Dev", date_of_birth=None)
    row = Involvement.objects.create(event=event, identity=record, role="missing_person")
    (task,) = apply_rules(event, {}, [])
    adult = _person("Dev", _born_years_before(event, 19))
    row.person = adult
    row.save(update_fields=["person"])
    assert name_child_on_tasks(event) == 0
    apply_rules(event, {}, [])  # what the matcher's hook runs next (feeds.act_on_matched)
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and task.person is None
    assert "18 or over" in task.description
    assert not _rhi(event).filter(status=TaskStatus.OPEN).exists()
    audit = AuditEntry.objects.filter(object_type="task", detail__why="adult").get()
    assert audit.object_ids == [str(task.pk)]


def test_a_childs_interview_made_before_matching_is_kept_and_named():
    event = _episode()
    record = IdentityFactory(person=None, given_name="Eli", date_of_birth=None)
    row = Involvement.objects.create(event=event, identity=record, role="missing_person")
    (task,) = apply_rules(event, {}, [])
    child = _person("Eli", _born_years_before(event, 17, days_later=1))
    row.person = child
    row.save(update_fields=["person"])
    assert name_child_on_tasks(event) == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.person == child


@pytest.mark.parametrize(("years", "tasks"), [(18, 0), (17, 1)])
def test_through_the_feed_the_age_on_the_agency_record_decides(years, tasks):
    started = clock.now() - dt.timedelta(hours=30)
    born = started.date().replace(year=started.date().year - years)
    sent = send("missing_episode", occurred_at=started.isoformat(), returned_at=ago(hours=1),
                person=young_person(date_of_birth=born.isoformat()))
    assert sent.status == "accepted"
    assert _rhi(sent.event).count() == tasks


def _rhi_clocks(event):
    return StatutoryClock.objects.filter(kind="return_home_interview",
                                         key__startswith=f"rhi:event:{event.pk}:")


# (born, as an offset in years and days from the episode's day; the person's kind today;
#  whether the episode's agency record carries the date of birth rather than the person)
@pytest.mark.parametrize(("years", "days_later", "kind", "on_record", "owed"), [
    (18, 1, PersonKind.YOUNG_ADULT, False, True),   # 17 at the episode, 18 today
    (18, 1, PersonKind.YOUNG_ADULT, True, True),    # the same, by the agency's record only
    (18, 0, PersonKind.YOUNG_ADULT, False, False),  # 18 on the day of the episode
    (18, 0, PersonKind.CHILD, False, False),        # still known as a child, but 18 then
    (None, 0, PersonKind.CHILD, False, True),       # age unknown, known as a child
    (None, 0, PersonKind.YOUNG_ADULT, False, False),  # age unknown, known as an adult
])
def test_the_interviews_clock_follows_the_same_age_rule_as_its_task(years, days_later, kind,
                                                                     on_record, owed):
    """The Hub's deadline is the clock: a child owed the interview has both, an adult neither,
    whatever their age or kind today."""
    event = _episode()
    born = None if years is None else _born_years_before(event, years, days_later=days_later)
    person = _person("Fay", None if on_record else born, kind=kind)
    Involvement.objects.create(event=event, person=person, role="missing_person",
                               identity=IdentityFactory(person=person, date_of_birth=born)
                               if on_record else None)
    apply_rules(event, {}, [])
    event_arrived(event)
    assert [t.person for t in _rhi(event)] == ([person] if owed else [])
    assert list(_rhi_clocks(event).values_list("person_id", flat=True)) == (
        [person.pk] if owed else [])


# Their 18th birthday is 10 June 2026, in British Summer Time: 00:30 that night in Bristol is
# 23:30 on 9 June in UTC, and 23:30 on 9 June in Bristol is 22:30 UTC the same day.
BORN_18_ON_10_JUNE = dt.date(2008, 6, 10)
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("at", "age", "owed"), [
    (dt.datetime(2026, 6, 10, 0, 30, tzinfo=LONDON), 18, False),  # birthday; UTC: the eve
    (dt.datetime(2026, 6, 9, 23, 30, tzinfo=LONDON), 17, True),   # the eve, still 17
    (dt.datetime(2026, 6, 9, 23, 59, 59, tzinfo=dt.UTC), 18, False),  # 00:59:59 BST: birthday
])
def test_the_age_on_the_episode_is_counted_on_bristols_calendar_not_utcs(at, age, owed):
    """An episode half an hour into their 18th birthday was counted on the UTC date (the eve),
    so an adult was given a child's interview and its clock."""
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=Agency.objects.get(slug="police"),
                         occurred_at=at, ended_at=at + dt.timedelta(hours=5),
                         reported_at=at)
    event.refresh_from_db()  # as every episode is read: its moment in UTC
    person = _person("Gil", BORN_18_ON_10_JUNE)
    row = InvolvementFactory(event=event, person=person, role="missing_person")
    assert age_then(event, row) == age
    assert event_facts(event, {}, [{"date_of_birth": BORN_18_ON_10_JUNE}])["age"] == age
    apply_rules(event, {}, [])
    event_arrived(event)
    assert [t.person for t in _rhi(event)] == ([person] if owed else [])
    assert _rhi_clocks(event).exists() == owed
