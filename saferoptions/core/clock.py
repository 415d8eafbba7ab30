"""The one clock every rule reads, so tests can fix or move time without patching Django.

Production code calls `clock.now()` / `clock.today()`; tests use `with clock.frozen(dt):`.
"""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_fixed: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("fixed", default=None)


def now() -> dt.datetime:
    """The current time, timezone-aware."""
    return _fixed.get() or timezone.now()


def today() -> dt.date:
    """Today's date in the partnership's local time zone."""
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Fix the clock at `at` (must be aware) for the duration of the block."""
    if timezone.is_naive(at):
        raise ValueError("frozen() needs a timezone-aware datetime")
    token = _fixed.set(at)
    try:
        yield
    finally:
        _fixed.reset(token)
