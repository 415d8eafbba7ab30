"""The layout, the home page per role, and friendly error pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import resolve

from saferoptions.core.models import Role
from saferoptions.core.navigation import NavEntry
from saferoptions.web import nav, views
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_404_is_a_normal_page_for_anonymous_visitors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "govuk-template" in page and "Skip to main content" in page
    assert "Sign out" not in page


def test_404_is_a_normal_page_for_signed_in_users(client):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Sign out" in page and "Social worker" in page


def test_layout_has_skip_link_phase_banner_and_no_inline_script(client, settings):
    settings.DEMO_MODE = True
    page = client.get("/accounts/sign-in/").content.decode()
    assert 'href="#main-content"' in page and 'id="main-content"' in page
    assert "This is a demonstration with synthetic data" in page
    assert "/static/govuk/govuk-frontend.min.css" in page
    assert 'type="module" src="/static/web/init.mjs"' in page
    # Every script is loaded from a file, so a strict Content-Security-Policy can be used.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


@pytest.mark.parametrize("role", list(Role))
def test_home_page_for_each_role(role):
    client = Client()
    user = UserFactory(role=role, is_staff=role == Role.SYSTEM_ADMINISTRATOR)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert role.label in page
    for link in nav.entries_for(user):
        assert f'href="{link["url"]}"' in page


def test_links_follow_the_role():
    admin = UserFactory(role=Role.SYSTEM_ADMINISTRATOR, is_staff=True)
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    admin_urls = {link["url"] for link in nav.entries_for(admin)}
    worker_urls = {link["url"] for link in nav.entries_for(worker)}
    assert "/admin/" in admin_urls and "/admin/" not in worker_urls


def test_links_to_pages_not_built_yet_are_left_out():
    entry = NavEntry("Nowhere", "nowhere:at-all", "Not built.")
    assert entry.url() is None


def test_a_link_needs_staff_status_as_well_as_the_role_when_asked():
    not_staff = UserFactory(role=Role.SYSTEM_ADMINISTRATOR, is_staff=False)
    assert "/admin/" not in {link["url"] for link in nav.entries_for(not_staff)}


def test_links_to_role_limited_pages_only_for_those_roles():
    for role in Role:
        user = UserFactory(role=role, is_staff=True)
        for link in nav.entries_for(user):
            view = resolve(link["url"]).func
            if getattr(view, "access_rule", None) == "roles":
                assert role in view.access_roles, (role, link["url"])


@pytest.mark.parametrize("template, heading", [
    ("500.html", "Sorry, there is a problem with the service"),
    ("400.html", "Something was wrong with the request"),
    ("403.html", "You cannot do that"),
    ("403_csrf.html", "Your page had expired"),
])
def test_error_pages_render_without_a_request(template, heading):
    # The 500 handler renders with no request and no context processors.
    page = render_to_string(template)
    assert heading in page and "govuk-template" in page and "Sign out" not in page


def test_server_error_shows_the_friendly_page(client, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", lambda *a, **k: broken(None))
    client.raise_request_exception = False
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
