"""The half-way state of signing in: password checked, one-time code still to come.

Until the code is checked the user is NOT signed in (request.user stays anonymous), so no
view anywhere can be reached with a password alone.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PENDING_USER = "accounts.pending_user_id"
PENDING_SINCE = "accounts.pending_since"
NEXT = "accounts.next"
NOTICE = "accounts.notice"


def safe_next(request, candidate: str | None) -> str:
    """Where to go after signing in: only a path on this site, else home."""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else reverse(settings.LOGIN_REDIRECT_URL)


def begin(request, user, next_url: str | None) -> None:
    """Remember that this browser passed the password step, in a fresh session key."""
    request.session.cycle_key()  # a session id seen before the password must not carry on
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = int(time.time())
    request.session[NEXT] = safe_next(request, next_url)


def pending_user(request):
    """The user half-way through signing in, or None if there is none or it has lapsed."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None:
        return None
    if time.time() - since > settings.ACCOUNTS_PENDING_SIGN_IN_SECONDS:
        abandon(request, notice="expired")
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        abandon(request)
    return user


def next_url(request) -> str:
    """The page asked for before signing in."""
    return request.session.get(NEXT) or reverse(settings.LOGIN_REDIRECT_URL)


def abandon(request, notice: str | None = None) -> None:
    """Forget the half-way state, optionally leaving a notice for the sign-in page."""
    for key in (PENDING_USER, PENDING_SINCE, NEXT):
        request.session.pop(key, None)
    if notice:
        request.session[NOTICE] = notice


def pop_notice(request) -> str | None:
    """The notice left for the sign-in page (locked, expired, idle, absolute, signed_out)."""
    return request.session.pop(NOTICE, None)
