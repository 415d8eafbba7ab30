"""Throttles for the partner API: callers without a credential or with a wrong one, counted by
address, and each partner system, counted by its credential.

The counts live in the `throttle` cache, Django's database cache, because production runs
several web processes and a count kept in one process's memory would let a caller go N times
as fast. The rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` in settings, read on each
request. Over its rate a caller gets 429 with `Retry-After` (seconds).
"""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import PartnerSystem

CACHE = "throttle"


class SharedThrottle(SimpleRateThrottle):
    """A DRF rate throttle counted in the cache every web process shares."""

    @property
    def cache(self):
        return caches[CACHE]

    def get_rate(self):
        # Read now, not when DRF was imported, so a changed setting applies (and tests can
        # set their own rates).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def key_for(self, ident) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


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
