"""The one home of the UK identifiers' rules: the NHS number's check digit and postcodes.

Plain Python (no Django), so the feeds' schemas, linkage, the synthetic city and people's
localities all check an NHS number or read a postcode the same way.
"""

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def nhs_check_digit(nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None if no valid number exists.

    NHS Data Dictionary: weights 10 down to 2; 11 becomes 0; 10 means no number has them.
    """
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = 11 - total % 11
    return 0 if check == 11 else None if check == 10 else check


def is_valid_nhs_number(number: str) -> bool:
    """True for ten digits whose last is the Modulus 11 check digit of the first nine."""
    if len(number) != 10 or not number.isdigit():
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


def postcode(value) -> str | None:
    """A UK postcode, upper case with one space before the inward code: 'bs14dj' -> 'BS1 4DJ'."""
    compact = re.sub(r"\s+", "", str(value or "")).upper()
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def postcode_outward(value) -> str | None:
    """The outward code (district) of a full UK postcode: 'bs1 4dj' -> 'BS1'; else None."""
    cleaned = postcode(value)
    return cleaned.split(" ")[0] if cleaned else None
