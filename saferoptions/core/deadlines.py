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
