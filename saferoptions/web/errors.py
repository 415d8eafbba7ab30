"""A page that is not there: partner systems get the API's JSON answer, people the GOV.UK page."""

from django.http import JsonResponse
from django.views import defaults

from .middleware import API_PREFIX


def not_found(request, exception):
    """The API documents its 404 as JSON, also for an address no route matches (a bad id)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
