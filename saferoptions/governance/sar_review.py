"""The subject access export shaped for reading: the review page's sections, and the CSV zip.

Both are made from the export itself (`subject_access.export`), so the page, the JSON and the
CSV files hold the same thing; a free-text field flagged `check_before_release` is flagged on
the page and listed in each CSV row's `check_before_release` column.
"""

import dataclasses
import datetime as dt
import io
import re
import zipfile

from django.utils import timezone

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
    """The one section named, its rows from `start`; or every section, as many shown whole as
    fit in ROWS_SHOWN rows in all, the shortest first (the rest are read on their own)."""
    whole = set() if only else _fitting(body)
    found = []
    for key, title, about in CONTENTS:
        if only and key != only:
            continue
        rows = body[key]
        shown = rows[start:start + ROWS_SHOWN] if only else (rows if key in whole else [])
        flagged = sum(p.startswith(f"/{key}/") for p in body["free_text_for_review"])
        found.append(ReviewSection(key, title, about, len(rows), flagged, [
            _fields(row, f"/{key}/{start + n}") for n, row in enumerate(shown)],
            complete=len(shown) == len(rows)))
    return found


def _fitting(body: dict) -> set[str]:
    """The sections shown whole on the page of every section: the shortest, up to the room."""
    room, whole = ROWS_SHOWN, set()
    for key in sorted((key for key, _, _ in CONTENTS), key=lambda k: len(body[k])):
        if len(body[key]) > room:
            break
        whole.add(key)
        room -= len(body[key])
    return whole


def section_keys() -> set[str]:
    return {key for key, _, _ in CONTENTS}


# Field names whose words are not the name with spaces.
LABELS = {"record": "Record number", "nhs_number": "NHS number",
          "source_id": "The agency's reference", "nrm_referral": "NRM referral"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$")


def _label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


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
    if isinstance(value, str) and ISO_DATE.match(value):
        return _when(value)
    return str(value)


def _when(text: str) -> str:
    """An ISO date or moment from the file as the page says it: 6 December 2026, 3:44pm."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if "T" not in text:
        return f"{moment.day} {moment:%B %Y}"
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


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
