"""Print a demo account's current one-time code (demo accounts only; others are refused)."""

from django.core.management.base import BaseCommand, CommandError

from saferoptions.accounts import demo


class Command(BaseCommand):
    help = "Print the current 6-digit code for a demo account created by create_demo_accounts."

    def add_arguments(self, parser):
        parser.add_argument("username", help="a demo username, e.g. demo-hub-practitioner")

    def handle(self, *args, **options):
        try:
            self.stdout.write(demo.current_code(options["username"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
