"""`saferoptions import FEED FILE --agency SLUG`: import a CSV or XLSX file and print its ledger."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferoptions.core.models import Agency
from saferoptions.feeds import selectors, services
from saferoptions.feeds.flat import HeaderError
from saferoptions.feeds.models import MessageStatus
from saferoptions.feeds.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Import a partner feed file (CSV or XLSX) and print its ledger as JSON."

    def add_arguments(self, parser):
        parser.add_argument("feed", choices=sorted(SCHEMAS))
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="Slug of the sending agency.")
        parser.add_argument("--process-now", action="store_true",
                            help="Process the rows here instead of leaving them to the worker.")

    def handle(self, *args, feed, file, agency, process_now, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"agency: no agency has the slug {agency!r}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"file: {file} does not exist")
        try:
            batch = services.import_file(agency=found, feed_type=feed, filename=path.name,
                                         content=path.read_bytes())
        except HeaderError as exc:
            raise CommandError(f"file: the file {exc}") from exc
        if process_now:
            waiting = batch.messages.filter(status=MessageStatus.RECEIVED)
            for pk in waiting.values_list("pk", flat=True):
                services.process_message(pk)
        self.stdout.write(json.dumps({"batch": batch.pk, **selectors.ledger(batch)}))
