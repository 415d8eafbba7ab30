"""Throttling and lock-out: counts recent failures by username and by client address.

Counts and durations are partner settings (`ACCOUNTS_LOCKOUT_*`). A username that does not
exist is counted and locked exactly like one that does, so lock-out reveals nothing.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings

from saferoptions.core import clock

from .models import SignInFailure


def keyed_hash(value: str) -> str:
    """A keyed hash of an identifier, so it can be counted without being stored."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def username_hash(username: str) -> str:
    """The hash of a typed username, normalised as the sign-in form normalises it."""
    return keyed_hash("user:" + (username or "").strip().casefold())


def address_hash(address: str) -> str:
    """The hash of a client address."""
    return keyed_hash("addr:" + (address or ""))


def client_address(request) -> str:
    """The client address; behind a proxy, set `ACCOUNTS_CLIENT_ADDRESS_HEADER`."""
    header = settings.ACCOUNTS_CLIENT_ADDRESS_HEADER
    if header and request.META.get(header):
        # The proxy appends the address it saw last; earlier entries are client-supplied.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _window_start() -> dt.datetime:
    return clock.now() - dt.timedelta(seconds=settings.ACCOUNTS_LOCKOUT_SECONDS)


def is_locked(*, username: str, address: str) -> bool:
    """True while the username or the address has too many recent failures."""
    recent = SignInFailure.objects.filter(at__gte=_window_start())
    by_user = recent.filter(username_hash=username_hash(username)).count()
    if by_user >= settings.ACCOUNTS_LOCKOUT_USERNAME_FAILURES:
        return True
    by_address = recent.filter(address_hash=address_hash(address)).count()
    return by_address >= settings.ACCOUNTS_LOCKOUT_ADDRESS_FAILURES


def add_failure(*, username: str, address: str, stage: str) -> bool:
    """Count one failure; returns True if this failure starts a lock-out."""
    SignInFailure.objects.create(
        at=clock.now(),
        username_hash=username_hash(username),
        address_hash=address_hash(address),
        stage=stage,
    )
    return is_locked(username=username, address=address)


def clear_failures(*, username: str) -> None:
    """Forget a username's failures after it signs in successfully."""
    SignInFailure.objects.filter(username_hash=username_hash(username)).delete()


def forget_old_failures() -> int:
    """Delete failures too old to count; returns how many went."""
    deleted, _ = SignInFailure.objects.filter(at__lt=_window_start()).delete()
    return deleted
