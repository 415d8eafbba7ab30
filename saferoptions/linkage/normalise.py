"""Cleaning one field of a person record so that two agencies' versions of it can be compared.

Every function takes whatever an agency sent (text, a date, None) and returns the cleaned value,
or None when the value is missing or impossible: a garbled field is no evidence, never an error.
No Django here: this runs from a command, a feed worker or a notebook alike.
"""

import datetime as dt
import re
import unicodedata
from functools import cache
from pathlib import Path

from saferoptions.core import clock
from saferoptions.core.identifiers import is_valid_nhs_number as nhs_number_is_valid
from saferoptions.core.identifiers import postcode, postcode_outward  # noqa: F401 - re-exported

NICKNAMES_FILE = Path(__file__).with_name("data") / "nicknames.txt"

_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_SEXES = {"m": "m", "male": "m", "boy": "m", "f": "f", "female": "f", "girl": "f"}
_ADDRESS_WORDS = {
    "road": "rd", "street": "st", "avenue": "ave", "close": "cl", "drive": "dr", "lane": "ln",
    "crescent": "cres", "court": "ct", "place": "pl", "gardens": "gdns", "terrace": "ter",
    "flat": "flat", "apartment": "flat", "apt": "flat",
}
EARLIEST_BIRTH_YEAR = 1900


def _text(value) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    if value is None:
        return ""
    folded = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    folded = folded.lower().replace("'", "").replace("`", "")
    return _SPACES.sub(" ", _NOT_LETTER.sub(" ", folded)).strip()


def name(value) -> str | None:
    """A forename or surname, cleaned: 'O'Brien-Smyth ' -> 'obrien smyth'."""
    return _text(value) or None


@cache
def _nickname_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in NICKNAMES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split(",") if n.strip()]
        for each in names:
            # A short form shared by two names (sam, charlie) keeps its first group.
            table.setdefault(each, names[0])
    return table


def canonical_forename(value) -> str | None:
    """The usual form of a forename's first word: 'Jaydon' -> 'jayden', 'Liz' -> 'elizabeth'."""
    cleaned = name(value)
    if cleaned is None:
        return None
    first = cleaned.split(" ")[0]
    return _nickname_table().get(first, first)


def soundex(value) -> str | None:
    """American Soundex of a cleaned name (letters only), for blocking on how a surname sounds."""
    letters = (name(value) or "").replace(" ", "")
    if not letters:
        return None
    codes = {c: d for d, group in enumerate(
        ["aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r"]) for c in group}
    out, last = letters[0].upper(), codes[letters[0]]
    for letter in letters[1:]:
        code = codes[letter]
        if code and code != last:
            out += str(code)
        if letter not in "hw":
            last = code
    return (out + "000")[:4]


def _two_digit_year(yy: int, today: dt.date) -> int:
    # Records are about living young people: a two-digit year is the most recent such year.
    century = today.year - today.year % 100
    return century + yy if century + yy <= today.year else century - 100 + yy


def date_of_birth(value, *, today: dt.date | None = None) -> dt.date | None:
    """A date of birth from a date, 'YYYY-MM-DD', 'dd/mm/yyyy' or 'd/m/yy'; impossible -> None."""
    today = today or clock.today()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        parsed = _parse_date_text(str(value or "").strip(), today)
    if parsed is None or not (parsed.year >= EARLIEST_BIRTH_YEAR and parsed <= today):
        return None
    return parsed


def _parse_date_text(text: str, today: dt.date) -> dt.date | None:
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year = _two_digit_year(year, today)
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def swapped_day_month(value: dt.date | None) -> dt.date | None:
    """The same date with day and month exchanged (03/04 <-> 04/03), when that is a date."""
    if value is None or value.day > 12 or value.day == value.month:
        return None
    return value.replace(day=value.month, month=value.day)


def postcode_sector(value) -> str | None:
    """The postcode sector, a few hundred homes: 'BS1 4DJ' -> 'BS1 4'."""
    cleaned = postcode(value)
    return cleaned[:-2] if cleaned else None


def phone(value) -> str | None:
    """A UK phone number as national digits: '+44 7700 900123' -> '07700900123'."""
    digits = re.sub(r"\D", "", str(value or ""))
    if digits.startswith("44") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return None
    return digits


def nhs_number(value) -> str | None:
    """Ten digits passing the check digit; anything else is missing, not evidence."""
    digits = re.sub(r"[\s\-]", "", str(value or ""))
    return digits if nhs_number_is_valid(digits) else None


def sex(value) -> str | None:
    """'m' or 'f'; unknown or anything else -> None."""
    return _SEXES.get(str(value or "").strip().lower())


def address(value) -> str | None:
    """An address line, cleaned, street words shortened: '12 Mill Road' -> '12 mill rd'."""
    if value is None:
        return None
    folded = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9 ]+", " ", folded.replace("'", "")).split()
    return " ".join(_ADDRESS_WORDS.get(w, w) for w in words) or None
