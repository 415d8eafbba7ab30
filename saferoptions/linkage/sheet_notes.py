"""What `link-file` says about how it read a sheet, where the file and what Excel shows differ.

Each of these was read silently before, and each can change who is linked without an analyst
knowing: a row with fewer values than the headings (a line break inside a value splits a row
in two); a column of values under a blank heading, or under a second copy of a heading whose
first copy is read (neither is read); rows and columns hidden in Excel (read and linked like
the rest: hiding is not deleting); merged cells (Excel keeps the value in the first cell, so
the rows below read it as empty). Notes name rows by the number the analyst sees and columns
by their letter; never a value (it may be personal data).
"""

from openpyxl.utils import get_column_letter

from .file_text import count

# Row numbers named in one note; the rest are counted.
ROWS_NAMED = 10


def rows_named(numbers: list[int]) -> str:
    """'row 5', 'rows 5, 9, 12', 'rows 5, 9, ... and 7 more'."""
    shown = ", ".join(str(n) for n in numbers[:ROWS_NAMED])
    more = f" and {len(numbers) - ROWS_NAMED} more" if len(numbers) > ROWS_NAMED else ""
    return f"row{'s' if len(numbers) > 1 else ''} {shown}{more}"


def letter(index: int) -> str:
    """Column letter of a 0-based index: 0 -> A, 27 -> AB."""
    return get_column_letter(index + 1)


def last_heading(raw_header: list[str]) -> int:
    """How many columns the headings span, blank headings past the last one aside."""
    return max((i + 1 for i, h in enumerate(raw_header) if h.strip()), default=0)


def unread_columns(raw_header: list[str], header: list[str], used: dict) -> dict[int, str]:
    """Columns no field is read from that hold what looks like data, and why not.

    A blank heading, or a second copy of a heading whose first copy is read. (A column with
    any other heading is not a person field: not being read is what an analyst expects.)
    """
    read = {h for hs in used.values() for h in hs}
    first_of: dict[str, int] = {}
    unread = {}
    for index, (raw, heading) in enumerate(zip(raw_header, header, strict=False)):
        if heading in read:
            first_of.setdefault(raw.lower(), index)
            continue
        if not raw:
            unread[index] = (f"column {letter(index)} has values but no heading: not read "
                             f"(give it a heading, or --columns '{heading}=FIELD')")
        elif raw.lower() in first_of:
            field = next(f for f, hs in used.items() if header[first_of[raw.lower()]] in hs)
            unread[index] = (f"column {letter(index)} repeats the heading \u201c{raw}\u201d of "
                             f"column {letter(first_of[raw.lower()])}, which is read as {field}: "
                             f"its values are not (--columns '{heading.lower()}={field}' reads "
                             "it instead)")
        first_of.setdefault(raw.lower(), index)
    return unread


def short_rows(numbers: list[int]) -> list[str]:
    if not numbers:
        return []
    return [f"{count(len(numbers), 'row')} with fewer values than the headings "
            f"({rows_named(numbers)}): the missing values read as empty (a line break inside "
            "an unquoted value splits its row in two)"]


def layout(found, rows_read: list[int], used_columns: dict[int, str], heading_row: int) -> list:
    """Notes on a workbook's hidden rows and columns and merged cells among the records.

    `rows_read`: the sheet rows read as records or rejects; `used_columns`: 0-based column ->
    the field read from it.
    """
    notes = []
    hidden = sorted(found.hidden_rows & set(rows_read))
    if hidden:
        notes.append(f"{count(len(hidden), 'row')} hidden in Excel ({rows_named(hidden)}) "
                     "read and linked like the others (hiding a row does not take it out)")
    columns = sorted(i for i in used_columns if i + 1 in found.hidden_columns)
    if columns:
        named = ", ".join(f"{letter(i)} ({used_columns[i]})" for i in columns)
        notes.append(f"column{'s' if len(columns) > 1 else ''} {named} hidden in Excel, read "
                     "like the others")
    merged = [ref for ref in found.merged if _below(ref, heading_row)]
    if merged:
        shown = ", ".join(merged[:ROWS_NAMED]) + (
            f" and {len(merged) - ROWS_NAMED} more" if len(merged) > ROWS_NAMED else "")
        notes.append(f"merged cells {shown}: Excel keeps a merged value in its first cell "
                     "only, so the other rows of the merge read it as empty (unmerge and fill "
                     "them in to link on it)")
    return notes


def _below(ref: str, heading_row: int) -> bool:
    """Whether a merged range (B5:B7, A5:C5) reaches below the heading row."""
    last = ref.rpartition(":")[2]
    return int("".join(c for c in last if c.isdigit()) or 0) > heading_row
