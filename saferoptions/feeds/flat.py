"""The flat (one row per event and person) layout of each feed, for CSV and XLSX files.

A file must carry every column of its feed's template, in any order (partners' tools reorder
columns; a name is unambiguous, a position is not). A missing or unknown column refuses the
whole file, naming the columns, because no row of it can be read safely.
"""

import csv
import difflib
import io
import re

from saferoptions.core.exports import csv_writer

from . import provider_reports
from .dates import day_first, why_not
from .schemas import SCHEMAS

ENVELOPE = ["idempotency_key", "source_reference", "occurred_at", "reported_at", "summary",
            "location_description", "place_name", "place_type", "place_latitude",
            "place_longitude"]
PERSON = ["person_source_id", "person_role", "person_given_name", "person_family_name",
          "person_date_of_birth", "person_sex", "person_ethnicity", "person_nhs_number",
          "person_postcode"]
# In the template, but a file may leave them out (not every partner records them).
OPTIONAL = {"person_ethnicity"}
EXTRA = {
    "police_incident": ["category", "objects"],
    "stop_search": ["grounds", "objects"],
    "missing_episode": ["returned_at"],
    "ed_assault": ["arrival_at", "assault_method", "location_type", "patient_age",
                   "rapid_response_referral"],
    "school_incident": ["school_urn", "incident_kind"],
    "housing_report": ["category"],
    "licensing_report": ["category"],
    "community_concern": ["category"],
}
TRUE, FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}
# Columns a spreadsheet may hold as UK dates (`dates.day_first`).
DATE_TIMES = {"occurred_at", "reported_at", "returned_at", "arrival_at"}
DATES = {"person_date_of_birth"}


class HeaderError(ValueError):
    """The file's header row does not match the feed's template."""


class FileRefused(HeaderError):
    """A file that is refused whole before its header is read (not text, a feed its agency
    may not send); caught wherever a header error is, with the same one-line message."""


def columns(feed_type: str) -> list[str]:
    """The template's columns for a feed, in template order."""
    if feed_type in provider_reports.COLUMNS:  # a provider's report: no event envelope
        return provider_reports.COLUMNS[feed_type]
    return ENVELOPE + EXTRA[feed_type] + PERSON


def template_csv(feed_type: str) -> str:
    """The downloadable template: the header row only."""
    out = io.StringIO()
    csv_writer(out).writerow(columns(feed_type))
    return out.getvalue()


def heading(name: str) -> str:
    """A column heading as the template spells it: case, spaces at the ends, a byte order mark
    and spaces or hyphens between words do not matter ("Source Reference" is source_reference)."""
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())


def check_header(feed_type: str, header: list[str]) -> list[str]:
    """The header, cleaned; raises HeaderError naming missing, unknown or repeated columns."""
    header = [heading(h) for h in header]
    expected = set(columns(feed_type))
    problems = []
    missing = [c for c in columns(feed_type) if c not in header and c not in OPTIONAL]
    if not expected & set(header):
        # No header at all (an export without headings): its first row is a record, which
        # listed back as "unknown columns" would only echo a child's details.
        raise HeaderError("has none of the feed's columns in its first row, which must be the "
                          "header (as in the feed's template): missing columns: "
                          + ", ".join(missing))
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unknown := [c for c in header if c and c not in expected]:
        problems.append("unknown columns: " + ", ".join(_with_hint(c, missing) for c in unknown))
    if untitled := [str(i) for i, c in enumerate(header, start=1) if not c]:
        problems.append("columns without a heading that hold values: column "
                        + ", ".join(untitled))
    if repeated := sorted({c for c in header if c and header.count(c) > 1}):
        problems.append("repeated columns: " + ", ".join(repeated))
    if problems:  # a header cell that was not UTF-8 is shown with '?' for its bad bytes
        text = "has " + "; ".join(problems)  # after "The file": a sentence on the page
        text = text.encode("utf-8", errors="replace").decode("utf-8")
        raise HeaderError(text)
    return header


def _with_hint(unknown: str, missing: list[str]) -> str:
    """An unknown heading, with the missing one it is probably a misspelling of."""
    close = difflib.get_close_matches(unknown, missing, n=1, cutoff=0.8)
    return f"{unknown} (did you mean {close[0]}?)" if close else unknown


def row_to_message(feed_type: str, row: dict[str, str]) -> dict:
    """A flat row as the nested message its feed's schema validates (UK dates read day first)."""
    if feed_type in provider_reports.COLUMNS:
        return provider_reports.row_to_message(row)
    values = {k: _as_iso(k, v.strip()) for k, v in row.items()
              if v is not None and v.strip() != ""}
    message = {k: v for k, v in values.items() if k in ENVELOPE[:6] + EXTRA[feed_type]}
    if "place_name" in values:
        place = {k: v for k, v in values.items() if k.startswith("place_")}
        message["place"] = {k if k == "place_type" else k[6:]: v for k, v in place.items()}
    if "objects" in message:
        kinds = [k.strip() for k in message.pop("objects").split(";") if k.strip()]
        message["objects"] = [{"kind": k} for k in kinds]
    if "rapid_response_referral" in message:
        message["rapid_response_referral"] = _boolean(message["rapid_response_referral"])
    person = {k[7:]: v for k, v in values.items() if k.startswith("person_")}
    field = SCHEMAS[feed_type].person_field
    if person:
        message[field] = [person] if field == "people" else person
    return message


_PERSON_PATH = re.compile(r"(?:people|person|referral|pupil)(?:\.\d+|\[\d+\])?\.(\w+)")
_OBJECT_PATH = re.compile(r"objects(?:\.\d+|\[\d+\])?(?:\.\w+)?")


def column_of(field: str) -> str:
    """The file column a schema field came from: people.0.date_of_birth is
    person_date_of_birth, place.name is place_name, objects.1.kind is objects."""
    if found := _PERSON_PATH.fullmatch(field):
        return "person_" + found[1]
    if _OBJECT_PATH.fullmatch(field):
        return "objects"
    if field.startswith("place."):
        return field[6:] if field == "place.place_type" else "place_" + field[6:]
    return field


def explain(row: dict[str, str], errors: list[dict]) -> list[dict]:
    """A file row's schema errors in the file's own terms: the column, and for a date the
    reason in words that say how to write it (the schema's own names only ISO 8601)."""
    out = []
    for error in errors:
        column = column_of(error.get("field", ""))
        reason = error.get("reason", "")
        value = (row.get(column) or "").strip()
        if column in DATE_TIMES | DATES and value and "wrong format" in reason:
            reason = why_not(value, with_time=column in DATE_TIMES)
        out.append({**error, "field": column, "reason": reason})
    return out


def _as_iso(column: str, value: str) -> str:
    if column in DATE_TIMES or column in DATES:
        return day_first(value, with_time=column in DATE_TIMES)
    return value


def _boolean(value: str):
    lowered = value.lower()
    if lowered in TRUE:
        return True
    return False if lowered in FALSE else value  # left as text: the schema names the field


_LONE_CR = re.compile(r"\r(?!\n)")


def encode_row(header: list[str], values: list[str]) -> bytes:
    """A row and its header as CSV bytes: what is stored raw, edited and replayed."""
    out = io.StringIO()
    # The writer quotes a cell holding "\n" but not one holding a lone "\r" (a Mac file's line
    # break, text pasted from Windows), which would then be read back as two rows. Only such
    # rows are written fully quoted, so every other row's bytes (and key) stay as they were.
    carriage = any(_LONE_CR.search(cell) for cell in (*header, *values))
    writer = csv.writer(out, lineterminator="\n",
                        quoting=csv.QUOTE_ALL if carriage else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerow(values)
    # surrogateescape gives back the exact bytes of any cell that was not valid UTF-8.
    return out.getvalue().encode("utf-8", errors="surrogateescape")


def decode_row(raw: bytes) -> tuple[dict[str, str], list[dict]]:
    """A stored row back as {column: value}, with an error for each cell not valid UTF-8."""
    text = raw.decode("utf-8", errors="surrogateescape")
    # newline="": a cell may hold a lone carriage return (a Mac file, text pasted from Windows).
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if len(lines) != 2 or len(lines[0]) != len(lines[1]):
        reason = "needs the header line and one row with as many cells"
        return {}, [{"field": "row", "reason": reason}]
    row, errors = {}, []
    for name, value in zip(lines[0], lines[1], strict=True):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            errors.append({"field": name, "reason": "is not valid UTF-8 text"})
        row[name] = value
    return row, errors
