"""When each clock falls due, and how late it is: plain rules over settings, no database.

Working-day clocks fall due at the end of their last working day (local time); hour clocks
at the exact hour. Every number comes from settings (`saferoptions/settings/cases.py`).
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from saferoptions.core.calendar import add_working_days

END_OF_DAY = dt.time(23, 59, 59)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of a local day, timezone-aware."""
    return timezone.make_aware(dt.datetime.combine(day, END_OF_DAY))


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def after_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the working day `days` working days after the day of `start`."""
    return end_of_day(add_working_days(local_day(start), days))


def after_months(start: dt.date, months: int) -> dt.datetime:
    return end_of_day(start + relativedelta(months=months))


def triage_due(raised_at: dt.datetime) -> dt.datetime:
    return after_working_days(raised_at, settings.CASES_TRIAGE_DECISION_WORKING_DAYS)


def assessment_due(referral_on: dt.date) -> dt.date:
    return add_working_days(referral_on, settings.CASES_ASSESSMENT_WORKING_DAYS)


def strategy_discussion_due(decided_at: dt.datetime) -> dt.datetime:
    # Elapsed hours: in UTC, since adding to a London time adds wall-clock hours (a clock change
    # would make 72 hours 71 or 73).
    return decided_at.astimezone(dt.UTC) + dt.timedelta(
        hours=settings.CASES_STRATEGY_DISCUSSION_HOURS)


def initial_conference_due(strategy_on: dt.date) -> dt.datetime:
    return end_of_day(add_working_days(strategy_on, settings.CASES_INITIAL_CONFERENCE_WORKING_DAYS))


def core_group_due(conference_on: dt.date) -> dt.datetime:
    return end_of_day(add_working_days(conference_on, settings.CASES_CORE_GROUP_WORKING_DAYS))


def review_conference_due(conference_on: dt.date, *, first: bool) -> dt.datetime:
    """3 months after the initial conference, then at most every 6 months (settings)."""
    months = (settings.CASES_FIRST_REVIEW_CONFERENCE_MONTHS if first
              else settings.CASES_LATER_REVIEW_CONFERENCE_MONTHS)
    return after_months(conference_on, months)


def return_home_interview_due(returned_at: dt.datetime) -> dt.datetime:
    return returned_at.astimezone(dt.UTC) + dt.timedelta(
        hours=settings.CASES_RETURN_HOME_INTERVIEW_HOURS)


def duty_starts_at(event) -> dt.datetime:
    """The moment a duty about an event runs from: the return from a missing episode,
    otherwise when the agency met it (the arrival at ED), never when the message came.

    The task for a duty and its clock both start here, so one duty has one deadline.
    """
    if event.event_type == "missing_episode" and event.ended_at is not None:
        return event.ended_at
    return event.reported_at or event.occurred_at


# Duties whose deadline is set by law or guidance, not by a local task rule: the task for the
# duty falls due when its clock does (task type -> the clock's due time from the start).
STATUTORY_TASK_DUE = {"return_home_interview": return_home_interview_due}


def nrm_reasonable_grounds_due(referred_on: dt.date) -> dt.datetime:
    days = settings.CASES_NRM_REASONABLE_GROUNDS_WORKING_DAYS
    return end_of_day(add_working_days(referred_on, days))


def nrm_conclusive_grounds_due(reasonable_grounds_on: dt.date) -> dt.datetime:
    days = settings.CASES_NRM_CONCLUSIVE_GROUNDS_DAYS
    return end_of_day(reasonable_grounds_on + dt.timedelta(days=days))


ON_TIME, AMBER, OVERDUE, MET, MET_LATE = "on_time", "amber", "overdue", "met", "met_late"
LABELS = {ON_TIME: "On time", AMBER: "Due soon", OVERDUE: "Overdue", MET: "Met",
          MET_LATE: "Met late"}
TAGS = {ON_TIME: "govuk-tag--green", AMBER: "govuk-tag--yellow", OVERDUE: "govuk-tag--red",
        MET: "govuk-tag--grey", MET_LATE: "govuk-tag--orange"}


@dataclass(frozen=True)
class ClockState:
    """A clock's state in words (never colour alone) and the tag class that goes with it."""

    code: str

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def tag(self) -> str:
        return TAGS[self.code]


def state(started_at, due_at, met_at, now) -> ClockState:
    """On time, amber once the configured share of time has gone, overdue, or met (late)."""
    if met_at is not None:
        return ClockState(MET if met_at <= due_at else MET_LATE)
    if now > due_at:
        return ClockState(OVERDUE)
    amber_at = started_at + (due_at - started_at) * settings.CASES_CLOCK_AMBER_SHARE
    return ClockState(AMBER if now >= amber_at else ON_TIME)
