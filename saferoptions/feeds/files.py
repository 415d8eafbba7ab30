"""Reading partner files (CSV and XLSX) into rows, without ever evaluating a formula."""

import csv
import dataclasses
import datetime as dt
import io
import zipfile

import openpyxl

from .encodings import ambiguous_reason, read_text
from .flat import HeaderError, check_header


@dataclasses.dataclass
class FileRow:
    """One data row: its spreadsheet row number, its cells, and problems found on reading."""

    number: int
    values: list[str]
    errors: list[dict]


def read_rows(feed_type: str, filename: str, content: bytes) -> tuple[list[str], list[FileRow]]:
    """The header and data rows of a file; raises HeaderError if it cannot be read at all."""
    if filename.lower().endswith(".xlsx"):
        header, rows = _xlsx_rows(content)
    else:
        header, rows = _csv_rows(content)
    header = check_header(feed_type, header)
    for row in rows:
        if len(row.values) != len(header):
            row.errors.append({"field": "row", "reason": f"has {len(row.values)} cells, "
                               f"the header has {len(header)}"})
    return header, rows


def _csv_rows(content: bytes) -> tuple[list[str], list[FileRow]]:
    found = read_text(content)  # UTF-8 or Windows-1252; refuses a file that is not text
    try:
        lines = list(csv.reader(io.StringIO(found.text, newline="")))
    except csv.Error as exc:
        raise HeaderError(f"is not a readable CSV file ({exc})") from exc
    if not lines:
        raise HeaderError("is empty: the first row must be the header")
    rows = [FileRow(n, values, _undecoded(lines[0], values, found.reason))
            for n, values in enumerate(lines[1:], start=2) if any(v.strip() for v in values)]
    return lines[0], rows


def _undecoded(header: list[str], values: list[str], why: str) -> list[dict]:
    """A row of a file whose encoding could not be told: each cell that is not UTF-8, and why."""
    if not why:
        return []
    reason = ambiguous_reason(why)
    return [{"field": name, "reason": reason}
            for name, value in zip(header, values, strict=False) if not _is_utf8(value)]


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")  # a byte that was not UTF-8 is kept as a lone surrogate
    except UnicodeEncodeError:
        return False
    return True


def _xlsx_rows(content: bytes) -> tuple[list[str], list[FileRow]]:
    try:
        # data_only=False: a formula arrives as its text and is quarantined, never evaluated.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise HeaderError("is not a readable XLSX file") from exc
    sheet = book.worksheets[0]
    all_rows = list(sheet.iter_rows())
    book.close()
    if not all_rows:
        raise HeaderError("is empty: the first row must be the header")
    header = [_cell_text(c.value) for c in all_rows[0]]
    while header and header[-1] == "":
        header.pop()
    rows = []
    for number, cells in enumerate(all_rows[1:], start=2):
        cells = list(cells)[: len(header)] if len(header) else list(cells)
        values = [_cell_text(c.value) for c in cells]
        values += [""] * (len(header) - len(values))
        if not any(v.strip() for v in values):
            continue
        errors = [
            {"field": header[i], "reason": "is a formula; send the value (formulas are not run)"}
            for i, c in enumerate(cells) if getattr(c, "data_type", None) == "f"
        ]
        rows.append(FileRow(number, values, errors))
    return header, rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()  # a date cell: both date and date-time fields read it
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
