"""Content-Security-Policy on every page, and no-store on every answer with personal data.

The template scan stops an inline script, handler or style from coming back: the policy would
block it in the browser, and the page would quietly lose what it did.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from saferoptions.core.models import Role, Team
from saferoptions.tasks.models import Task
from saferoptions.web.middleware import NoStoreMiddleware
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory
from tests.feeds.factories import message, partner, post
from tests.people.factories import PersonFactory
from tests.tasks.factories import send

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' data:", "frame-ancestors": "'none'", "form-action": "'self'",
    "object-src": "'none'", "base-uri": "'self'",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def no_store(response) -> bool:
    return ("no-store" in response.get("Cache-Control", "")
            and response.get("Pragma") == "no-cache")


@pytest.fixture
def worker_and_child(client):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    child = PersonFactory()
    TeamMemberFactory(person=child, user=worker)
    client.force_login(worker)
    return worker, child


# --- Content-Security-Policy -------------------------------------------------------------------


def test_signed_in_and_signed_out_pages_carry_the_strict_policy(client, worker_and_child):
    _, child = worker_and_child
    for url in (reverse("web:home"), reverse("people:detail", args=[child.public_id])):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response) == POLICY
    assert directives(Client().get(reverse("accounts:sign-in"))) == POLICY


def test_no_page_allows_inline_script_or_eval(client, worker_and_child):
    for url in (reverse("web:home"), reverse("api-docs"), reverse("accounts:sign-in")):
        script = directives(client.get(url))["script-src"]
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


def test_the_api_docs_page_relaxes_styles_only_for_redoc(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'" and policy["worker-src"] == "'self' blob:"


def test_the_layout_loads_its_scripts_from_files_and_turns_off_htmx_inline_styles(client,
                                                                                   worker_and_child):
    page = client.get(reverse("web:home")).content.decode()
    assert '"includeIndicatorStyles": false' in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all('src="/static/' in tag for tag in scripts)


# --- what templates may hold ---------------------------------------------------------------------

TEMPLATE_ROOTS = [Path(settings.BASE_DIR) / "saferoptions"]
# Each pattern is something the policy blocks in a browser.
BLOCKED = {
    "inline <script> (no src)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
    "inline <style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
}


def templates() -> list[Path]:
    return sorted(p for root in TEMPLATE_ROOTS for p in root.glob("**/templates/**/*.html"))


def test_templates_hold_no_inline_script_handler_or_style():
    assert len(templates()) > 20  # the scan really found the project's templates
    found = [f"{path.relative_to(settings.BASE_DIR)}: {what}"
             for path in templates() for what, pattern in BLOCKED.items()
             if pattern.search(path.read_text())]
    assert found == []


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>", '<script type="module">go()</script>',
    '<button onclick="go()">', '<a href="javascript:go()">', "<style>p{}</style>",
    '<p style="color:red">',
])
def test_the_scan_catches_each_kind_of_inline_code(snippet):
    assert any(pattern.search(snippet) for pattern in BLOCKED.values())


def test_the_scan_allows_external_scripts():
    tag = '<script type="module" src="/static/web/init.mjs" data-x="y"></script>'
    assert not any(pattern.search(tag) for pattern in BLOCKED.values())


# --- Cache-Control: no-store -------------------------------------------------------------------


def test_a_childs_page_and_the_export_are_not_stored(client, worker_and_child):
    _, child = worker_and_child
    for url in (reverse("people:detail", args=[child.public_id]), reverse("people:export")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_a_task_page_is_not_stored():
    worker = UserFactory(role="lead_worker", team=Team.objects.get(slug="barnardos-base-routes"))
    send("ed_assault")
    client = Client()
    client.force_login(worker)
    for url in ("/tasks/", f"/tasks/{Task.objects.get().pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_api_answers_are_not_stored_whoever_asks(client, worker_and_child):
    assert no_store(client.get(reverse("people-api:list")))
    _, token = partner()
    assert no_store(post(Client(), token, "ed_assault", message("ed_assault")))
    assert no_store(post(Client(), "not-a-token", "ed_assault", message("ed_assault")))


def test_a_signed_out_public_page_may_be_cached():
    # Nothing personal on it; the sign-in form sets its own never-cache headers.
    response = Client().get(reverse("web:home"))
    assert response.status_code == 302 and "no-store" not in response.get("Cache-Control", "")


def test_static_files_are_left_cacheable(worker_and_child):
    request = RequestFactory().get(settings.STATIC_URL + "web/site.css")
    request.user = worker_and_child[0]
    response = NoStoreMiddleware(lambda r: HttpResponse("body { }", content_type="text/css"))(
        request)
    assert "Cache-Control" not in response and "Pragma" not in response


# --- answers made before a view runs ----------------------------------------------------------


def test_a_request_for_another_host_is_refused_with_the_same_headers_as_every_page(client):
    # CommonMiddleware refuses a Host not in ALLOWED_HOSTS itself (a 400), so its answer passed
    # back only through the middleware above it: no CSP, no X-Frame-Options, no request id.
    response = client.get(reverse("accounts:sign-in"), HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert directives(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-Id"]


def test_the_api_answers_json_to_a_browser_too(client, worker_and_child):
    # DRF's browsable API drew an HTML page of the people API's answer for any browser (and for
    # ?format=api): an undocumented second form of the records, outside the service's layout.
    _, child = worker_and_child
    html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in (reverse("people-api:list"), reverse("people-api:detail", args=[child.public_id])):
        response = client.get(url, HTTP_ACCEPT=html)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert client.get(url, {"format": "api"}).status_code == 404
    assert client.get(reverse("api-docs")).status_code == 200  # the docs page is still a page
    assert client.get(reverse("api-schema")).status_code == 200
