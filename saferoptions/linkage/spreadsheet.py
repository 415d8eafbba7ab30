"""Reading an analyst's CSV of person records and writing who is who, for `link-file`.

Every problem with the file is a `BadFile` with a one-line message naming the problem; the
values themselves never appear in it (they may be personal data).
"""

import csv
import io
from pathlib import Path

from saferoptions.core.exports import csv_writer

from .records import RAW_FIELDS

OUTPUT_COLUMNS = ("record_id", "person_id", "match_probability")
_SNIFF_BYTES = 8192


class BadFile(ValueError):
    """The file cannot be linked, and why (one line)."""


def read_records(path: Path) -> list[dict]:
    """Rows with record_id, source and the raw fields present (missing fields are empty)."""
    text = _text_of(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
        if not header:
            raise BadFile(f"{path.name} is empty")
        if "record_id" not in header:
            raise BadFile(f"{path.name} has no record_id column (is it a CSV with a header row?)")
        reader.fieldnames = header
        rows = [_row(raw, number) for number, raw in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise BadFile(f"{path.name} is not a readable CSV file ({exc})") from None
    if not rows:
        raise BadFile(f"{path.name} has a header but no records")
    _no_duplicates(rows)
    return rows


def _text_of(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadFile(f"{path} does not exist") from None
    except OSError as exc:
        raise BadFile(f"{path} cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise BadFile(f"{path.name} is empty")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise BadFile(f"{path.name} is a binary file, not a CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Spreadsheets saved on Windows are often cp1252; anything else is not text.
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise BadFile(f"{path.name} is not text (UTF-8 or Windows-1252)") from None


def _row(raw: dict, number: int) -> dict:
    if None in raw:
        raise BadFile(f"row {number} has more values than the header has columns")
    record_id = (raw.get("record_id") or "").strip()
    if not record_id:
        raise BadFile(f"row {number} has no record_id")
    row = {"record_id": record_id, "source": (raw.get("source") or "").strip(), "row": number}
    for name in RAW_FIELDS:
        row[name] = (raw.get(name) or "").strip()
    return row


def _no_duplicates(rows: list[dict]) -> None:
    first_seen: dict[str, int] = {}
    for row in rows:
        if row["record_id"] in first_seen:
            raise BadFile(
                f"record_id on row {row['row']} repeats the one on row "
                f"{first_seen[row['record_id']]}: each record needs its own record_id"
            )
        first_seen[row["record_id"]] = row["row"]


def write_links(path: Path, rows: list[dict], cluster_of: dict[str, str],
                best_link: dict[str, float]) -> None:
    """One line per input record: its person (a cluster number) and best link probability."""
    person_ids: dict[str, str] = {}
    with path.open("w", newline="", encoding="utf-8") as out:
        # record_id comes from the analyst's file: it must not become a formula when opened.
        writer = csv_writer(out)
        writer.writerow(OUTPUT_COLUMNS)
        for row in rows:
            cluster = cluster_of[row["record_id"]]
            person = person_ids.setdefault(cluster, f"P{len(person_ids) + 1}")
            probability = best_link.get(row["record_id"])
            writer.writerow([row["record_id"], person,
                             "" if probability is None else f"{probability:.6f}"])
