"""A page sent back for what was sent (400) says 'Error:' first in its title, on every form.

The child page's forms (add to the team, NRM referral, start an assessment) came back with
their usual title, so a screen reader user heard nothing was wrong.
"""

import pytest
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory

from saferoptions.web.middleware import ErrorTitleMiddleware

PAGE = "<html><head><title>Refer to the NRM – Safer Options</title></head><body></body></html>"


def _through(response):
    return ErrorTitleMiddleware(lambda request: response)(RequestFactory().post("/x/"))


def test_a_refused_page_says_error_first():
    out = _through(HttpResponse(PAGE, status=400))
    assert b"<title>Error: Refer to the NRM" in out.content


def test_a_page_that_already_says_it_is_not_said_twice():
    out = _through(HttpResponse(PAGE.replace("<title>", "<title>Error: "), status=400))
    assert out.content.count(b"Error:") == 1


@pytest.mark.parametrize("response", [
    HttpResponse(PAGE, status=200),
    HttpResponse(PAGE, status=404),
    JsonResponse({"title": "<title>"}, status=400),
    StreamingHttpResponse(iter([PAGE.encode()]), status=400, content_type="text/html"),
])
def test_other_pages_are_left_as_they_are(response):
    out = _through(response)
    if not out.streaming:
        assert b"Error:" not in out.content
