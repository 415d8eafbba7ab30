"""`saferoptions link-file IN.csv OUT.csv`: link and de-duplicate any spreadsheet of person records.

A plain command: it needs no Django settings, no secret key and no database, so it runs on a
fresh clone and from an installed package with no environment set (`saferoptions.cli` calls
`main` before Django is loaded). The Django management command `link_file` calls it too.
"""

import argparse
import sys
from pathlib import Path

import duckdb
import phonenumbers
from splink.internals.exceptions import SplinkException

from . import file_fields, file_linking, file_outputs, sheet_notes, spreadsheet
from .model import ENGINES, EngineUnavailable
from .spreadsheet import BadFile

# DuckDB's own default is 80% of the machine: on a 540,000-record file the process then
# peaked at 5-7 GB. Capped here, with the Python side (about 1.5 GB at that size), it stays
# under 4 GB, and a file that needs more spills to disk instead of taking the machine.
DEFAULT_MEMORY_LIMIT = "2GB"


class LinkFileError(Exception):
    """A one-line reason link-file cannot run (bad file, option or engine)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        # One line and exit status 1, as for a bad file (argparse would print its usage too).
        self.exit(1, f"CommandError: {message} (--help lists the options)\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="saferoptions link-file",
        description="Link the person records in a CSV file and write who is who to another.")
    p.add_argument("input", type=Path,
                   help="CSV or Excel .xlsx workbook of person records (a record_id column, "
                        "or each row is named by its row number)")
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
    p.add_argument("--rejects", type=Path, default=None,
                   help="where to write rows that cannot be linked, with the reason "
                        "(default: OUT_rejects.csv beside OUT, only when there are any)")
    p.add_argument("--sheet", default=None,
                   help="the sheet of an .xlsx workbook to read (default: the one sheet whose "
                        "headings name person fields)")
    p.add_argument("--row-ids", action="store_true",
                   help="name each record by its row number in the file, not by its "
                        "record_id column (when that column repeats)")
    p.add_argument("--date-order", choices=("auto", "dmy", "mdy"), default="auto",
                   help="how to read dates such as 04/03/2009: dmy (4 March), mdy (3 April), "
                        "or auto: month first only when the file's own dates show it")
    p.add_argument("--phone-region", default="GB",
                   help="country whose numbers are written without a country code (GB)")
    p.add_argument("--report", type=Path, default=None,
                   help="write a self-contained HTML page of the trained model and thresholds")
    p.add_argument("--engine", choices=ENGINES, default="duckdb")
    p.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT,
                   help="most memory DuckDB may use, e.g. 4GB (beyond it, it spills to a "
                        f"temporary folder; default {DEFAULT_MEMORY_LIMIT})")
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
    if args.phone_region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise LinkFileError(f"--phone-region {args.phone_region!r} is not a country code "
                            "phonenumbers knows (GB, IE, US, AU, ...)")
    review_path = args.review or _beside(args.output, "review")
    rejects_path = args.rejects or _beside(args.output, "rejects")
    outputs = [p.resolve() for p in (args.output, review_path, rejects_path, args.report) if p]
    if args.input.resolve() in outputs:
        raise LinkFileError(f"{args.input} is named as an output too: it would be overwritten")
    if len(set(outputs)) < len(outputs):
        raise LinkFileError("OUT, --review, --rejects and --report must be different files")
    for path in (args.output, args.review, args.rejects, args.report):
        if path is not None and not path.parent.is_dir():
            # Found before an hour's linking, not after.
            raise LinkFileError(f"{path} cannot be written: there is no folder {path.parent}")
    try:
        columns = file_fields.parse_column_map(getattr(args, "columns", None))
        sheet = spreadsheet.read(args.input, columns, row_ids=getattr(args, "row_ids", False),
                                 sheet_name=getattr(args, "sheet", None))
        month_first, note = _date_order(sheet.rows, getattr(args, "date_order", "auto"))
        sheet.notes += [note] if note else []
        result = file_linking.link(
            sheet.rows, threshold=args.threshold, review_threshold=args.review_threshold,
            link_unsure=args.link_unsure, engine=args.engine, memory_limit=args.memory_limit,
            phone_region=args.phone_region.upper(), month_first=month_first)
    except (BadFile, EngineUnavailable, file_fields.BadColumnMap) as exc:
        raise LinkFileError(str(exc)) from None
    except (SplinkException, duckdb.Error) as exc:
        # Never a traceback: the engine's first line is the most a user can act on.
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        more = ("; --memory-limit gives it more (now "
                f"{args.memory_limit or 'DuckDB default'})" if "out of memory" in first.lower()
                else "")
        raise LinkFileError(f"linking {args.input.name} failed in the engine ({first}){more}"
                            ) from None
    rows = sheet.rows
    by_id = {r["record_id"]: r for r in rows}
    writes = [(args.output, lambda p: file_outputs.write_links(p, rows, result)),
              (review_path, lambda p: file_outputs.write_review(p, by_id, result)),
              (args.report, lambda p: file_outputs.write_report(p, by_id, result))]
    if sheet.rejects:
        writes.append((rejects_path, lambda p: file_outputs.write_rejects(p, sheet)))
    for path, write in writes:
        if path is None:
            continue
        try:
            write(path)
        except OSError as exc:
            raise LinkFileError(f"{path} cannot be written ({exc.strerror})") from None
    out.write(summary(rows, result, args.output, review_path, sheet=sheet,
                      rejects_path=rejects_path) + "\n")
    return 0


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


def _beside(output: Path, what: str) -> Path:
    return output.with_name(f"{output.stem}_{what}.csv")


def _date_order(rows: list[dict], order: str) -> tuple[bool, str | None]:
    if order != "auto":
        return order == "mdy", None
    return file_fields.date_order(r["dob"] for r in rows)


def summary(rows, result, output: Path, review_path: Path, *, sheet=None,
            rejects_path: Path | None = None) -> str:
    persons = len(set(result.cluster_of.values()))
    lines = [f"{len(rows)} records, {persons} persons; written to {output}"]
    if sheet is not None:
        lines.append("columns: " + ", ".join(
            f"{'+'.join(hs)} -> {f}" for f, hs in sheet.used.items()))
        if sheet.rejects:
            many = len(sheet.rejects) > 1
            rows_named = sheet_notes.rows_named([r["row"] for r in sheet.rejects])
            lines.append(f"{len(sheet.rejects)} row{'s' if many else ''} cannot be linked, "
                         f"written with the reason to {rejects_path} ({rows_named}; first: "
                         f"{sheet.rejects[0]['reason']})")
        lines += [f"note: {n}" for n in sheet.notes]
    if result.thresholds:
        t = result.thresholds
        precision = (f"expected precision of links {t.expected_precision}"
                     if t.expected_precision else "no pair is likely enough to link")
        lines.append(f"linked at match probability >= {t.link:.3f}, unsure from "
                     f"{t.review:.3f} ({t.how}); {precision}")
    unsure = f"{_count(len(result.unsure), 'unsure pair')}, written to {review_path}"
    if result.linked_unsure:
        unsure = (f"{_count(result.linked_unsure, 'unsure pair')} linked (--link-unsure); "
                  + unsure)
    lines.append(unsure)
    if result.unlinkable:
        lines.append(f"{_count(len(result.unlinkable), 'record')} with too little to match "
                     "(no name, or too few details), each kept as its own person")
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except LinkFileError as exc:
        # The same one line the project's other commands give, and no traceback.
        print(f"CommandError: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print("CommandError: out of memory: try --memory-limit, or a smaller file",
              file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - an analyst gets one line, never a traceback
        print(f"CommandError: link-file stopped on an unexpected {type(exc).__name__}: "
              "please report it with the command used (not the file)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
