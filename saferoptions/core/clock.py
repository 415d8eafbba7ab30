"""The one clock every rule reads, so tests can fix or move time without patching Django.

Production code calls `clock.now()` / `clock.today()`; tests use `with clock.frozen(dt):`.
Nothing else in the project reads the date or time (ruff's DTZ and banned-API rules hold it).

The suite can also run as if on another date: `SAFEROPTIONS_SUITE_NOW=2028-02-29T09:00`
(local time, Europe/London unless an offset is given) shifts this clock by a fixed offset
that keeps running, so idle timeouts and lock-outs still see time pass. The test plugin
(`saferoptions.testing`) reads that variable; nothing else does, so a deployment cannot
set it by accident. Sign-in codes, session ages and lock-outs use real time (`time.time()`):
they are about the wall clock of the person signing in, not about the partnership's records.

It needs no Django settings, so plain modules (linkage normalisation, `link-file`) share it.
"""

import contextlib
import contextvars
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/London")
SUITE_NOW_VARIABLE = "SAFEROPTIONS_SUITE_NOW"

_fixed: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("fixed", default=None)
_offset = dt.timedelta(0)


def _real_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return _fixed.get() or _real_now() + _offset


def today() -> dt.date:
    """Today's date in the partnership's local time zone."""
    return now().astimezone(LOCAL).date()


def local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime in the partnership's local time zone."""
    return moment.astimezone(LOCAL)


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Fix the clock at `at` (must be aware) for the duration of the block."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("frozen() needs a timezone-aware datetime")
    token = _fixed.set(at)
    try:
        yield
    finally:
        _fixed.reset(token)


def parse_suite_now(text: str) -> dt.datetime:
    """'2026-12-31T23:59' or '2028-02-29' (local time unless an offset is given) as aware."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{SUITE_NOW_VARIABLE}: {text!r} is not an ISO date or date and time, "
            "e.g. 2028-02-29 or 2026-12-31T23:59") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment


def run_from(at: dt.datetime) -> dt.timedelta:
    """Shift the running clock so that it reads `at` now, and keeps running from there."""
    global _offset
    _offset = at - _real_now()
    return _offset


def run_from_environment() -> dt.datetime | None:
    """Apply SAFEROPTIONS_SUITE_NOW if it is set (the test plugin calls this); returns it."""
    text = os.environ.get(SUITE_NOW_VARIABLE, "").strip()
    if not text:
        return None
    at = parse_suite_now(text)
    run_from(at)
    return at
