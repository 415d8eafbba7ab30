"""`saferoptions replay --rate R`: stream the synthetic city's events through the feeds API.

Creates one partner credential per sending agency, then posts each event (oldest first) at
`R` messages a second to a running server, so a viewer watches tasks appear in the inboxes.
"""

import json
import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from saferoptions.city.feed_messages import to_message
from saferoptions.city.generator import generate
from saferoptions.core.models import Agency
from saferoptions.feeds import services
from saferoptions.feeds.models import feeds_for_agency


class Command(BaseCommand):
    help = "Stream synthetic city events through the partner API at a steady rate."

    def add_arguments(self, parser):
        parser.add_argument("--rate", type=float, default=5.0, help="Messages per second.")
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--children", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--limit", type=int, default=0, help="Stop after this many.")

    def handle(self, *args, rate, url, children, seed, limit, **options):
        if rate <= 0:
            raise CommandError("rate: must be more than 0 messages a second")
        city = generate(children=children, seed=seed)
        events = sorted(city.events, key=lambda e: e.occurred_at)
        tokens, sent, started = {}, 0, time.monotonic()
        for event in events:
            message = to_message(city, event)
            if message is None:
                continue
            token = tokens.get(event.agency_slug) or self._token(tokens, event.agency_slug)
            code = _post(url, event.event_type, token, message)
            sent += 1
            self.stdout.write(f"{sent} {event.event_type} {code}")
            if limit and sent >= limit:
                break
            time.sleep(max(0.0, started + sent / rate - time.monotonic()))

    def _token(self, tokens: dict, agency_slug: str) -> str:
        agency = Agency.objects.get(slug=agency_slug)
        _, tokens[agency_slug] = services.create_partner_system(
            actor=None, name=f"replay-{agency_slug}-{int(time.time())}", agency=agency,
            feed_types=feeds_for_agency(agency))
        return tokens[agency_slug]


def _post(url: str, feed: str, token: str, message: dict) -> int:
    request = urllib.request.Request(  # noqa: S310 - the operator's own server URL
        f"{url.rstrip('/')}/api/feeds/{feed}/messages/", data=json.dumps(message).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
