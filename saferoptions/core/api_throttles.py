"""The throttle every API view has unless it names its own: a signed-in person's requests,
counted per account in the `throttle` cache that every web process shares.

The people API answers a browser session, so a stolen or scripted session could otherwise
read page after page of children as fast as the server answers. Over the rate
(`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]`, read on each request) the caller gets
429 with `Retry-After`. The partner API names its own throttles (feeds/throttles.py).
"""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

CACHE = "throttle"


class SignedInThrottle(SimpleRateThrottle):
    """Each signed-in account's API requests; a caller with no account is not counted here."""

    scope = "user"

    @property
    def cache(self):
        return caches[CACHE]

    def get_rate(self):
        # Read now, not when DRF was imported, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
