"""`saferoptions generate-city --children N --seed S`: build and load the synthetic city."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from saferoptions.city import generator
from saferoptions.city.census import write_child_population
from saferoptions.city.loader import load_city
from saferoptions.city.models import SyntheticCity
from saferoptions.city.removal import remove_city
from saferoptions.city.truth import write_truth
from saferoptions.core import clock
from saferoptions.linkage.services import link_all_identities
from saferoptions.people.localities import assign_localities


def whole_number(name: str, text: str) -> int:
    """The argument as an int, or a one-line reason naming it."""
    try:
        return int(text)
    except (TypeError, ValueError):
        raise CommandError(f"--{name} must be a whole number, not {text!r}") from None


class Command(BaseCommand):
    help = "Generate a fictional Bristol population and its agencies' records, and load it."
    # Generating data needs the models only, not every URL and view to import cleanly.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str):
            # argparse would print the whole usage; a one-line reason is what people need.
            if not self._called_from_command_line:
                raise CommandError(f"Error: {message}")
            sys.stderr.write(f"generate-city: {message}\n")
            sys.exit(2)

        parser.error = one_line_error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--children", required=True, help="how many children (10-17)")
        parser.add_argument("--seed", required=True, help="the same seed gives the same city")
        parser.add_argument("--months", default="12", help="months of events (1-60)")
        present = parser.add_mutually_exclusive_group()
        present.add_argument("--skip-if-present", action="store_true",
                             help="do nothing (and succeed) if a city is already loaded")
        present.add_argument("--replace", action="store_true",
                             help="remove the loaded city first, then generate")
        parser.add_argument("--no-link", action="store_true",
                            help="leave identities unlinked (no persons)")
        parser.add_argument("--ending-today", action="store_true",
                            help="end the period today, not at the start of this month (demo)")

    def handle(self, *args, **options):
        children = whole_number("children", options["children"])
        seed = whole_number("seed", options["seed"])
        months = whole_number("months", options["months"])
        try:
            generator.check(children, seed, months)
        except ValueError as error:
            raise CommandError(str(error)) from None
        loaded = SyntheticCity.objects.order_by("-generated_at").first()
        if loaded and options["skip_if_present"]:
            self.stdout.write(f"{loaded} is already present; nothing to do.")
            return
        if loaded and not options["replace"]:
            raise CommandError(f"{loaded} is already loaded: use --replace to replace it "
                               "or --skip-if-present to keep it.")
        self._build(children, seed, months, replacing=loaded, link=not options["no_link"],
                    ending_today=options["ending_today"])

    def _generate(self, children: int, seed: int, months: int, ending_today: bool):
        today = clock.today()
        if ending_today:  # the demo: its last week is this week
            start, end = generator.start_ending_on(today, months), today
        else:  # whole months, so tests and benchmarks see the same dates all month
            start, end = generator.default_start(today, months), None
        self._say(f"Generating {children:,} children, seed {seed}, {months} months from {start}"
                  + (f" to {end}..." if end else "..."))
        city = generator.generate(children=children, seed=seed, months=months, start=start,
                                  end=end)
        return generator.known_by_end(city) if ending_today else city

    def _remove(self, loaded: SyntheticCity) -> None:
        self._say(f"Removing {loaded}...")
        try:
            remove_city(loaded, progress=self._say)
        except ProtectedError as error:
            reason = " ".join(str(error.args[0]).split())
            raise CommandError(f"Cannot remove the current city: {reason}") from None

    def _build(self, children: int, seed: int, months: int, *, replacing: SyntheticCity | None,
               link: bool, ending_today: bool) -> None:
        started = time.perf_counter()
        city = self._generate(children, seed, months, ending_today)
        self._say(f"Generated in {time.perf_counter() - started:.1f} s: " + ", ".join(
            f"{v:,} {k}" for k, v in city.counts().items()))
        folder = write_truth(city, settings.EVALUATION_DIR)
        self._say(f"Ground truth written to {folder} (evaluation store, not the database).")
        census = write_child_population(city, settings.DASHBOARDS_CHILD_POPULATION_FILE)
        self._say(f"Child population written to {census} (the dashboards' denominators).")
        # The old city goes only if the new one arrives: both happen in one transaction.
        with transaction.atomic():
            if replacing:
                self._remove(replacing)
            loaded = load_city(city, progress=self._say)
        self._say(f"Loaded in {time.perf_counter() - started:.1f} s in all.")
        if link:
            self._link()
        self.stdout.write(self.style.SUCCESS(f"{loaded} is ready."))

    def _link(self) -> None:
        started = time.perf_counter()
        self._say("Linking identities into persons...")
        try:
            run = link_all_identities()
        except Exception as error:  # noqa: BLE001 - the city is loaded; say what failed, briefly
            raise CommandError(f"The city is loaded, but linking failed: {error}") from None
        counts = getattr(run, "counts", {}) or {}
        self._say(f"Linked in {time.perf_counter() - started:.1f} s: "
                  + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self._say(f"Localities set for {assign_localities()} people from their postcodes.")

    def _say(self, message: str) -> None:
        self.stdout.write(message)
