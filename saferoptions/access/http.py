"""Answers every personal-data view gives the same way: not found, and audit unavailable."""

from functools import wraps

from django.shortcuts import render

from saferoptions.audit.services import AuditUnavailable

from .services import may_break_glass


def not_found(request, reference: str = ""):
    """The one 404 for a record that is absent or not allowed: the two must look identical.

    It offers break-glass to roles that may use it, for the reference already in the address,
    without saying whether that record exists.
    """
    offer = request.user.is_authenticated and may_break_glass(request.user)
    context = {"reference": reference, "offer_break_glass": offer}
    return render(request, "access/not_found.html", context, status=404)


def fail_closed(view):
    """If the audit row cannot be written the user gets no data, and a clear 503 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AuditUnavailable:
            return render(request, "access/audit_unavailable.html", status=503)

    return wrapped
