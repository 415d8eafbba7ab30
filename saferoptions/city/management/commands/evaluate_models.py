"""`manage.py evaluate_models`: train learned models on synthetic cities, score them on held-out
seeds against the transparent score, and write their cards for the dashboards' model page."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from saferoptions.city import model_eval
from saferoptions.dashboards.model_cards import cards_path


def _seeds(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError as error:
        raise CommandError(f"seeds: “{text}” is not a list of whole numbers") from error


class Command(BaseCommand):
    help = "Evaluate learned models against the transparent score and write their cards."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=5_000)
        parser.add_argument("--train-seeds", default="11,12")
        parser.add_argument("--held-out-seeds", default="101,102")
        parser.add_argument("--draws", type=int, default=1000, help="bootstrap draws")

    def handle(self, *args, **options):
        train, held = _seeds(options["train_seeds"]), _seeds(options["held_out_seeds"])
        if set(train) & set(held):
            raise CommandError("held-out seeds: a seed may not be both trained and held out")
        result = model_eval.evaluate(settings.CASES_KNOWN_RISK_INDICATORS,
                                     children=options["children"], train_seeds=train,
                                     held_out_seeds=held, draws=options["draws"],
                                     progress=self.stdout.write)
        path = model_eval.write_cards(result, cards_path().parent)
        self.stdout.write(f"{result['verdict']}\nCards written to {path}")
