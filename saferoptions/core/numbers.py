"""Whole numbers read from an address or a form: a page, a record's id, a version, a time.

`str.isdigit` is also true of '²' and '٣', which `int()` refuses or reads as another digit,
and a number past 2**63 - 1 is more than SQLite (or PostgreSQL's bigint) can compare against:
either was a 500. Plain Python, no Django.
"""

MOST = 2**63 - 1  # the largest integer SQLite and PostgreSQL's bigint hold


def whole_number(value, *, most: int = MOST) -> int | None:
    """The number written in ASCII digits, if it is at most `most`; else None."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(most)):
        return None
    number = int(text)
    return number if number <= most else None
