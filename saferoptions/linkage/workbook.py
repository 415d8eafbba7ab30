"""An analyst's Excel workbook (.xlsx) for `link-file`: the sheet of records, as text rows.

Analysts keep person records in workbooks more often than in CSV files, so link-file reads
them as they are: the one sheet whose headings name person fields (another sheet may hold
notes, a lookup list or a pivot table), or the sheet `--sheet` names. Each cell becomes the
text Excel would show for it: a date cell its ISO date, a whole number without ".0", a
formula the value Excel last calculated (never run here). Row numbers are the sheet's own, so
a reject's row is the one the analyst sees in Excel.
"""

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.functions import iterparse  # openpyxl's own parser (defusedxml if present)

from .file_text import BadFile

ZIP = b"PK\x03\x04"
# An .xlsx is a zip: a few megabytes can unpack to gigabytes. A workbook of a million person
# records unpacks to about 400 MB, so this refuses only what cannot be a list of people.
MOST_UNPACKED_BYTES = 2 * 1024**3
# How far down a sheet its headings may start (a title and notes above them).
HEADING_ROWS = 20
# ParseError: a sheet's XML cut short or declaring entities, which the parser refuses.
_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
               TypeError, EOFError, ParseError)

Row = tuple[int, list[str]]


@dataclass
class Layout:
    """What Excel shows differently from what the sheet holds: hidden rows and columns (still
    read, as every cell is) and merged ranges (whose value sits in the first cell only)."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)  # 1 is column A
    merged: list[str] = field(default_factory=list)  # "B5:B7", as Excel names them


def is_workbook(path: Path) -> bool:
    """A zip file, which link-file reads as an .xlsx workbook (or says why it cannot)."""
    try:
        with path.open("rb") as file:
            return file.read(4) == ZIP
    except OSError:
        return False  # text_of names the reason


def read(path: Path, is_heading_row: Callable[[list[str]], bool],
         sheet_name: str | None = None) -> tuple[list[Row], list[str], Layout]:
    """(sheet row number, its values as text) for every row that is not blank, notes, and
    the sheet's hidden rows, hidden columns and merged cells."""
    _check_unpacked_size(path)
    with path.open("rb") as file:
        return _read_book(file, path.name, is_heading_row, sheet_name)


def _read_book(file, name: str, is_heading_row, sheet_name):
    # Given the open file, not its path: openpyxl goes by a path's suffix and refuses a
    # workbook named .csv or with no suffix, and link-file reads a file by what it holds.
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except _UNREADABLE:
        raise BadFile(f"{name} is a zip file but not a readable Excel .xlsx workbook: "
                      "open it in Excel and save it again as .xlsx or CSV") from None
    try:
        sheet = _sheet(book, name, is_heading_row, sheet_name)
        table = _rows(sheet)
        layout = _layout(sheet)
        many = len(book.sheetnames) > 1
    except BadFile:
        raise
    except _UNREADABLE:
        raise BadFile(f"{name} is damaged: a part of the workbook cannot be read (open "
                      "it in Excel and save it again)") from None
    finally:
        book.close()
    if not table:
        raise BadFile(f"{name}: sheet \u201c{sheet.title}\u201d is empty")
    notes = [f"read sheet \u201c{sheet.title}\u201d of the workbook"] if many else []
    return table, notes, layout


def _rows(sheet) -> list[Row]:
    table = []
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = _trimmed([text(c) for c in cells])
        if any(v.strip() for v in values):
            table.append((number, values))
    return table


def _layout(sheet) -> Layout:
    """The sheet's hidden rows and columns and merged ranges, read from its XML.

    openpyxl's read-only sheet (which keeps a large workbook out of memory) gives the cells
    alone, so the sheet's XML is read again for the <row hidden>, <col hidden> and <mergeCell>
    elements, each element let go as soon as it is read.
    """
    layout, number = Layout(), 0
    with sheet._get_source() as source:  # noqa: SLF001 - the read-only sheet's own XML
        for _, element in iterparse(source):
            tag = element.tag.rpartition("}")[2]
            if tag == "row":
                number = int(element.get("r") or number + 1)
                if element.get("hidden") in ("1", "true"):
                    layout.hidden_rows.add(number)
                element.clear()
            elif tag == "col" and element.get("hidden") in ("1", "true"):
                first = int(element.get("min"))
                layout.hidden_columns.update(range(first, int(element.get("max", first)) + 1))
            elif tag == "mergeCell" and element.get("ref"):
                layout.merged.append(element.get("ref"))
    return layout


def _check_unpacked_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise BadFile(f"{path.name} is a damaged zip file, not a readable Excel .xlsx "
                      "workbook or CSV") from None
    if unpacked > MOST_UNPACKED_BYTES:
        raise BadFile(f"{path.name} unpacks to more than {MOST_UNPACKED_BYTES // 1024**3} GB, "
                      "far more than a list of people: save the records' sheet as CSV")


def _sheet(book, name: str, is_heading_row, wanted: str | None):
    """The sheet named by --sheet; else the one sheet of records; else the first sheet."""
    sheets = [s for s in book.worksheets if hasattr(s, "iter_rows")]  # not chart sheets
    if not sheets:
        raise BadFile(f"{name} has no sheet of cells (only charts)")
    if wanted is not None:
        found = [s for s in sheets if s.title.strip().lower() == wanted.strip().lower()]
        if not found:
            titles = ", ".join(f"\u201c{s.title}\u201d" for s in sheets)
            raise BadFile(f"{name} has no sheet \u201c{wanted}\u201d (its sheets: {titles})")
        return found[0]
    records = [s for s in sheets if _has_headings(s, is_heading_row)]
    if len(records) > 1:
        titles = ", ".join(f"\u201c{s.title}\u201d" for s in records)
        raise BadFile(f"{name} has {len(records)} sheets of person records ({titles}): "
                      f"choose one with --sheet, e.g. --sheet \"{records[0].title}\"")
    return records[0] if records else sheets[0]


def _has_headings(sheet, is_heading_row) -> bool:
    for cells in sheet.iter_rows(max_row=HEADING_ROWS, values_only=True):
        if is_heading_row([text(c) for c in cells]):
            return True
    return False


def _trimmed(values: list[str]) -> list[str]:
    """Without the empty cells past the last value (formatting, not data)."""
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values[:end]


def text(value) -> str:
    """A cell as the text Excel shows: dates as ISO dates, 17.0 as 17, TRUE as true."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
