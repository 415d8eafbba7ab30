"""Meetings (docs/meetings.md): the weekly multi-agency meeting's day and time, its
agenda's look-back, when actions fall due, and the nightly and morning jobs.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os

from .base import env_int

# The weekly multi-agency meeting in each locality (docs/meetings.md). Weekday: 0 is Monday.
MEETINGS_WEEKDAY = env_int("SAFEROPTIONS_MEETINGS_WEEKDAY", 1)
MEETINGS_START = os.environ.get("SAFEROPTIONS_MEETINGS_START", "10:00")
# Who chairs and who may be invited: duties in ACCESS_ROLE_RULES.
# With no earlier meeting in the locality, the first agenda looks back this many days.
MEETINGS_LOOKBACK_DAYS = env_int("SAFEROPTIONS_MEETINGS_LOOKBACK_DAYS", 7)
# An overdue task or statutory clock alone brings a child (or place) onto the agenda only when
# it is overdue by more than this many working days; a child already on the agenda for another
# reason has every overdue deadline listed, however recent.
MEETINGS_OVERDUE_GRACE_WORKING_DAYS = env_int("SAFEROPTIONS_MEETINGS_OVERDUE_GRACE_WORKING_DAYS",
                                              2)
# A weekly 90-minute meeting gets through about this many items: the agenda page lists them
# first and the rest, in the same order, under "If there is time" (nothing is dropped).
MEETINGS_AGENDA_TARGET = env_int("SAFEROPTIONS_MEETINGS_AGENDA_TARGET", 15)
# Of those, this many are kept for peer groups and places (when any are on the agenda), so
# they are reached rather than always falling after every child (meetings/order.py).
MEETINGS_CONTEXT_PLACES = env_int("SAFEROPTIONS_MEETINGS_CONTEXT_PLACES", 3)
# An action due on a day is due by this local time (its task's due time).
MEETINGS_ACTION_DUE_TIME = os.environ.get("SAFEROPTIONS_MEETINGS_ACTION_DUE_TIME", "17:00")
# The nightly build and the morning refresh (local times; the schedules are created when the
# app's migrations run, so a change here needs the two django-q2 schedules edited in admin).
MEETINGS_NIGHTLY_BUILD_TIME = "01:00"
MEETINGS_MORNING_REFRESH_TIME = "09:55"
