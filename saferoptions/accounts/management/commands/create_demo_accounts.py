"""Create one demo account per role and print username, role, password and TOTP secret."""

import datetime as dt

from django.core.management.base import BaseCommand

from saferoptions.access.partnership import ensure_partnership_agreements
from saferoptions.accounts import demo
from saferoptions.core import clock
from saferoptions.core.models import Role


class Command(BaseCommand):
    help = ("Create (or refresh) one demo account per role and the demo partnership's sharing "
            "agreements (Hub triage, team around the child, data quality); safe to run again.")

    def handle(self, *args, **options):
        demo.require_demo()
        accounts = demo.create_all()
        # The demo partnership signed its agreements before the city's records began: proposed
        # by its system administrator, approved by its data protection officer.
        ensure_partnership_agreements(
            starts_on=dt.date(clock.today().year - 5, 1, 1),
            proposed_by=demo.user_for(Role.SYSTEM_ADMINISTRATOR),
            decided_by=demo.user_for(Role.DATA_PROTECTION_OFFICER))
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
            "\nThe demo partnership's agreements are approved: each agency shares with the Hub "
            "what it decides on (triage) and reviews (data quality), and the agencies on a "
            "child's team share for direct work (see /access/agreements/).\n"
            f"Passwords are kept in {demo.demo_file()} (readable by you only). Demo users have "
            "no phone: `python manage.py otp_code USERNAME` prints the current 6-digit code."
        )
