"""Throttles for the partner API: callers without a credential or with a wrong one, counted by
address, and each partner system, counted by its credential.

The counts live in the database (`core/rates.py`), because production runs several web
processes and a count kept in one process's memory would let a caller go N times as fast.
The rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` in settings, read on each request.
Over its rate a caller gets 429 with `Retry-After` (seconds).
"""

from saferoptions.core.rates import CountedRateThrottle

from .models import PartnerSystem


class SharedThrottle(CountedRateThrottle):
    """A rate throttle counted in the database every web process shares (core/rates.py)."""


class NoCredentialThrottle(SharedThrottle):
    """Requests without any credential, per address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        return self.key_for(self.get_ident(request))


class WrongCredentialThrottle(NoCredentialThrottle):
    """Requests with an unknown or withdrawn token, per address: guessing slows to a crawl."""

    scope = "partner_bad_token"


class PartnerThrottle(SharedThrottle):
    """Each partner system's own requests (a batch counts once), per credential."""

    scope = "partner"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, PartnerSystem):
            return None
        return self.key_for(request.auth.pk)
