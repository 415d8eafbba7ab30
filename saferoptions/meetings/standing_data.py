"""Standing data the meetings app needs, created by a data migration (like `tasks/rulebook.py`).

- Two django-q2 schedules keep agendas ready: a nightly build, and a refresh just before the
  meeting starts. The refresh runs every morning and touches only meetings held that day, so a
  change of meeting weekday needs no change of schedule.
- A task rule for actions the meeting agrees: every task needs a rule, and this one says where
  the task came from. It listens to no event, so the rule engine never fires it.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from saferoptions.core import clock

ACTION_RULE = {
    "slug": "locality-meeting-action",
    "name": "Action agreed at the locality meeting",
    "description": "The weekly locality meeting agreed an action for a team, with a due date; "
    "the task is due on the date the meeting set.",
    "event_types": [], "conditions": {}, "scope": "event",
    "task_type": "locality_meeting_action", "team_slug": "hub", "sla_working_days": 5,
    "is_active": False,
}

SCHEDULES = [
    ("Build locality meeting agendas", "saferoptions.meetings.tasks.build_meeting_agendas",
     "MEETINGS_NIGHTLY_BUILD_TIME"),
    ("Refresh today's locality meeting agendas",
     "saferoptions.meetings.tasks.refresh_todays_agendas", "MEETINGS_MORNING_REFRESH_TIME"),
]


def next_run(at: str, now: dt.datetime) -> dt.datetime:
    """The next time the local clock shows `at` ("HH:MM")."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    hours, minutes = (int(part) for part in at.split(":"))
    run = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def load(apps) -> None:
    """Create the daily schedules and the action rule (safe to run twice)."""
    TaskRule = apps.get_model("tasks", "TaskRule")
    TaskRule.objects.get_or_create(slug=ACTION_RULE["slug"], version=1, defaults={
        k: v for k, v in ACTION_RULE.items() if k != "slug"})
    Schedule = apps.get_model("django_q", "Schedule")
    now = clock.now()
    for name, func, setting in SCHEDULES:
        Schedule.objects.get_or_create(name=name, defaults={
            "func": func, "schedule_type": "D", "repeats": -1,
            "next_run": next_run(getattr(settings, setting), now)})
