"""A page that is not there, or a passing outage: partner systems get the API's JSON answer,
people the GOV.UK page."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from .middleware import API_PREFIX


def not_found(request, exception):
    """The API documents its 404 as JSON, also for an address no route matches (a bad id)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def too_large_reason() -> str:
    most = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):.3g}"  # Django's 2.5 MB
    return (f"What was sent is too large: a form can send at most {most} MB of text and "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} answers. Shorten the text, or attach "
            "long documents as a file where the page offers one.")


def bad_request(request, exception):
    """The 400 handler: a body over Django's limits says so, rather than that the browser
    sent something the service could not understand (someone pasting a long document into a
    box needs to know to shorten it). The API answers JSON, as its schema says."""
    reason = too_large_reason() if isinstance(
        exception, RequestDataTooBig | TooManyFieldsSent) else ""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": reason or "Bad request."}, status=400)
    body = loader.get_template("400.html").render({"reason": reason}, request)
    return HttpResponse(body, status=400)


# The database gone for a moment (a restart, a failover, a connection dropped): the request
# can be repeated as it is, so it answers 503 with Retry-After, not "a problem with the
# service". Anything else stays a 500.
TRANSIENT = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    """The 500 handler: a passing database outage answers 503 (the API in JSON), so people
    and partner systems know to try again; it renders without the database, as Django's own
    500 page does."""
    if not isinstance(sys.exc_info()[1], TRANSIENT):
        return defaults.server_error(request)
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": "The service is briefly unavailable. Send the same "
                                 "message again in a few seconds, with the same "
                                 "idempotency key."}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
