"""Response headers every page with personal data needs, whichever app drew it."""

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """Nothing a signed-in user was shown, and no API answer, is kept by a browser or proxy.

    One rule rather than a list of personal pages: any page a signed-in user sees may name a
    child, and a list kept up to date by hand misses the next page added. A shared computer's
    Back button or a proxy's cache would otherwise show it to the next person. Static files are
    exempt (they carry no personal data and are meant to be cached).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _holds_personal_data(request):
            add_never_cache_headers(response)  # no-store, no-cache, private, max-age=0
            response["Pragma"] = "no-cache"  # for HTTP/1.0 caches, which ignore Cache-Control
        return response


def _holds_personal_data(request) -> bool:
    if request.path.startswith(settings.STATIC_URL):
        return False
    # Partner systems sign in per request with a token, so their user is not on the session.
    if request.path.startswith(API_PREFIX):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


class ErrorTitleMiddleware:
    """A page sent back because of what was sent (400) says 'Error:' first in its title.

    GOV.UK's pattern: the title is the first thing a screen reader says, so a form returned
    with an error summary must say so there. Each template did it by hand, and forms added
    later (the child page's) did not; one rule here covers every page drawn from base.html.
    """

    TITLE = b"<title>"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 400 and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")):
            content = response.content
            at = content.find(self.TITLE)
            start = at + len(self.TITLE)
            if at != -1 and not content[start:start + 16].lstrip().startswith(b"Error:"):
                response.content = content[:start] + b"Error: " + content[start:]
        return response


class HeadAsGetMiddleware:
    """A HEAD request is answered as its GET would be, without the body (RFC 9110, 9.3.2).

    The pages' views allow GET and POST by name, so HEAD, which monitors and link checkers
    send to the sign-in page, met 405 Method Not Allowed. Answering it as a GET keeps every
    check below (sign-in, the access policy, the audit row of a read) exactly as for a GET;
    only the body is left out, with its length kept in Content-Length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class KnownMethodsMiddleware:
    """Only GET, HEAD and POST reach a view; any other method is refused with 405 before it.

    Views say `if request.method == "POST"` and treat everything else as a read, so OPTIONS and
    TRACE drew the page itself (a task, a review pair, a child's merge page: 200, personal data
    and an audit row), and DRF answered OPTIONS with each API view's description. Nothing here
    takes PUT, PATCH or DELETE and no other site calls this one (no CORS), so one rule covers
    every route, the next one added included. Under /api/ the refusal is JSON, as the API's are.
    """

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.ALLOWED:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"detail": "Method not allowed."}, status=405)
            response["Allow"] = ", ".join(self.ALLOWED)
            return response
        return HttpResponseNotAllowed(self.ALLOWED)
