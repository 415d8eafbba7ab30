"""Reports into the Hub's queues, counted per signed-in account, so one account cannot flood them.

The public page counts each client address (`intelligence.community`); a signed-in account
had no limit at all, so a community member's account sent intelligence, worries and
referrals as fast as the server answered (800 a minute on a demo clone), each one an item the
Hub must read. Every POST to a page that files a report counts, as on the public page, in
the shared `throttle` cache (every web process counts the same posts) for one window; over
`REPORTS_PER_ACCOUNT_LIMIT` the page answers 429 and says when to try again. Reading the
pages is never limited.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from . import clock

CACHE = "throttle"


def _window() -> tuple[int, int]:
    """This window's number and the seconds left in it."""
    length = settings.REPORTS_PER_ACCOUNT_WINDOW_SECONDS
    now = int(clock.now().timestamp())
    return now // length, length - now % length


def allow_report(user) -> bool:
    """Count one report by this account; False once it is over the limit for the window."""
    cache, length = caches[CACHE], settings.REPORTS_PER_ACCOUNT_WINDOW_SECONDS
    key = f"reports-per-account:{user.pk}:{_window()[0]}"
    cache.add(key, 0, timeout=length)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window has begun
        cache.set(key, 1, timeout=length)
        count = 1
    return count <= settings.REPORTS_PER_ACCOUNT_LIMIT


def too_many_reports(request):
    """The 429 page: what was sent is kept, when to send more, and 999 for danger now."""
    wait = _window()[1]
    response = render(request, "too_many_reports.html", {
        "limit": settings.REPORTS_PER_ACCOUNT_LIMIT,
        "minutes": -(-settings.REPORTS_PER_ACCOUNT_WINDOW_SECONDS // 60),
        "wait_minutes": max(1, -(-wait // 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response


def limit_reports(view):
    """For a page that files a report: a POST over the account's limit gets the 429 page.

    Put it under the page's access and sign-in decorators, so only a signed-in account that
    may use the page is counted."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not allow_report(request.user):
            return too_many_reports(request)
        return view(request, *args, **kwargs)

    return wrapped
