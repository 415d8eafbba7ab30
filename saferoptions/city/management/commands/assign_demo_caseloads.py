"""Put each demo practitioner in the team around some children, so the demo shows records."""

from django.core.management.base import BaseCommand

from saferoptions.accounts.demo import require_demo
from saferoptions.city.caseloads import assign_demo_caseloads


class Command(BaseCommand):
    help = "Give demo practitioners a caseload of the synthetic city's children (idempotent)."

    def handle(self, *args, **options):
        require_demo()  # it puts the demo's practitioners in children's teams
        made = assign_demo_caseloads()
        if not made:
            self.stdout.write("Demo caseloads are already in place.")
        for username, count in made.items():
            self.stdout.write(f"{username}: {count} children in the team around the child")
