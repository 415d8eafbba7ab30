"""`saferoptions link-file IN.csv OUT.csv`: link and de-duplicate any spreadsheet of person records.

A plain command: it needs no Django settings, no secret key and no database, so it runs on a
fresh clone and from an installed package with no environment set (`saferoptions.cli` calls
`main` before Django is loaded). The Django management command `link_file` calls it too.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

from . import file_fields, file_linking, file_outputs
from .model import ENGINES, EngineUnavailable
from .spreadsheet import BadFile, _no_duplicates, _text_of


class LinkFileError(Exception):
    """A one-line reason link-file cannot run (bad file, option or engine)."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="saferoptions link-file",
        description="Link the person records in a CSV file and write who is who to another.")
    p.add_argument("input", type=Path, help="CSV with a record_id column")
    p.add_argument("output", type=Path, help="where to write record_id, person_id, probability")
    p.add_argument("--review", type=Path, default=None,
                   help="where to write the unsure pairs (default: OUT_review.csv beside OUT)")
    p.add_argument("--link-unsure", action="store_true",
                   help="link the unsure pairs instead of listing them for review")
    p.add_argument("--threshold", type=_probability, default=None,
                   help="match probability at or above which pairs are linked "
                        "(default: chosen from the data)")
    p.add_argument("--review-threshold", type=_probability, default=None,
                   help="match probability at or above which pairs are unsure "
                        "(default: chosen from the data)")
    p.add_argument("--columns", default=None,
                   help="map the file's headings to link-file's fields, e.g. "
                        "given_name=first_name,surname=last_name,street+town=address")
    p.add_argument("--phone-region", default="GB",
                   help="country whose numbers are written without a country code (GB)")
    p.add_argument("--report", type=Path, default=None,
                   help="write a self-contained HTML page of the trained model and thresholds")
    p.add_argument("--engine", choices=ENGINES, default="duckdb")
    p.add_argument("--memory-limit", default=None,
                   help="most memory DuckDB may use, e.g. 4GB (beyond it, it spills to a "
                        "temporary folder)")
    return p


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a probability between 0 and 1")
    return value


def run(args: argparse.Namespace, out=sys.stdout) -> int:
    """Link the file; raise LinkFileError with a one-line reason if it cannot."""
    if (args.threshold is not None and args.review_threshold is not None
            and args.review_threshold > args.threshold):
        raise LinkFileError("--review-threshold must not be above --threshold")
    review_path = args.review or args.output.with_name(f"{args.output.stem}_review.csv")
    try:
        columns = file_fields.parse_column_map(args.columns)
        rows = read_records(args.input, columns)
        result = file_linking.link(
            rows, threshold=args.threshold, review_threshold=args.review_threshold,
            link_unsure=args.link_unsure, engine=args.engine, memory_limit=args.memory_limit,
            phone_region=args.phone_region.upper())
    except (BadFile, EngineUnavailable, file_fields.BadColumnMap) as exc:
        raise LinkFileError(str(exc)) from None
    by_id = {r["record_id"]: r for r in rows}
    for path, write in ((args.output, lambda p: file_outputs.write_links(p, rows, result)),
                        (review_path, lambda p: file_outputs.write_review(p, by_id, result)),
                        (args.report, lambda p: file_outputs.write_report(p, by_id, result))):
        if path is None:
            continue
        try:
            write(path)
        except OSError as exc:
            raise LinkFileError(f"{path} cannot be written ({exc.strerror})") from None
    out.write(summary(rows, result, args.output, review_path) + "\n")
    return 0


def summary(rows, result, output: Path, review_path: Path) -> str:
    persons = len(set(result.cluster_of.values()))
    lines = [f"{len(rows)} records, {persons} persons; written to {output}"]
    if result.thresholds:
        t = result.thresholds
        lines.append(f"linked at match probability >= {t.link:.3f}, unsure from "
                     f"{t.review:.3f} ({t.how}); expected precision of links "
                     f"{t.expected_precision}")
    unsure = f"{len(result.unsure)} pairs unsure, written to {review_path}"
    if result.linked_unsure:
        unsure = f"{result.linked_unsure} unsure pairs linked (--link-unsure); " + unsure
    lines.append(unsure)
    if result.unlinkable:
        lines.append(f"{len(result.unlinkable)} records with too little to match "
                     "(no name, or too few details), each kept as its own person")
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def read_records(path: Path, columns: dict[str, list[str]] | None = None) -> list[dict]:
    """Rows with record_id and every link-file field (empty when the file lacks it)."""
    columns = columns or {}
    reader = csv.DictReader(io.StringIO(_text_of(path), newline=""))
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
        if not header:
            raise BadFile(f"{path.name} is empty")
        missing = sorted({h for hs in columns.values() for h in hs} - set(header))
        if missing:
            raise BadFile(f"{path.name} has no column {missing[0]!r} named in --columns")
        sources = {f: columns.get(f, [f]) for f in ("record_id", *file_fields.FIELDS)}
        if not set(sources["record_id"]) <= set(header):
            raise BadFile(f"{path.name} has no record_id column (is it a CSV with a header "
                          "row? --columns can name another heading)")
        reader.fieldnames = header
        rows = [_row(raw, number, sources) for number, raw in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise BadFile(f"{path.name} is not a readable CSV file ({exc})") from None
    if not rows:
        raise BadFile(f"{path.name} has a header but no records")
    _no_duplicates(rows)
    return rows


def _row(raw: dict, number: int, sources: dict[str, list[str]]) -> dict:
    if None in raw:
        raise BadFile(f"row {number} has more values than the header has columns")
    row = {"row": number}
    for field, headings in sources.items():
        row[field] = " ".join(v for v in ((raw.get(h) or "").strip() for h in headings) if v)
    if not row["record_id"]:
        raise BadFile(f"row {number} has no record_id")
    return row


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except LinkFileError as exc:
        # The same one line the project's other commands give, and no traceback.
        print(f"CommandError: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
