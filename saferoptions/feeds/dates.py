"""Dates and times in partners' files as they mean them: UK day first, Europe/London time.

Excel on a UK computer writes `04/03/2010` for 4 March 2010 and `20/11/2026 21:30` for half
past nine on 20 November, London time. A date that would read differently the American way
(`04/03/2010`) is read the UK way, always; one that only makes sense the American way
(`11/20/2026`) is not a UK date and is left for the schema to refuse, naming the field. ISO 8601
(`2010-03-04`, `2026-11-20T21:30:00Z`) is read as it always was. Two-digit years are refused
(which century a date of birth is in cannot be guessed). Month names (`3 Apr 2026`, Excel's
`03-Apr-2026`, `Friday 3 April 2026`), a 12-hour clock (`11am`, `2:30 pm`) and an Excel serial
number kept as text (a cell whose date format was lost) are read too. A cell that cannot be read
is refused with a reason that says how to write it, never echoing the value.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_TIME = (r"(?:[ T,]+(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
         r"\s*(?P<half>[AaPp]\.?[Mm]\.?)?)?\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?")
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})" + _TIME)
# 3 Apr 2026, 03-Apr-2026 (Excel's "dd-mmm-yyyy"), 3 April 2026, Friday 3 April 2026.
_WORDS = re.compile(
    r"(?:[A-Za-z]+,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s/.-]+(?P<name>[A-Za-z]{3,9})\.?"
    r"[\s/.-]+(?P<year>\d{4})" + _TIME)
_MONTHS = {name: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1)
    for name in names}
# An Excel serial date (days since 30 December 1899) from a cell whose date format was lost:
# 1910 to 2199 only, so a year (2026) or a count is never read as a date.
_SERIAL = re.compile(r"\d{4,6}(?:\.\d+)?")
SERIAL_MIN, SERIAL_MAX = 3654, 109_573
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - a wall-clock reading, zoned later
_ISO_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00(?::00(?:\.0+)?)?")


def day_first(text: str, *, with_time: bool) -> str:
    """The cell as ISO 8601 if it is a UK date (date-time fields: London time when no offset is
    given, midnight when no time); anything else unchanged, for the schema to judge."""
    if not with_time and (midnight := _ISO_MIDNIGHT.fullmatch(text.strip())):
        return midnight[1]  # a date of birth exported as a date-time at midnight
    moment = _read(text.strip())
    if moment is None:
        return text
    if not with_time:
        return text if moment.time() != dt.time(0) or moment.tzinfo else moment.date().isoformat()
    return (moment if moment.tzinfo else moment.replace(tzinfo=LONDON)).isoformat()


def _read(text: str) -> dt.datetime | None:
    """The moment a UK-written cell means (naive unless it gave an offset), or None."""
    if _SERIAL.fullmatch(text):
        days = float(text)
        if SERIAL_MIN <= days <= SERIAL_MAX:
            # to the second: 11:00 is stored as 0.458333..., which is a hair before 11:00
            return _EXCEL_EPOCH + dt.timedelta(seconds=round(days * 86_400))
        return None
    found = _DAY_FIRST.fullmatch(text) or _WORDS.fullmatch(text)
    if found is None:
        return None
    part = found.groupdict()
    month = (int(part["month"]) if part.get("month")
             else _MONTHS.get(part["name"].lower()) if part.get("name") else None)
    hour = int(part["hour"]) if part["hour"] else 0
    if part["hour"] and not part["minute"] and not part["half"]:
        return None  # "20/11/2026 21" is an hour only with am or pm: 11am, 9 pm
    if part["half"]:  # 12-hour clock: 12:30 am is half past midnight
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if part["half"][0] in "Pp" else 0)
    try:
        moment = dt.datetime(int(part["year"]), month or 0, int(part["day"]), hour,  # noqa: DTZ001
                             int(part["minute"] or 0), int(part["second"] or 0))
    except ValueError:  # 31/02, 11/20 (month 20), 25:00: not a UK date
        return None
    return moment.replace(tzinfo=_zone(part["offset"])) if part["offset"] else moment


def why_not(text: str, *, with_time: bool) -> str:
    """Why a date cell could not be read, in words that say how to write it (never echoing
    the value, which may be a date of birth)."""
    text = text.strip()
    example = "20/11/2026 21:30" if with_time else "20/11/2026"
    if not with_time and _read(text):
        return f"is a date, not a date and time of day: write it as {example}"
    found = _DAY_FIRST.fullmatch(text)
    if found and int(found["month"]) > 12 and int(found["day"]) <= 12:
        return f"reads only month first (the American way): write it day first, as {example}"
    words = _WORDS.fullmatch(text)
    if found or words and words["name"].lower() in _MONTHS:
        return "is not a real date or time (no such day in that month, or no such hour)"
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\D.*)?", text):
        return f"has a two-digit year, so its century cannot be told: write it as {example}"
    iso = "2026-11-20T21:30:00Z" if with_time else "2026-11-20"
    return f"is not a date we can read: write it day first, as {example}, or as {iso}"


def _zone(offset: str) -> dt.tzinfo:
    if offset == "Z":
        return dt.UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
