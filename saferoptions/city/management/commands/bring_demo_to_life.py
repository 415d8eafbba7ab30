"""Run the demo city's last days of events through the rules, so the demo opens on live work;
then the partners' messages of the last few hours arrive through the feeds (`present.py`)."""

import time

from django.core.management.base import BaseCommand, CommandError

from saferoptions.city.contexts_demo import context_work
from saferoptions.city.demo_life import bring_demo_to_life, city_seed, describe, live_counts
from saferoptions.city.dpo_month import dpo_month
from saferoptions.city.participation_demo import participation_history
from saferoptions.city.present import arrive_now
from saferoptions.city.workforce_demo import workforce_register
from saferoptions.core import clock


class Command(BaseCommand):
    help = ("Replay the synthetic city's recent events through the task rules and the "
            "pathway hooks, then build next week's agendas (once; safe to run again); then a "
            "few partners' messages of the last hours arrive (again once the present is "
            "stale); the DPO's month, the participation strands' past weeks, the context "
            "cases and the workforce register (once).")

    def add_arguments(self, parser):
        parser.add_argument("--days", default="14", help="how many days back to replay (1-60)")

    def handle(self, *args, **options):
        days = options["days"]
        if not str(days).isdigit() or not 1 <= int(days) <= 60:
            raise CommandError(f"--days must be a whole number from 1 to 60, not {days!r}")
        started = time.perf_counter()
        life = bring_demo_to_life(days=int(days))
        took = f"{time.perf_counter() - started:.1f} s"
        if life is None:
            state = "already alive; nothing to do"
        else:
            state = f"brought to life from {life[0]:,} events of the last {days} days in {took}"
        if life is not None and life[0] == 0:  # a city from before --ending-today ends weeks ago
            state += " (none are recent: generate the city with --ending-today)"
        self.stdout.write(f"Demo {state}: {describe(live_counts())}")
        if life is not None and life[0]:
            self.stdout.write(life[1].describe(clock.now()))
        if life is None or life[0]:  # a city that ends weeks ago has no present to arrive in
            present = arrive_now(seed=city_seed()).describe()
            # The DPO's month (journey 7): break-glass accesses to review, records due; the
            # participation strands' past weeks, recorded by the demo's Hub practitioner.
            month = dpo_month(seed=city_seed()).describe()
            taking_part = participation_history(seed=city_seed()).describe()
            # Place and peer-group cases (journeys 3 and 4), worked by the demo's accounts.
            work = context_work(seed=city_seed()).describe()
            # The workforce register and its outreach sessions (journey 6).
            workforce = workforce_register(seed=city_seed()).describe()
            self.stdout.write(f"{present} {month} {taking_part} {work} {workforce}")
