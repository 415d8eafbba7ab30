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
        "postcode_outward": postcode.split(" ")[0] if postcode else None,
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
    present = sum(1 for field in _DETAILS if row[field])
    if present < min_details:
        have = ", ".join(f for f in _DETAILS if row[f]) or "nothing"
        return f"too few details to match ({have}); needs {min_details} of the five"
    return None
