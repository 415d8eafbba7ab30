"""Dates and times in partners' files as they mean them: UK day first, Europe/London time.

Excel on a UK computer writes `04/03/2010` for 4 March 2010 and `20/11/2026 21:30` for half
past nine on 20 November, London time. A date that would read differently the American way
(`04/03/2010`) is read the UK way, always; one that only makes sense the American way
(`11/20/2026`) is not a UK date and is left for the schema to refuse, naming the field. ISO 8601
(`2010-03-04`, `2026-11-20T21:30:00Z`) is read as it always was. Two-digit years are refused
(which century a date of birth is in cannot be guessed).
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?")


def day_first(text: str, *, with_time: bool) -> str:
    """The cell as ISO 8601 if it is a UK date (date-time fields: London time when no offset is
    given, midnight when no time); anything else unchanged, for the schema to judge."""
    found = _DAY_FIRST.fullmatch(text.strip())
    if found is None:
        return text
    part = {k: int(v) for k, v in found.groupdict().items() if v and k != "offset"}
    try:
        day = dt.date(part["year"], part["month"], part["day"])
        if not with_time:
            return text if "hour" in part else day.isoformat()
        moment = dt.datetime.combine(day, dt.time(part.get("hour", 0), part.get("minute", 0),
                                                  part.get("second", 0)))
    except ValueError:  # 31/02, 11/20 (month 20), 25:00: not a UK date
        return text
    return moment.replace(tzinfo=_zone(found["offset"])).isoformat()


def _zone(offset: str | None) -> dt.tzinfo:
    if offset is None:
        return LONDON
    if offset == "Z":
        return dt.UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
