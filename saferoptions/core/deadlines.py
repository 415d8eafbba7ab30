"""How a deadline reads on every page: "by end of Thu 3 Dec", or a day and a time.

A duty due at the end of a day is stored either as its last second (23:59:59, the statutory
clocks) or as the next midnight (a task counted in whole days from a midnight start). Shown
as a time, the second reads "Fri 4 Dec 00:00" for what is Thursday's work; so both read as
the end of the right local day, and any other moment as its local day and time. The year is
added only when it is not this year. Local time is the partnership's (Europe/London), so the
same moment reads the same in GMT and in BST.
"""

import datetime as dt

from . import clock

END_OF_DAY_FROM = dt.time(23, 59)  # 23:59 or later is "the end of the day"
MIDNIGHT = dt.time(0)


def _day(day: dt.date) -> str:
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == clock.today().year else f"{text} {day.year}"


def due_text(due: dt.datetime | dt.date | None) -> str:
    """A deadline in words: "by end of Thu 3 Dec" or "Thu 3 Dec 17:00" (local time)."""
    if due is None:
        return ""
    if not isinstance(due, dt.datetime):  # a due date: the whole day is allowed
        return f"by end of {_day(due)}"
    local = clock.local(due)
    moment = local.time().replace(microsecond=0)
    if moment == MIDNIGHT:
        return f"by end of {_day(local.date() - dt.timedelta(days=1))}"
    if moment >= END_OF_DAY_FROM:
        return f"by end of {_day(local.date())}"
    return f"{_day(local.date())} {local:%H:%M}"


def _part(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _span(seconds: float) -> str:
    """A length of time as people say it: the two largest units that matter ("2 days 3 hours",
    "22 hours 52 minutes", "5 minutes"); minutes are dropped once it runs to days."""
    minutes = int(seconds // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        parts = [_part(days, "day")] + ([_part(hours, "hour")] if hours else [])
    elif hours:
        parts = [_part(hours, "hour")] + ([_part(mins, "minute")] if mins else [])
    else:
        parts = [_part(mins, "minute")]
    return " ".join(parts)


def time_left_text(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long is left before a deadline, in words: "22 hours 52 minutes left", "2 days 3 hours
    left", "overdue by 5 hours" (shown beside the `due_text` wording, never instead of it)."""
    if due is None:
        return ""
    seconds = (due - (now or clock.now())).total_seconds()
    if seconds > 0:
        return "less than a minute left" if seconds < 60 else f"{_span(seconds)} left"
    if -seconds < 60:
        return "due now"
    return f"overdue by {_span(-seconds)}"
