"""Reading partner files (CSV and XLSX) into rows, without ever evaluating a formula."""

import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from xml.etree.ElementTree import ParseError

import openpyxl
from django.conf import settings
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.functions import iterparse  # openpyxl's own parser (defusedxml if present)

from .encodings import NOT_TEXT, ambiguous_reason, read_text
from .flat import DATE_TIMES, DATES, FileRefused, HeaderError, check_header, columns, heading

# What a workbook that cannot be read raises. ParseError: a sheet's XML cut short, or declaring
# entities (an entity bomb, an external entity), which the parser refuses; it answered the
# import page with a server error (found attacking the demo).
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, ParseError)


@dataclasses.dataclass
class FileRow:
    """One data row: its spreadsheet row number, its cells, and problems found on reading."""

    number: int
    values: list[str]
    errors: list[dict]


# Old Excel (.xls) and an XLSX with a password are both OLE compound files, not ZIPs.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LOCKED = ("is password-protected or an old Excel 97-2003 workbook: remove the password and "
          "save it as XLSX or CSV UTF-8")

# Separators partners' spreadsheets use: Excel writes ";" where the decimal mark is a comma,
# and tab in "Unicode Text"; some case systems export "|".
SEPARATORS = (",", ";", "\t", "|")
# A first line "sep=;" tells Excel the separator; some exports write it.
_SEP_LINE = re.compile(r"^ *sep=(.) *$", re.IGNORECASE)


def read_rows(feed_type: str, filename: str, content: bytes) -> tuple[list[str], list[FileRow]]:
    """The header and data rows of a file; raises HeaderError if it cannot be read at all."""
    expected = columns(feed_type)
    if content.startswith(OLE):
        raise FileRefused(LOCKED if filename.lower().endswith((".xlsx", ".xls")) else NOT_TEXT)
    if content.startswith(b"PK\x03\x04"):  # a ZIP: an XLSX, whatever its name says
        try:
            header, rows = _xlsx_rows(content, expected)
        except HeaderError:
            if not filename.lower().endswith(".xlsx"):
                raise FileRefused(NOT_TEXT) from None  # a ZIP that is no workbook, named .csv
            raise
    else:  # text, whatever its name says (a CSV saved as "feed.xlsx")
        header, rows = _csv_rows(content, expected)
    header, rows = _drop_empty_untitled(header, rows)
    header = check_header(feed_type, header)
    for row in rows:
        _fit(row, len(header))
        row.errors += _excel_errors(header, row.values)
    return header, rows


# What Excel shows, and saves in a CSV, for a formula that failed (a lookup that found no
# one): not the value. Stored, "#N/A" became a child's name or postcode.
EXCEL_ERRORS = frozenset(("#N/A", "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"))


def _excel_errors(header: list[str], values: list[str]) -> list[dict]:
    return [{"field": name, "reason": f"is an Excel error ({value.strip()}): send the value, "
             "or leave the cell empty"}
            for name, value in zip(header, values, strict=False)
            if value.strip().upper() in EXCEL_ERRORS]


def _drop_empty_untitled(header: list[str], rows: list[FileRow]):
    """Columns without a heading and without a value (a spreadsheet's trailing separators)
    hold nothing: they are left out. One that holds a value is named by check_header."""
    empty = {i for i, name in enumerate(header) if not name.strip()
             and not any(i < len(r.values) and r.values[i].strip() for r in rows)}
    if not empty:
        return header, rows
    for row in rows:
        row.values = [v for i, v in enumerate(row.values) if i not in empty]
    return [h for i, h in enumerate(header) if i not in empty], rows


def _fit(row: FileRow, width: int) -> None:
    """Blank cells past the last column are a spreadsheet's trailing separators, not data."""
    while len(row.values) > width and not row.values[-1].strip():
        row.values.pop()
    if len(row.values) > width:
        row.errors.append({"field": "row", "reason": f"has {len(row.values)} cells but the "
                           f"header has {width} columns: a cell past the last column holds a "
                           "value (perhaps a separator that should be inside quotes)"})
    elif len(row.values) < width:
        row.errors.append({"field": "row", "reason": f"has {len(row.values)} cells but the "
                           f"header has {width} columns (perhaps a line break or a quote "
                           "mark inside a cell split the row)"})


MOST_CELL_CHARACTERS = 128 * 1024
_TOO_LONG = (f"has a cell over {MOST_CELL_CHARACTERS:,} characters long, more than any column "
             "holds (perhaps a quote mark that is never closed)")


def _csv_rows(content: bytes, expected: list[str]) -> tuple[list[str], list[FileRow]]:
    found = read_text(content)  # UTF-8, UTF-16 or Windows-1252; refuses a file that is not text
    text = found.text.lstrip("\ufeff")
    separator = _separator(text, expected)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise HeaderError(_TOO_LONG) from exc
        raise HeaderError(f"is not a readable CSV file ({exc})") from exc
    # The csv module's limit is one setting for the whole process (link-file raises it), so
    # the feed keeps its own: no column of a partner's feed holds more.
    if any(len(value) > MOST_CELL_CHARACTERS for values in lines for value in values):
        raise HeaderError(_TOO_LONG)
    # Blank lines above the header are skipped; row numbers stay the file's own.
    filled = [i for i, values in enumerate(lines) if any(v.strip() for v in values)]
    if filled and _SEP_LINE.match(separator.join(lines[filled[0]])):
        filled = filled[1:]  # Excel's "sep=;" line names the separator; it is not the header
    if not filled:
        raise HeaderError("is empty: the first row must be the header")
    start = filled[0]
    header = lines[start]
    rows = [FileRow(n, values, _undecoded(header, values, found.reason))
            for n, values in enumerate(lines[start + 1:], start=start + 2)
            if any(v.strip() for v in values)]
    return header, rows


def _separator(text: str, expected: list[str]) -> str:
    """The separator that splits the header into the most of the feed's columns (a comma if
    none does better): the header names the columns, so it says how they are separated."""
    # newline="": a line may end in a lone CR ("CSV (Macintosh)"), as the rows are read.
    first = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    if (named := _SEP_LINE.match(first.rstrip("\r\n"))) and named[1] in SEPARATORS:
        return named[1]
    known = set(expected)

    def score(separator: str) -> int:
        try:
            cells = next(csv.reader([first], delimiter=separator), [])
        except csv.Error:  # a cell over the csv module's limit (128 KiB) names no column
            return 0
        return sum(heading(c) in known for c in cells)

    return max(SEPARATORS, key=lambda s: (score(s), s == ","))


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


def _xlsx_rows(content: bytes, expected: list[str]) -> tuple[list[str], list[FileRow]]:
    _check_unpacked_size(content)
    try:
        # data_only=False: a formula arrives as its text and is quarantined, never evaluated.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except UNREADABLE as exc:
        raise HeaderError("is not a readable XLSX file") from exc
    try:
        sheet = _data_sheet(book, set(expected))
        all_rows = [list(cells) for cells in sheet.iter_rows()]
        merged = _merged_cells(sheet)
    except HeaderError:
        raise
    except UNREADABLE as exc:
        raise HeaderError("is not a readable XLSX file") from exc
    finally:
        book.close()
    start = next((i for i, cells in enumerate(all_rows)
                  if any(_cell_text(c.value).strip() for c in cells)), None)
    if start is None:
        raise HeaderError("is empty: the first row must be the header")
    header = [_cell_text(c.value) for c in all_rows[start]]
    while header and header[-1] == "":
        header.pop()
    dates = {i for i, name in enumerate(header) if heading(name) in DATES | DATE_TIMES}
    rows = []
    for number, cells in enumerate(all_rows[start + 1:], start=start + 2):
        if len(cells) > len(header) and not any(
                _cell_text(c.value).strip() for c in cells[len(header):]):
            cells = cells[: len(header)]  # blank cells past the last column: formatting only
        values = [_serial_date(c.value) if i in dates else _cell_text(c.value)
                  for i, c in enumerate(cells)]
        values += [""] * (len(header) - len(values))
        if not any(v.strip() for v in values):
            continue
        errors = [
            {"field": heading(header[i]) if i < len(header) else "row",
             "reason": "is a formula; send the value (formulas are not run)"}
            for i, c in enumerate(cells) if getattr(c, "data_type", None) == "f"
        ]
        errors += [{"field": heading(header[column]) if column < len(header) else "row",
                    "reason": f"is in the merged cells {ref}, whose value Excel keeps in the "
                              "first cell only: unmerge the cells and fill in each row"}
                   for column, ref in merged.get(number, ())]
        rows.append(FileRow(number, values, errors))
    return header, rows


def _merged_cells(sheet) -> dict[int, list[tuple[int, str]]]:
    """Row number -> (0-based column, "K2:K4") of each cell of a merge but its first.

    Excel keeps a merged value in the first cell, so the others read as empty: a category
    merged over three rows quarantined two of them as "This field is required", naming no
    merge. The read-only sheet gives cells alone, so its XML is read for <mergeCell>.
    """
    found: dict[int, list[tuple[int, str]]] = {}
    with sheet._get_source() as source:  # the read-only sheet's own XML
        for _, element in iterparse(source):
            tag = element.tag.rpartition("}")[2]
            if tag == "row":
                element.clear()
            elif tag == "mergeCell" and element.get("ref"):
                ref = element.get("ref")
                first_column, first_row, last_column, last_row = range_boundaries(ref)
                for number in range(first_row, last_row + 1):
                    for column in range(first_column, last_column + 1):
                        if (number, column) != (first_row, first_column):
                            found.setdefault(number, []).append((column - 1, ref))
    return found


def _check_unpacked_size(content: bytes) -> None:
    """An XLSX is a ZIP: a small file can unpack to gigabytes. Refused before it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise HeaderError("is not a readable XLSX file") from exc
    limit = settings.FEEDS_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise HeaderError(f"holds more than {limit // (1024 * 1024)} MB once unpacked: split "
                          "it into smaller files")


def _data_sheet(book, expected: set[str]):
    """The one sheet whose first filled row holds the feed's headings (a workbook may keep
    notes or a lookup list on other sheets); the first sheet when none does, so its header
    is named. Two sheets of rows would be an import of one and a loss of the other: refused."""
    found = [sheet for sheet in book.worksheets if _looks_like_header(sheet, expected)]
    if len(found) > 1:
        names = ", ".join(f"\u201c{sheet.title}\u201d" for sheet in found)
        raise HeaderError(f"has {len(found)} sheets with the feed's columns ({names}): send "
                          "one sheet per file")
    return found[0] if found else book.worksheets[0]


def _looks_like_header(sheet, expected: set[str]) -> bool:
    for cells in sheet.iter_rows(max_row=20, values_only=True):
        names = [heading(_cell_text(v)) for v in cells]
        if any(names):
            return sum(n in expected for n in names) >= 2
    return False


def _serial_date(value) -> str:
    """A date column's number is an Excel serial date whose cell lost its date format
    (46115 is 3 April 2026; .5 is noon), read as what Excel would show."""
    if isinstance(value, int | float) and not isinstance(value, bool) and \
            SERIAL_MIN <= value <= SERIAL_MAX:
        return _cell_text(from_excel(value))
    return _cell_text(value)


# Serial dates from 1 January 1910 to 31 December 2199; a smaller number (a year such as 2026,
# a count) is left as it is, for the schema to refuse.
SERIAL_MIN, SERIAL_MAX = 3654, 109_573


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
