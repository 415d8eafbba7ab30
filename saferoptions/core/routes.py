"""Every route declares its access rule; the route inventory test fails on any that does not.

Kinds:
- PUBLIC: no personal data and no sign-in (sign-in page, static health check).
- SIGNED_IN: any signed-in user; the page shows no personal data (home, help).
- PERSONAL_DATA: the view reads personal data only through `saferoptions.access.policy`.
- ROLES: only the named roles; anyone else gets the same 404 as for a page that is not there.
- MONITORING: counts for a partnership's monitoring (readiness, metrics), never personal data;
  only a caller with the monitoring token (`SAFEROPTIONS_MONITORING_TOKEN`, sent as
  `Authorization: Bearer ...`); anyone else, and everyone while no token is set, gets a 404.

It is here, in core, because it depends on nothing above Django: every layer declares its
routes with it (`saferoptions.access.routes` re-exports it for the apps above access).
"""

import hmac
from functools import wraps

from django.conf import settings
from django.http import Http404

PUBLIC = "public"
SIGNED_IN = "signed_in"
PERSONAL_DATA = "personal_data"
ROLES = "roles"
MONITORING = "monitoring"
KINDS = {PUBLIC, SIGNED_IN, PERSONAL_DATA, ROLES, MONITORING}


def access_rule(kind: str, *, roles: tuple[str, ...] = ()):
    """Mark a view function (or a class-based view's `as_view()` result) with its rule.

    ROLES also enforces the rule: an unlisted role sees a 404, never a 403, so the page's
    existence does not leak.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown access rule {kind!r}")
    if kind == ROLES and not roles:
        raise ValueError("ROLES needs the roles that may use the route")

    def decorate(view):
        wrapped = view
        if kind == ROLES:

            @wraps(view)
            def wrapped(request, *args, **kwargs):
                user = request.user
                if not (user.is_authenticated and user.is_active and user.role in roles):
                    raise Http404
                return view(request, *args, **kwargs)

        elif kind == MONITORING:

            @wraps(view)
            def wrapped(request, *args, **kwargs):
                if not has_monitoring_token(request):
                    raise Http404
                return view(request, *args, **kwargs)

        wrapped.access_rule = kind
        wrapped.access_roles = tuple(roles)
        return wrapped

    return decorate


def has_monitoring_token(request) -> bool:
    """The request carries the configured monitoring token (compared in constant time)."""
    expected = getattr(settings, "MONITORING_TOKEN", "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())
