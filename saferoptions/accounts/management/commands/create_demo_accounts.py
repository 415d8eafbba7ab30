"""Create one demo account per role and print username, role, password and TOTP secret."""

import datetime as dt

from django.core.management.base import BaseCommand

from saferoptions.access.partnership import ensure_hub_agreements
from saferoptions.accounts import demo
from saferoptions.core import clock


class Command(BaseCommand):
    help = ("Create (or refresh) one demo account per role and the demo partnership's sharing "
            "agreement with the Hub; safe to run again.")

    def handle(self, *args, **options):
        accounts = demo.create_all()
        # The demo partnership has signed its agreement since the city's records began.
        ensure_hub_agreements(starts_on=dt.date(clock.today().year - 5, 1, 1))
        widths = [max(len(getattr(a, f)) for a in accounts) for f in ("username", "role")]
        user_w, role_w = widths
        header = f"{'Username':<{user_w}}  {'Role':<{role_w}}  {'Password':<16}  TOTP secret"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for a in accounts:
            self.stdout.write(
                f"{a.username:<{user_w}}  {a.role:<{role_w}}  {a.password:<16}  {a.totp_secret}"
            )
        self.stdout.write(
            "\nEvery partner agency shares identity records with the Hub for triage and record "
            "review (the demo partnership's agreement, in admin).\n"
            f"Passwords are kept in {demo.demo_file()} (readable by you only). Demo users have "
            "no phone: `python manage.py otp_code USERNAME` prints the current 6-digit code."
        )
