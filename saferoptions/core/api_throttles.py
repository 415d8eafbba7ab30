"""The throttle every API view has unless it names its own: a signed-in person's requests,
counted per account in the database every web process shares (core/rates.py).

The people API answers a browser session, so a stolen or scripted session could otherwise
read page after page of children as fast as the server answers. Over the rate
(`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]`, read on each request) the caller gets
429 with `Retry-After`. The partner API names its own throttles (feeds/throttles.py).
"""

from .rates import CountedRateThrottle


class SignedInThrottle(CountedRateThrottle):
    """Each signed-in account's API requests; a caller with no account is not counted here."""

    scope = "user"

    def get_cache_key(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return None
        return self.key_for(user.pk)
