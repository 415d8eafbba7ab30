"""The public page's protection: a per-client limit, without keeping who the client is.

The client's address is hashed with a key the partnership holds (HMAC-SHA256), and the hash is
kept only as a counter's name in the shared `throttle` cache (the database cache every web
process uses), for one window; the address itself is never stored or logged. Behind a
reverse proxy, `ACCOUNTS_CLIENT_ADDRESS_HEADER` names the header the trusted proxy sets.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches

from saferoptions.accounts.lockout import client_address
from saferoptions.core import clock

CACHE = "throttle"


def _client_key(request) -> str:
    key = settings.INTELLIGENCE_ADDRESS_KEY.encode()
    digest = hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()
    window = int(clock.now().timestamp()) // settings.INTELLIGENCE_COMMUNITY_WINDOW_SECONDS
    return f"intelligence-community:{digest}:{window}"


def allow(request) -> bool:
    """Count one report from this client; False once it is over the limit for the window."""
    cache = caches[CACHE]
    key = _client_key(request)
    cache.add(key, 0, timeout=settings.INTELLIGENCE_COMMUNITY_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window has begun
        cache.set(key, 1, timeout=settings.INTELLIGENCE_COMMUNITY_WINDOW_SECONDS)
        count = 1
    return count <= settings.INTELLIGENCE_COMMUNITY_LIMIT
