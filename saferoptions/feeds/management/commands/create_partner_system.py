"""Create a partner system's credential; the token is printed once and never stored."""

from django.core.management.base import BaseCommand, CommandError

from saferoptions.core.models import Agency
from saferoptions.feeds import services
from saferoptions.feeds.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Create a partner system credential for an agency and its feed types."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--agency", required=True)
        parser.add_argument("--feeds", required=True, help="Comma-separated feed types.")

    def handle(self, *args, name, agency, feeds, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"agency: no agency has the slug {agency!r}")
        feed_types = [f.strip() for f in feeds.split(",") if f.strip()]
        if unknown := [f for f in feed_types if f not in SCHEMAS]:
            raise CommandError(f"feeds: unknown feed types {', '.join(unknown)}")
        try:
            partner, token = services.create_partner_system(
                actor=None, name=name, agency=found, feed_types=feed_types)
        except services.PartnerSystemRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Partner system {partner.pk} created. Token (shown once): {token}")
