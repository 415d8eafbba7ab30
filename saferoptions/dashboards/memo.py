"""Model fits kept between page views, keyed on exactly what they were worked from.

The place forecast, its past accuracy, the demand forecasts and the hot spots are pure
functions of counts (`analytics`, no Django), and refitting them on every view took seconds.
Here each result is kept in the cache under a digest of its inputs: the counts themselves
(read live on every view, so always current), the method's settings, and the scope the counts
were read under. So:

- a new event that changes the counts changes the digest: the next view works the figure
  afresh (nothing stale is ever shown); one that changes nothing a fit reads (an event in the
  week under way, for fits of whole past weeks) reuses it, and the demand page refits only the
  lines whose counts moved;
- nothing is shared between readers but a function of counts both were given: a reader whose
  counts differ (a narrower reach, were one ever to apply) gets a different key, and the scope
  is in the key besides. Anything that depends on who is reading (the place names a reader
  may list) is never kept here.

Kept in the `default` cache (per process; `DASHBOARDS_MEMO_SECONDS` at most).
"""

import hashlib
import pickle

import polars as pl
from django.conf import settings
from django.core.cache import caches

PREFIX = "dashboards:memo:v1:"
# The dashboards' figures are counted over the whole city for every viewer (each is outside
# need-to-know and sees them suppressed): the scope of the counts their fits are worked from.
CITY_WIDE = "dashboards:city-wide-counts"
MISSING = object()


def digest(*parts) -> str:
    """A digest of the inputs; a frame by its rows in a fixed order (the same rows, in
    whatever order a query gave them, give the same digest)."""
    h = hashlib.blake2b(digest_size=24)
    for part in parts:
        if isinstance(part, pl.DataFrame):
            h.update(repr(part.schema).encode())
            if part.height and part.columns:
                h.update(part.sort(part.columns, nulls_last=True).write_csv().encode())
        else:
            h.update(pickle.dumps(part, protocol=5))
        h.update(b"\x00")
    return h.hexdigest()


def remembered(name: str, compute, *, scope: str, inputs: tuple):
    """`compute()`, or what it gave before for the same name, scope and inputs."""
    cache = caches["default"]
    key = f"{PREFIX}{name}:{digest(scope, *inputs)}"
    found = cache.get(key, MISSING)
    if found is MISSING:
        found = compute()
        cache.set(key, found, getattr(settings, "DASHBOARDS_MEMO_SECONDS", 24 * 3600))
    return found
