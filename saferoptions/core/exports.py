"""Every CSV and XLSX file the service writes for people to open in a spreadsheet goes through here.

Partner data can hold text such as `=cmd|' /C calc'!A0`, `=HYPERLINK(...)` or `@SUM(...)`: a
spreadsheet would run it as a formula when an analyst opens the export (CSV or formula
injection). Each text cell that starts like a formula is written with a leading apostrophe, so
the spreadsheet shows it as text. CSV goes through defusedcsv's writer as well; XLSX cells
through `safe_cell`. Numbers and dates stay numbers and dates.

No Django here: plain modules (the `link-file` tool) write their files with it too.
"""

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from defusedcsv import csv as defused_csv

# OWASP's formula-leading characters (tab and carriage return included), with the '|' and '%'
# defusedcsv also escapes.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "|", "%")
_KEPT_AS_IS = (int, float, Decimal, dt.date, dt.time)


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must show it: text never starts like a formula."""
    if value is None or isinstance(value, _KEPT_AS_IS) and not _aware(value):
        return value
    text = value.isoformat() if _aware(value) else str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def _aware(value: Any) -> bool:
    # Spreadsheets have no time zones (openpyxl refuses aware times): written as ISO text.
    return isinstance(value, dt.datetime | dt.time) and value.tzinfo is not None


class SafeCsvWriter:
    """A `csv.writer` whose every cell is made safe first (defusedcsv underneath)."""

    def __init__(self, file, **fmtparams):
        self._writer = defused_csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **fmtparams) -> SafeCsvWriter:
    """The one CSV writer for exports and downloads (same arguments as `csv.writer`)."""
    return SafeCsvWriter(file, **fmtparams)


def xlsx_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """One sheet called `title`: the header row, then the rows, every cell made safe."""
    # Loaded here, not at start: openpyxl takes most of a second to import, and every web
    # process imports this module for its CSV writer.
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=title)
    sheet.append([safe_cell(value) for value in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
