"""Standing data the interventions app needs, created by a data migration (like meetings').

One django-q2 schedule: on the first of each month, shortly after midnight local time, each
area's new month of places goes to its waiting list, in order (`offer_waiting_places`). A
referral made that morning would serve the list first anyway; the schedule makes sure places
are offered even when nobody refers.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from saferoptions.core import clock

SCHEDULE_NAME = "Offer the new month's places to the waiting lists"
SCHEDULE_FUNC = "saferoptions.interventions.tasks.offer_waiting_places"
RUN_AT = dt.time(0, 5)


def first_of_next_month(now: dt.datetime) -> dt.datetime:
    """00:05 local time on the first day of the month after `now` (aware)."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return dt.datetime.combine(dt.date(year, month, 1), RUN_AT,
                               tzinfo=ZoneInfo(settings.TIME_ZONE))


def load(apps) -> None:
    """Create the monthly schedule (safe to run twice)."""
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(name=SCHEDULE_NAME, defaults={
        "func": SCHEDULE_FUNC, "schedule_type": "M", "repeats": -1,
        "next_run": first_of_next_month(clock.now())})
