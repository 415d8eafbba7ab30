"""The feedback link's protection against guessing: a per-address limit, the address unkept.

As on the community page, the address is hashed with a key (HMAC-SHA256) and the hash is only
a counter's name in the shared `throttle` cache, for one window. Every request to a feedback
link counts, good token or bad, so a guesser learns nothing from the limit either.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches

from saferoptions.accounts.lockout import client_address
from saferoptions.core import clock


def _key(request) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(),
                      hashlib.sha256).hexdigest()
    window = int(clock.now().timestamp()) // settings.INTERVENTIONS_FEEDBACK_WINDOW_SECONDS
    return f"interventions-feedback:{digest}:{window}"


def allow(request) -> bool:
    """Count one request from this address; False once it is over the limit for the window."""
    cache, key = caches["throttle"], _key(request)
    cache.add(key, 0, timeout=settings.INTERVENTIONS_FEEDBACK_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window has begun
        cache.set(key, 1, timeout=settings.INTERVENTIONS_FEEDBACK_WINDOW_SECONDS)
        count = 1
    return count <= settings.INTERVENTIONS_FEEDBACK_LIMIT
