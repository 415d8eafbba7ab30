"""What every pathway view shares: the decorator stack and turning refusals into form errors."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.views.decorators.http import require_http_methods

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, SIGNED_IN, access_rule

from ..services import Refused

__all__ = ["personal", "signed_in", "refuse", "not_found", "transaction"]


def _stack(kind, methods):
    def decorate(view):
        inner = fail_closed(require_http_methods(methods)(view))
        return access_rule(kind)(login_required(wraps(view)(inner)))
    return decorate


def personal(*methods):
    """A page that reads personal data, only through the access policy."""
    return _stack(PERSONAL_DATA, list(methods) or ["GET"])


def signed_in(*methods):
    return _stack(SIGNED_IN, list(methods) or ["GET"])


def refuse(form, error: Refused) -> None:
    """Show a service's refusal on the field it names (or at the top of the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
