"""Reading an analyst's spreadsheet of person records for `link-file`, however it was saved.

An Excel .xlsx workbook (`workbook`), or a CSV in any encoding `file_text` reads: commas,
semicolons, tabs or bars, any line endings. Headings in any case or spacing and the usual other
names ("First Name", "Surname", "DOB", "Post Code"). A file that cannot be read at all is a
`BadFile` with a one-line message naming the problem. A row that cannot be used (no record_id,
one already used, more values than headings, a field too long to be a person's) is never
dropped: it is a reject, written by `linkfile` beside OUT with its row number and reason. The
values themselves never appear in a message (they may be personal data).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import sheet_notes, workbook
from .file_fields import FIELDS
from .file_text import BadFile, count, text_of

__all__ = ["BadFile", "Sheet", "read", "split_name"]

# A value longer than this is not a name, date, postcode or address (a pasted note, a cell
# run together): compared by Jaro-Winkler against every candidate it would only cost time.
LONGEST_VALUE = 1000
# More rejected rows than this, and one in ten, stops the run.
MOST_REJECTS = 2
# Far above any person's field, so one overlong cell is a reject, not an unreadable file.
csv.field_size_limit(64 * 1024 * 1024)
DELIMITERS = (",", ";", "\t", "|")
# Headings analysts use for each field, compared in lower case without spaces or punctuation.
HEADINGS = {
    "record_id": ("recordid", "id", "recordno", "recordnumber", "recordref", "reference",
                  "ref", "uniqueid", "rowid"),
    "first_name": ("firstname", "forename", "forenames", "givenname", "givennames", "first",
                   "christianname"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "dob": ("dob", "dateofbirth", "birthdate", "birthday", "dateofbirthddmmyyyy", "bornon"),
    "sex": ("sex", "gender"),
    "postcode": ("postcode", "postalcode", "post", "zip", "zipcode", "postzip", "pcode"),
    "town": ("town", "city", "suburb", "towncity", "locality"),
    "phone": ("phone", "phonenumber", "telephone", "telephonenumber", "tel", "telno",
              "mobile", "mobilenumber", "mobileno", "contactnumber"),
    "nhs_number": ("nhsnumber", "nhsno", "nhs"),
    "email": ("email", "emailaddress", "mail", "emailaddr", "contactemail"),
}
# Every heading that is part of an address, joined in the file's order (FEBRL's
# street_number, address_1, address_2; a council's "Address Line 1", "Address Line 2").
_ADDRESS = re.compile(r"^(address(line)?\d*|addr\d*|street(address|name)?|streetnumber|"
                      r"housenumber|houseno|housename|flat|line\d)$")
# A whole name in one column, split when the file has no forename or surname column.
_FULL_NAME = ("name", "fullname", "personname", "clientname", "childname", "patientname")
_MAGIC = ((b"PK\x03\x04", "a zip file (an Excel .xlsx workbook?)"),
          (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook (or another Office file)"),
          (b"%PDF", "a PDF"), (b"{\\rtf", "a Word (RTF) document"),
          (b"\x89PNG", "an image"), (b"\xff\xd8\xff", "an image"), (b"GIF8", "an image"))
_SAVE_AS = ": save it as CSV (in Excel, File > Save As > CSV UTF-8) and give link-file that"


@dataclass
class Sheet:
    """What was read: usable rows, rejected rows, and how the file was read."""

    rows: list[dict]
    header: list[str]
    rejects: list[dict] = field(default_factory=list)  # row, reason, values (as in the file)
    notes: list[str] = field(default_factory=list)
    used: dict[str, list[str]] = field(default_factory=dict)  # field -> headings read
    raw_header: list[str] = field(default_factory=list)  # the heading row as written
    repeated_headings: int = 0
    excel_errors: int = 0  # cells holding "#N/A" and the like, read as empty
    short_rows: list[int] = field(default_factory=list)  # fewer values than the headings


def read(path: Path, columns: dict[str, list[str]] | None = None, *,
         row_ids: bool = False, sheet_name: str | None = None) -> Sheet:
    """Rows with `row`, record_id and every link-file field (empty when the file lacks it).

    `row_ids`: name each record by its row number, whatever record_id column the file has.
    `sheet_name`: the sheet of an .xlsx workbook to read (else the one with person headings).
    """
    columns = columns or {}
    layout = None
    if workbook.is_workbook(path):
        table, notes, layout = workbook.read(
            path, lambda values: _is_heading_row(values, columns), sheet_name)
    else:
        if sheet_name is not None:
            raise BadFile(f"{path.name} is a CSV file, which has no sheets: --sheet is for an "
                          ".xlsx workbook")
        table, notes = _csv_table(path)
    start = _header_row(table, columns)
    header = _headings(table[start][1])
    sheet = Sheet([], header, raw_header=[v.strip() for v in table[start][1]], notes=notes)
    if start:
        sheet.notes.append(f"{count(start, 'line')} above the headings skipped")
    sheet.used = _sources(header, columns, path.name)
    if row_ids:
        sheet.used.pop("record_id", None)
    # In a CSV every row has a value for every heading, empty or not; a workbook's row ends
    # at its last filled cell, so only a CSV's row can be short.
    _fill(sheet, table[start + 1:], path.name, short_rows=layout is None)
    if layout is not None:
        read = [r["row"] for r in sheet.rows] + [r["row"] for r in sheet.rejects]
        columns = {i: f for i, h in enumerate(header) for f, hs in sheet.used.items() if h in hs}
        sheet.notes += sheet_notes.layout(layout, read, columns, heading_row=table[start][0])
    return sheet


def _csv_table(path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The CSV's rows (line number, values), and notes on how it was read."""
    text, encoding = text_of(path)
    delimiter, text = _delimiter(text)
    text, stray = _stray_returns(text)
    notes = []
    if encoding != "UTF-8":
        notes.append(f"read as {encoding}")
    if delimiter != ",":
        notes.append(f"values separated by {_NAMES[delimiter]}")
    if stray:
        notes.append(f"{count(stray, 'stray carriage return')} inside values read as spaces")
    return _parse(text, delimiter, path.name), notes


_NAMES = {";": "semicolons", "\t": "tabs", "|": "bars"}


def _delimiter(text: str) -> tuple[str, str]:
    """The separator, and the text without Excel's 'sep=;' line if it had one.

    Excel's line names it; otherwise the one the heading line uses most (a comma when it has
    none of them).
    """
    if match := _SEP_LINE.match(text):
        return match.group(1), text[match.end():]
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return (best if counts[best] else ","), text


_SEP_LINE = re.compile(r'^"?sep=(.)"?[ \t]*(?:\r\n|\n|\r)', re.IGNORECASE)


def _stray_returns(text: str) -> tuple[str, int]:
    """A lone carriage return in a file whose lines end in line feeds is part of a value.

    (Text pasted from Windows into a cell, written unquoted by a program.) The csv reader would
    end the row there and make a record of the rest. A file of old Mac line endings (carriage
    returns only) has no line feed and is left alone.
    """
    if "\n" not in text:
        return text, 0
    return _LONE_CR.subn(" ", text)


_LONE_CR = re.compile(r"\r(?!\n)")


def _parse(text: str, delimiter: str, name: str) -> list[tuple[int, list[str]]]:
    """(line number where the row starts, its values) for every row that is not blank."""
    def rows(strict):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
        found, start = [], 1
        try:
            for values in reader:
                if any(v.strip() for v in values):
                    found.append((start, values))
                start = reader.line_num + 1
        except csv.Error as exc:
            if strict and "unexpected end of data" in str(exc):
                raise BadFile(f"{name} row {start}: a quoted value opened there is never "
                              "closed (a missing \" swallows the rest of the file)") from None
            if strict:
                return None
            raise BadFile(f"{name} is not a readable CSV file (line {start}: {exc})") from None
        return found

    # Strictly first, to catch an unclosed quote; loosely if only a stray quote is wrong.
    found = rows(strict=True)
    found = rows(strict=False) if found is None else found
    if not found:
        raise BadFile(f"{name} is empty")
    return found


def _header_row(table, columns: dict) -> int:
    """The headings' row: the first, unless a title or blank-ish lines come before them."""
    for index, (_, values) in enumerate(table[:20]):
        if _is_heading_row(values, columns):
            return index
    return 0


def _is_heading_row(values: list[str], columns: dict) -> bool:
    """Two or more values are headings of person fields (usual names or --columns' own)."""
    named = {h for hs in columns.values() for h in hs}
    known = {v.strip().lower() for v in values
             if _field_of(_key(v)) or v.strip().lower() in named}
    return len(known) >= 2


def _key(heading: str) -> str:
    """"Date of Birth (dd/mm/yyyy)" -> 'dateofbirth': letters and digits, no notes."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\(.*?\)|\[.*?\]", "", heading.lower()))


# Whose field a heading names, in front of it: "Child Surname", "Child's DOB", "YP Postcode".
_WHOSE = ("youngpersons", "youngperson", "childs", "child", "clients", "client", "persons",
          "person", "patients", "patient", "pupils", "pupil", "students", "student",
          "customers", "customer", "serviceusers", "serviceuser", "yps", "yp")


def _field_of(key: str) -> str | None:
    found = _named(key)
    for whose in _WHOSE:
        if found is None and key.startswith(whose):
            found = _named(key[len(whose):])
    return found


def _named(key: str) -> str | None:
    if not key:
        return None
    if _ADDRESS.match(key):
        return "address"
    if key in _FULL_NAME:
        return "full_name"
    for name, keys in HEADINGS.items():
        if key in keys or key == name.replace("_", ""):
            return name
    return None


def _headings(values: list[str]) -> list[str]:
    """Headings as written, trimmed; a blank one named by its column, a repeat numbered."""
    header, seen = [], {}
    for number, value in enumerate(values, start=1):
        heading = " ".join(value.split()) or f"column {number}"
        count = seen[heading.lower()] = seen.get(heading.lower(), 0) + 1
        header.append(heading if count == 1 else f"{heading} ({count})")
    return header


def _sources(header: list[str], columns: dict[str, list[str]], name: str) -> dict:
    """field -> the headings it is read from: --columns first, then the usual names."""
    lower = {h.lower(): h for h in header}
    missing = sorted({h for hs in columns.values() for h in hs} - set(lower))
    if missing:
        shown = ", ".join(repr(h) for h in header[:12]) + (", ..." if len(header) > 12 else "")
        raise BadFile(f"{name} has no column {missing[0]!r} named in --columns "
                      f"(its headings: {shown})")
    taken = {h for hs in columns.values() for h in hs}
    used = {f: [lower[h] for h in hs] for f, hs in columns.items()}
    guessed: dict[str, list[str]] = {}
    for heading in header:
        found = _field_of(_key(heading))
        if found and heading.lower() not in taken and found not in used:
            guessed.setdefault(found, []).append(heading)
    for found, headings in guessed.items():
        if len(headings) > 1 and found not in ("address", "full_name"):
            exact = [h for h in headings if h.lower() == found]
            if len(exact) != 1:
                raise BadFile(f"{name}: headings {headings[0]!r} and {headings[1]!r} could "
                              f"both be {found}; choose one with --columns "
                              f"'{headings[0].lower()}={found}'")
            headings[:] = exact
        used[found] = headings
    if "full_name" in used and ({"first_name", "last_name"} & set(used)):
        del used["full_name"]
    if not set(used) - {"record_id"}:
        raise BadFile(f"{name} has no column link-file can use (headings such as first_name, "
                      "last_name, dob, postcode; --columns maps others)")
    return used


def _fill(sheet: Sheet, table, name: str, *, short_rows: bool = False) -> None:
    width = len(sheet.header)
    headed = sheet_notes.last_heading(sheet.raw_header)
    unread = sheet_notes.unread_columns(sheet.raw_header, sheet.header, sheet.used)
    filled_unread: set[int] = set()
    first_seen: dict[str, int] = {}
    heading_row = [h.lower() for h in sheet.raw_header]
    for number, values in table:
        if [v.strip().lower() for v in values[:width]] == heading_row:
            sheet.repeated_headings += 1  # files pasted one under another
            continue
        if short_rows and len(values) < headed:
            sheet.short_rows.append(number)
        filled_unread.update(i for i in unread if i < len(values) and values[i].strip())
        reason = None
        if len(values) > width and any(v.strip() for v in values[width:]):
            reason = f"has {len(values)} values, the headings {width}"
        # A reject keeps its values past the headings: they show where the row went wrong.
        as_written = values if reason else (values + [""] * width)[:width]
        values = [_not_an_error(v, sheet) for v in (values + [""] * width)[:width]]
        row = _row(dict(zip(sheet.header, values, strict=True)), number, sheet.used)
        reason = reason or _problem(row, first_seen)
        if reason:
            sheet.rejects.append({"row": number, "reason": f"row {number} {reason}",
                                  "values": as_written})
        else:
            first_seen[row["record_id"]] = number
            sheet.rows.append(row)
    if not sheet.rows and not sheet.rejects:
        raise BadFile(f"{name} has a header but no records")
    total = len(sheet.rows) + len(sheet.rejects)
    if not sheet.rows or len(sheet.rejects) > max(MOST_REJECTS, total // 10):
        # So many is the file read wrongly (headings out of line with the values, an id
        # column that is not each record's own), not a few bad rows: linking the rest would
        # mislead.
        hint = ("; --row-ids names records by their row number instead"
                if "repeats the record_id" in sheet.rejects[-1]["reason"] else "")
        raise BadFile(f"{name}: {len(sheet.rejects)} of {total} rows cannot be used, the "
                      f"first because {sheet.rejects[0]['reason']}{hint}")
    sheet.notes += sheet_notes.short_rows(sheet.short_rows)
    sheet.notes += [unread[i] for i in sorted(filled_unread)]
    if sheet.repeated_headings:
        sheet.notes.append(f"{count(sheet.repeated_headings, 'repeated heading row')} skipped")
    if sheet.excel_errors:
        sheet.notes.append(f"{count(sheet.excel_errors, 'cell')} holding an Excel error "
                           "(#N/A, #REF! ...) read as empty")
    if "record_id" not in sheet.used:
        sheet.notes.append("no record_id column: each record is named by its row number in "
                           "the file (--columns can name another heading)")


# What Excel shows, and saves in a CSV, for a formula that failed (a VLOOKUP that found no
# one): not a value. Read as one, "#N/A" was the forename "n a" and the postcode "N A", and
# every record with a failed lookup agreed with every other on them.
EXCEL_ERRORS = frozenset(("#N/A", "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"))


def _not_an_error(value: str, sheet: Sheet) -> str:
    if value.strip().upper() in EXCEL_ERRORS:
        sheet.excel_errors += 1
        return ""
    return value


def _row(raw: dict, number: int, used: dict) -> dict:
    row = {"row": number}
    for name, headings in used.items():
        row[name] = " ".join(v for v in (raw[h].strip() for h in headings) if v)
    row.setdefault("record_id", str(number))
    for name in FIELDS:
        row.setdefault(name, "")
    full = row.pop("full_name", "")
    if full:
        row["first_name"], row["last_name"] = split_name(full)
    return row


def split_name(full: str) -> tuple[str, str]:
    """'Smith, John' -> (John, Smith); 'Mr John Paul Smith' -> (John, Smith); 'Smith' -> Smith."""
    if "," in full:
        last, _, first = full.partition(",")
        return " ".join(_untitled(first.split())[:1]), last.strip()
    words = _untitled(full.split())
    if not words:
        return "", ""
    return (words[0] if len(words) > 1 else ""), words[-1]


_TITLES = {"mr", "mrs", "miss", "ms", "mx", "dr", "master", "prof", "rev", "sir", "lady"}


def _untitled(words: list[str]) -> list[str]:
    while words and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    return words


def _problem(row: dict, first_seen: dict) -> str | None:
    if not row["record_id"]:
        return "has no record_id"
    if row["record_id"] in first_seen:
        return f"repeats the record_id on row {first_seen[row['record_id']]}"
    for name in FIELDS:
        if len(row[name]) > LONGEST_VALUE:
            return (f"has {len(row[name]):,} characters in {name} "
                    f"(at most {LONGEST_VALUE:,} are read)")
    return None
