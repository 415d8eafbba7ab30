"""Rate limits counted in the database every web process shares (the API throttles).

Production runs several web processes, so a count kept in one process's memory would let a
caller go as many times as fast. Each caller's requests are counted per fixed window in one
small row (`RateCount`), bumped by one atomic upsert; the rate over the last `duration` seconds
is the current window's count plus the previous window's, weighted by how much of it still lies
inside those seconds (a sliding window, to within a request or two).

DRF's own throttle keeps every request's time in one cached list, read, unpickled, re-pickled
and written back whole on every request: at a partner's 6,000 a minute that is 3,000
timestamps (some 40 kB) rewritten 50 times a second, and two processes reading the same list
at once can both slip under the limit. Here a request costs two small statements, however
busy the caller, and concurrent requests are each counted.
"""

import math
import random
import time

from django.db import connection
from django.db.models import F
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import RateCount

# Old windows are dropped now and then, by whichever request draws the short straw.
PRUNE_ONE_IN = 500


def hit(caller: str, duration: int, now: float | None = None) -> tuple[int, int, float]:
    """Count one request by `caller`: (this window's count with it, the previous window's
    count, how far into this window we are, 0-1)."""
    now = time.time() if now is None else now
    period = int(now // duration)
    table = connection.ops.quote_name(RateCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (caller, period, hits, expires_at) VALUES (%s, %s, 1, %s) "  # noqa: S608 - the table's own name
            f"ON CONFLICT (caller, period) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING hits", [caller, period, int((period + 2) * duration)])
        current = cursor.fetchone()[0]
        cursor.execute(f"SELECT hits FROM {table} WHERE caller = %s AND period = %s",  # noqa: S608
                       [caller, period - 1])
        row = cursor.fetchone()
    if random.randrange(PRUNE_ONE_IN) == 0:  # noqa: S311 - not security
        RateCount.objects.filter(expires_at__lt=int(now)).delete()
    return current, (row[0] if row else 0), (now - period * duration) / duration


def recent(current: int, previous: int, elapsed: float) -> float:
    """Requests in the last window's length: all of this window's and the share of the
    previous one's that still lies inside it."""
    return current + previous * (1 - elapsed)


def undo(caller: str, duration: int, now: float | None = None) -> None:
    """Take back a refused request's count: the rate is of requests let through."""
    now = time.time() if now is None else now
    RateCount.objects.filter(caller=caller, period=int(now // duration), hits__gt=0).update(
        hits=F("hits") - 1)


class CountedRateThrottle(SimpleRateThrottle):
    """A DRF throttle whose counts are `RateCount` rows. Subclasses name `scope` and give
    `get_cache_key` (the caller); the rate is read from settings on each request, so a
    changed setting applies (and tests can set their own rates). As with DRF's own, only the
    requests let through count, so a burst over the rate does not lengthen its own wait."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        caller = self.get_cache_key(request, view)
        if caller is None:
            return True
        now = time.time()
        current, previous, elapsed = hit(caller, self.duration, now)
        if recent(current, previous, elapsed) <= self.num_requests:
            return True
        undo(caller, self.duration, now)
        self._state = current - 1, previous, elapsed
        return False

    def wait(self) -> float:
        """Seconds until one more request fits under the rate: at least one, at most the
        window's length (the two-window count can only overstate the wait)."""
        current, previous, elapsed = self._state
        room = self.num_requests - 1
        left = (1 - elapsed) * self.duration
        if previous and current <= room:
            # Within this window the previous one's share shrinks by `previous` a window.
            seconds = (recent(current, previous, elapsed) - room) / previous * self.duration
            if seconds <= left:
                return float(min(self.duration, max(1, math.ceil(seconds))))
        # Once this window ends, its count is the one that shrinks.
        after = (1 - room / current) * self.duration if current > room else 0
        return float(min(self.duration, max(1, math.ceil(left + after))))

    def key_for(self, ident) -> str:
        return f"{self.scope}:{ident}"
