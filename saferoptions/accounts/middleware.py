"""Session timeouts: idle and absolute, both configurable in settings."""

import time

from django.conf import settings
from django.contrib.auth import logout


class SessionTimeoutMiddleware:
    """Signs a user out after too long idle or too long signed in, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request.session):
            logout(request)
        elif request.user.is_authenticated:
            request.session["last_seen"] = int(time.time())
        return self.get_response(request)

    @staticmethod
    def _expired(session) -> bool:
        now = int(time.time())
        started = session.setdefault("signed_in_at", now)
        last_seen = session.get("last_seen", now)
        idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS
        too_long = now - started > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
        return idle or too_long
