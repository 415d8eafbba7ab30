"""Turning one agency's person record into the cleaned row that linkage compares.

The raw fields are the ones an analyst's spreadsheet has (first_name, last_name, dob, sex,
postcode, address, phone, nhs_number); missing or garbled values become None.
"""

import datetime as dt

from . import normalise
from .comparisons import COLUMNS

RAW_FIELDS = ("first_name", "last_name", "dob", "sex", "postcode", "address", "phone", "nhs_number")
# Details that, beside a name, let a record be told apart from other children's.
_DETAILS = ("given_name", "family_name", "dob", "postcode", "phone")
MIN_DETAILS = 3
# With fewer details, a name and one of these still narrows a city to a handful of children
# (an ED referral is often "Jayden, BS5 6XY"): enough for a person to confirm, never enough
# for the model to link on its own.
_NARROWING = ("dob", "postcode", "phone")


def prepare(unique_id: str, raw: dict, *, today: dt.date | None = None) -> dict:
    """The linkage row for one record: `unique_id` plus the cleaned COLUMNS."""
    dob = normalise.date_of_birth(raw.get("dob"), today=today)
    given = normalise.name(raw.get("first_name"))
    postcode = normalise.postcode(raw.get("postcode"))
    swapped = normalise.swapped_day_month(dob)
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
        "postcode": postcode,
        "postcode_sector": postcode[:-2] if postcode else None,
        "postcode_outward": normalise.postcode_outward(postcode),
        "address": normalise.address(raw.get("address")),
        "phone": normalise.phone(raw.get("phone")),
        "nhs_number": normalise.nhs_number(raw.get("nhs_number")),
        "sex": normalise.sex(raw.get("sex")),
    }
    assert set(row) == {"unique_id", *COLUMNS}  # noqa: S101 - the two lists must not drift
    return row


def why_unlinkable(row: dict, *, min_details: int = MIN_DETAILS) -> str | None:
    """Why a prepared record has too little to match safely, or None if it can be linked."""
    if row["nhs_number"]:
        return None
    if not (row["given_name"] or row["family_name"]):
        return "no name"
    full_name = bool(row["given_name"] and row["family_name"])
    if _too_few(row, min_details) and not (full_name or any(row[f] for f in _NARROWING)):
        have = ", ".join(f for f in _DETAILS if row[f]) or "nothing"
        return (f"too few details to match ({have}); needs {min_details} of the five, "
                "or a full name, or a name with a date of birth, postcode or phone")
    return None


def review_only(row: dict, *, min_details: int = MIN_DETAILS) -> bool:
    """True for a linkable record too sparse to link automatically: any match goes to review."""
    return not row["nhs_number"] and _too_few(row, min_details)


def _too_few(row: dict, min_details: int) -> bool:
    return sum(1 for field in _DETAILS if row[field]) < min_details
