"""Create next week's locality meetings if missing and build or refresh their agendas."""

from django.core.management.base import BaseCommand

from saferoptions.meetings import services


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        for meeting in services.build_upcoming_agendas():
            self.stdout.write(f"{meeting}: {meeting.items.count()} items on the agenda")
