"""Process every received message in this process: a worker that can be stopped at any point.

The same idempotent handler the django-q2 worker runs; used to drain the inbox after an
outage and by the crash test (which kills it mid-batch and starts it again).
"""

import time

from django.core.management.base import BaseCommand

from saferoptions.feeds import services
from saferoptions.feeds.models import InboxMessage, MessageStatus


class Command(BaseCommand):
    help = "Process all received feed messages, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--pause", type=float, default=0.0,
                            help="Seconds to wait after each message (for crash tests).")

    def handle(self, *args, pause, **options):
        done = 0
        while ids := list(InboxMessage.objects.filter(status=MessageStatus.RECEIVED)
                          .order_by("pk").values_list("pk", flat=True)[:500]):
            for pk in ids:
                services.process_message(pk)
                done += 1
                self.stdout.write(f"processed {pk}")
                self.stdout.flush()
                if pause:
                    time.sleep(pause)
        self.stdout.write(f"done {done}")
