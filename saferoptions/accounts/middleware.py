"""Session timeouts: idle and absolute, both configurable in settings.

Elapsed time is real wall-clock time (`time.time()`), not the domain clock: tests freeze the
domain clock at fixed dates for business rules, and that must not sign their users out.
"""

import time

from django.conf import settings

from . import flow, services

SIGNED_IN_AT = "accounts.signed_in_at"
LAST_SEEN = "accounts.last_seen"


class SessionTimeoutMiddleware:
    """Signs a user out after too long idle or too long signed in, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        now = int(time.time())
        session = request.session
        started = _as_int(session.get(SIGNED_IN_AT), now)
        last_seen = _as_int(session.get(LAST_SEEN), now)
        reason = expiry_reason(now=now, started=started, last_seen=last_seen)
        if reason:
            services.sign_out(request, actor=request.user, reason=reason)
            flow.abandon(request, notice=reason)  # the sign-in page says why
            return
        if session.get(SIGNED_IN_AT) != started:
            session[SIGNED_IN_AT] = started
        if last_seen != now:  # saves the session at most once a second
            session[LAST_SEEN] = now


def expiry_reason(*, now: int, started: int, last_seen: int) -> str | None:
    """'idle' or 'absolute' if the session has run out, else None."""
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return "absolute"
    if now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return "idle"
    return None


def _as_int(value, default: int) -> int:
    # A session from an older release, or an unexpected value, starts the clocks afresh.
    return value if isinstance(value, int) and value <= default else default
