"""An analyst's record from any country, cleaned into the row `link-file` compares.

The app's own linkage (`records.py`) knows UK records: a postcode it cannot read as a UK one is
missing there. A spreadsheet from elsewhere (four-digit postcodes, foreign phone numbers, dates
written 19560409) would lose its best evidence that way, so here a value that is not
recognised is kept and compared as text: only an empty value is missing.
No Django here.
"""

import datetime as dt
import re
import unicodedata

import phonenumbers

from saferoptions.core import clock

from . import normalise

# The fields `link-file` reads; a spreadsheet may have any of them (record_id is required).
FIELDS = ("first_name", "last_name", "dob", "sex", "postcode", "address", "town", "phone",
          "nhs_number", "email")
# Columns of the prepared row (beside unique_id).
COLUMNS = (
    "given_name", "given_canon", "first_initial", "family_name", "family_soundex",
    "dob", "dob_swapped", "birth_year", "postcode", "postcode_sector", "postcode_outward",
    "address", "address_tokens", "address_number", "town", "phone", "nhs_number", "sex",
    "email", "email_local",
)

_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for m in names}
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[T ].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_WORDS_DATE = re.compile(r"^(?:(\d{1,2})\s+([a-z]+)|([a-z]+)\s+(\d{1,2}))\s+(\d{4}|\d{2})$")
# A time after the date, as spreadsheets export a date cell: '04/03/1990 00:00'.
_TIME = re.compile(r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm|z)?)$")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")
# Excel's date serial (days since 30 December 1899), left when a date column was saved as
# numbers: five digits, 10000 (1927) to 99999, never a year, a compact date or a phone number.
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadColumnMap(ValueError):
    """A `--columns` value that cannot be used, and why (one line)."""


def parse_column_map(text: str | None) -> dict[str, list[str]]:
    """'given_name=first_name,street+road=address' -> {field: [headings joined in order]}."""
    mapping: dict[str, list[str]] = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        headings, _, field = item.partition("=")
        field = field.strip().lower()
        if not _ or not headings.strip():
            raise BadColumnMap(f"--columns entry {item!r} is not HEADING=FIELD")
        if field not in (*FIELDS, "record_id"):
            raise BadColumnMap(f"--columns names {field!r}, which is not one of record_id, "
                               f"{', '.join(FIELDS)}")
        mapping[field] = [h.strip().lower() for h in headings.split("+") if h.strip()]
    return mapping


def date_of_birth(value, *, today: dt.date | None = None,
                  month_first: bool = False) -> dt.date | None:
    """A date of birth written any unambiguous way; impossible or ambiguous-looking -> None.

    2009-04-03, 20090403, 2009/04/03, 03/04/2009 (day first, the UK's order, unless
    `month_first`: a file whose dates are in the US order, see `date_order`), 3 April 2009,
    April 3 2009, 3rd April 2009, 03-Apr-2009, 03-Apr-09, 39906 (an Excel date serial), each
    with or without a time after it. A slashed date readable only month first (04/23/2009)
    is read so.
    """
    today = today or clock.today()
    if isinstance(value, dt.date):
        return normalise.date_of_birth(value, today=today)
    text = _TIME.sub("", re.sub(r"[,\s]+", " ", str(value or "").strip().lower()))
    if not (month_first and _DAY_FIRST.match(text)):
        parsed = normalise.date_of_birth(text, today=today)
        if parsed is not None:
            return parsed
    found = _parse(text, today, month_first=month_first)
    if found is None or not (found.year >= normalise.EARLIEST_BIRTH_YEAR and found <= today):
        return None
    return found


def _parse(text: str, today: dt.date, *, month_first: bool = False) -> dt.date | None:
    if match := _EXCEL_SERIAL.match(text):
        return _EXCEL_EPOCH + dt.timedelta(days=int(match.group(1)))
    if any(c.isalpha() for c in text):  # 03-apr-2009, 3rd april 2009
        text = " ".join(_ORDINAL.sub(r"\1", text).replace("-", " ").replace("/", " ")
                        .replace(".", " ").split())
    if match := _COMPACT_DATE.match(text) or _YEAR_FIRST.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
        if (month > 12 >= day) or (month_first and day <= 12):  # read month first
            day, month = month, day
        if len(match.group(3)) == 2:
            year = normalise._two_digit_year(year, today)
    elif match := _WORDS_DATE.match(text):
        day_a, month_a, month_b, day_b, year = match.groups()
        month = _MONTHS.get(month_a or month_b)
        if month is None:
            return None
        day, year = int(day_a or day_b), int(year)
        if len(match.group(5)) == 2:
            year = normalise._two_digit_year(year, today)
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_order(values) -> tuple[bool, str | None]:
    """Whether the file's slashed dates are month first (US order), and a note saying why.

    Read from the file itself: 13/04/2009 can only be day first, 04/13/2009 only month first.
    A file with some of the second kind and none of the first is month first throughout, so
    its 04/03/2009 is 3 April; otherwise day first, the UK's order.
    """
    day_first = month_first = ambiguous = 0
    for value in values:
        match = _DAY_FIRST.match(_TIME.sub("", str(value or "").strip().lower()))
        if match:
            a, b = int(match.group(1)), int(match.group(2))
            day_first += a > 12 >= b
            month_first += b > 12 >= a
            ambiguous += a <= 12 and b <= 12 and a != b
    if month_first and not day_first:
        return True, (f"dates such as 04/03/2009 read month first (3 April): {month_first} "
                      "dates in the file can only be month first and none day first")
    if month_first and day_first:
        return False, (f"dates are written both day first ({day_first}) and month first "
                       f"({month_first}): {ambiguous} such as 04/03/2009 read day first "
                       "(--date-order mdy reads them month first)")
    return False, None


def postcode(value) -> tuple[str | None, str | None, str | None]:
    """(postcode, sector, outward): a UK postcode in full; any other postcode as its text."""
    uk = normalise.postcode(value)
    if uk:
        return uk, uk[:-2], normalise.postcode_outward(uk)
    text = re.sub(r"[^A-Z0-9 ]+", " ", _ascii(value).upper())
    text = re.sub(r"\s+", " ", text).strip()
    return (text or None), None, None


def address(value) -> tuple[str | None, str | None, str | None]:
    """(address, its words sorted, its house number): word order and numbers compared apart."""
    cleaned = normalise.address(value)
    if not cleaned:
        return None, None, None
    words = cleaned.split()
    numbers = [w for w in words if any(c.isdigit() for c in w)]
    return cleaned, " ".join(sorted(set(words))), (numbers[0] if numbers else None)


def town(value) -> str | None:
    return normalise.name(value)


def phone(value, *, region: str = "GB") -> str | None:
    """A phone number in E.164 when `phonenumbers` can read it; otherwise its digits (6 or more)."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) >= 6 else None


# What case systems write where there is no address: no one's, and shared by thousands.
_NO_EMAIL = frozenset(("none", "noemail", "no.email", "no_email", "nomail", "unknown", "na",
                       "n/a", "null", "test", "noreply", "no-reply", "donotreply", "notknown",
                       "not.known", "declined", "refused"))


def email(value) -> tuple[str | None, str | None]:
    """(the address trimmed and in lower case, the part before the @), or (None, None).

    Only what holds for every provider: case (no provider tells Amy@ from amy@) and spaces.
    Dots and +tags are left alone: Gmail ignores them, but at a school or a council
    j.smith@ and jsmith@ are two people. A value with no @ ("none", "n/a") or a placeholder
    ("noemail@...", "unknown@...") is no address.
    """
    text = "".join(str(value or "").split()).lower().removeprefix("mailto:")
    local, at, domain = text.rpartition("@")
    if not (at and local and domain) or local in _NO_EMAIL:
        return None, None
    return text, local


def prepare(unique_id: str, raw: dict, *, today: dt.date | None = None,
            phone_region: str = "GB", month_first: bool = False) -> dict:
    """The link-file row for one record: `unique_id` plus COLUMNS."""
    dob = date_of_birth(raw.get("dob"), today=today, month_first=month_first)
    given = normalise.name(raw.get("first_name"))
    swapped = normalise.swapped_day_month(dob)
    code, sector, outward = postcode(raw.get("postcode"))
    line, tokens, number = address(raw.get("address"))
    mail, mail_local = email(raw.get("email"))
    row = {
        "unique_id": str(unique_id),
        "given_name": given,
        "given_canon": normalise.canonical_forename(given),
        "first_initial": given[0] if given else None,
        "family_name": normalise.name(raw.get("last_name")),
        "family_soundex": normalise.soundex(raw.get("last_name")),
        "dob": dob.isoformat() if dob else None,
        "dob_swapped": swapped.isoformat() if swapped else None,
        "birth_year": str(dob.year) if dob else None,
        "postcode": code, "postcode_sector": sector, "postcode_outward": outward,
        "address": line, "address_tokens": tokens, "address_number": number,
        "town": town(raw.get("town")),
        "phone": phone(raw.get("phone"), region=phone_region),
        "nhs_number": normalise.nhs_number(raw.get("nhs_number")),
        "sex": normalise.sex(raw.get("sex")),
        "email": mail, "email_local": mail_local,
    }
    assert set(row) == {"unique_id", *COLUMNS}  # the two lists must not drift
    return row


def _ascii(value) -> str:
    return unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
