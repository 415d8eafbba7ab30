"""`saferoptions link-file IN.csv OUT.csv`: link and de-duplicate a spreadsheet of person records.

Trains the linkage model on the file itself and writes record_id, person_id, match_probability.
It never reads or writes the application database.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferoptions.linkage.batch import link_records
from saferoptions.linkage.model import ENGINES, EngineUnavailable
from saferoptions.linkage.spreadsheet import BadFile, read_records, write_links


class Command(BaseCommand):
    help = "Link the person records in a CSV file and write who is who to another CSV file."
    requires_system_checks: list = []  # no database, so nothing to check

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help="CSV with a record_id column")
        parser.add_argument("output", type=Path, help="where to write the links")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb")
        parser.add_argument("--memory-limit", default=None,
                            help="most memory DuckDB may use, e.g. 4GB (beyond it, it spills "
                                 "to a temporary folder)")

    def handle(self, *args, input: Path, output: Path, engine: str, memory_limit: str | None,
               **options):
        try:
            rows = read_records(input)
            result = link_records(rows, engine=engine, memory_limit=memory_limit)
            write_links(output, rows, result.cluster_of, result.best_link)
        except (BadFile, EngineUnavailable) as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{output} cannot be written ({exc.strerror})") from None
        persons = len(set(result.cluster_of.values()))
        self.stdout.write(
            f"{len(rows)} records, {persons} persons, {len(result.review)} pairs unsure, "
            f"{len(result.unlinkable)} with too little to match; written to {output}"
        )
