"""`saferoptions link_identities`: link every agency identity into persons (batch linkage)."""

from django.core.management.base import BaseCommand, CommandError

from saferoptions.linkage.model import ENGINES, EngineUnavailable
from saferoptions.linkage.services import link_all_identities


class Command(BaseCommand):
    help = "Link every identity into persons with the current linkage model (trained if none)."

    def add_arguments(self, parser):
        parser.add_argument("--engine", choices=ENGINES, default="duckdb")
        parser.add_argument("--retrain", action="store_true",
                            help="train a new model version on the current identities first")

    def handle(self, *args, engine: str, retrain: bool, **options):
        try:
            run = link_all_identities(actor=None, engine=engine, retrain=retrain)
        except EngineUnavailable as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{k} {v}" for k, v in run.counts.items())
        self.stdout.write(f"Linkage run {run.pk} with model v{run.model.version}: {counts}")
