"""The subject access export shaped for reading: the review page's sections, and the CSV zip.

Both are made from the export itself (`subject_access.export`), so the page, the JSON and the
CSV files hold the same thing; a free-text field flagged `check_before_release` is flagged on
the page and listed in each CSV row's `check_before_release` column.
"""

import dataclasses
import io
import zipfile

from saferoptions.core.exports import csv_writer

from .sar_sections import SECTIONS

ROWS_SHOWN = 50  # a section longer than this is read a page at a time

# (key, title, what it is) of every section of the export, in reading order.
CONTENTS = (
    ("identities", "Records each agency holds", "Their name, date of birth, address and other "
                                                "details as each agency recorded them."),
    ("events", "Events", "Incidents and contacts partners shared that they were part of."),
    ("relationships", "Relationships", "Family members and associates agencies recorded."),
    *((s.key, s.title, s.about) for s in SECTIONS),
    ("access_log", "Who has read or changed the record", "Every entry in the audit log naming "
                                                         "them, newest first."),
)


@dataclasses.dataclass
class Field:
    """One field of a row as shown: its words, flagged if it must be read before release."""

    label: str
    text: str = ""
    flagged: bool = False
    pointer: str = ""
    rows: list = dataclasses.field(default_factory=list)  # nested rows (a plan's actions)


@dataclasses.dataclass
class ReviewSection:
    key: str
    title: str
    about: str
    count: int
    flagged: int
    rows: list  # lists of Field
    complete: bool  # every row is shown here (else read the section on its own pages)


def sections(body: dict, *, only: str = "", start: int = 0) -> list[ReviewSection]:
    """The one section named, its rows from `start`; or every section, each shown whole
    while the page holds at most ROWS_SHOWN rows in all (the rest are read on their own)."""
    found, room = [], ROWS_SHOWN
    for key, title, about in CONTENTS:
        if only and key != only:
            continue
        rows = body[key]
        if only:
            shown = rows[start:start + ROWS_SHOWN]
        else:
            shown = rows if len(rows) <= room else []
            room -= len(shown)
        flagged = sum(p.startswith(f"/{key}/") for p in body["free_text_for_review"])
        found.append(ReviewSection(key, title, about, len(rows), flagged, [
            _fields(row, f"/{key}/{start + n}") for n, row in enumerate(shown)],
            complete=len(shown) == len(rows)))
    return found


def section_keys() -> set[str]:
    return {key for key, _, _ in CONTENTS}


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _fields(row: dict, pointer: str) -> list[Field]:
    fields = []
    for name, value in row.items():
        where = f"{pointer}/{name}"
        if isinstance(value, dict) and "free_text" in value:
            fields.append(Field(_label(name), value["free_text"] or "Not recorded",
                                value["check_before_release"], where))
        elif isinstance(value, dict):
            fields.append(Field(_label(name), rows=[_fields(value, where)]))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            fields.append(Field(_label(name), rows=[
                _fields(item, f"{where}/{n}") for n, item in enumerate(value)]))
        else:
            fields.append(Field(_label(name), _words(value)))
    return fields


def _words(value) -> str:
    if value is None or value == "" or value == []:
        return "Not recorded"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def csv_zip(body: dict) -> bytes:
    """One CSV file per section (and per part: a plan's actions), in one zip."""
    files: dict[str, list[dict]] = {}
    for key, _, _ in CONTENTS:
        for row in body[key]:
            _flatten(key, row, files, parent=None)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("person.csv", _csv([{k: v for k, v in body["person"].items()}]))
        for name, rows in files.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


def _flatten(name: str, row: dict, files: dict, *, parent) -> None:
    flat = {} if parent is None else {"belongs_to_record": parent}
    flagged = []
    for key, value in row.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                _flatten(f"{name}-{key}", item, files, parent=row.get("record"))
        elif isinstance(value, dict) and "free_text" in value:
            flat[key] = value["free_text"]
            if value["check_before_release"]:
                flagged.append(key)
        elif isinstance(value, dict):
            for inner, text in value.items():
                plain = text["free_text"] if isinstance(text, dict) and "free_text" in text \
                    else text
                flat[f"{key}_{inner}"] = plain
                if isinstance(text, dict) and text.get("check_before_release"):
                    flagged.append(f"{key}_{inner}")
        else:
            flat[key] = _words(value) if isinstance(value, list) else value
    flat["check_before_release"] = ", ".join(flagged)
    files.setdefault(name, []).append(flat)


def _csv(rows: list[dict]) -> str:
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(k) for k in header])
    return text.getvalue()
