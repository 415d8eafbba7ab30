"""The monthly job: the new month's places go to the waiting list, in order."""

import datetime as dt

from django_q.models import Schedule

from saferoptions.core import clock
from saferoptions.interventions import standing_data, tasks
from saferoptions.interventions.models import CapacityMonth, Referral
from tests.people.factories import PersonFactory

from .test_referrals import east_area, judge, refer


def test_the_migration_schedules_the_job_monthly_from_the_first_of_next_month(db):
    row = Schedule.objects.get(name=standing_data.SCHEDULE_NAME)
    assert (row.func, row.schedule_type, row.repeats) == (standing_data.SCHEDULE_FUNC, "M", -1)
    assert clock.local(row.next_run).day == 1 and clock.local(row.next_run).time() == \
        dt.time(0, 5)


def test_first_of_next_month_crosses_the_year_and_keeps_local_time():
    december = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert standing_data.first_of_next_month(december).isoformat() == \
        "2027-01-01T00:05:00+00:00"
    march = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # already 1 April in London
    assert standing_data.first_of_next_month(march).isoformat() == "2026-05-01T00:05:00+01:00"


def test_on_the_first_the_waiting_children_take_the_new_places_in_order(world):
    area = east_area()
    area.monthly_places = 1
    area.save()
    children = [world.child, *(PersonFactory(sex="F", date_of_birth=dt.date(2011, 1, n + 1),
                                             locality=world.east) for n in range(2))]
    made = []
    for n, child in enumerate(children):
        judge(world, child)
        with clock.frozen(dt.datetime(2026, 3, 2, 10, n, tzinfo=dt.UTC)):
            made.append(refer(world, person=child))
    assert [r.status for r in made] == ["sent", "waiting", "waiting"]
    with clock.frozen(dt.datetime(2026, 4, 1, 0, 5, tzinfo=dt.UTC)):
        assert tasks.offer_waiting_places() == 1
        assert tasks.offer_waiting_places() == 0  # run twice: nothing more to give
    statuses = [Referral.objects.get(pk=r.pk) for r in made]
    assert [(r.status, r.place_month) for r in statuses] == [
        ("sent", dt.date(2026, 3, 1)), ("sent", dt.date(2026, 4, 1)), ("waiting", None)]
    assert CapacityMonth.objects.get(area=area, month=dt.date(2026, 4, 1)).taken == 1
