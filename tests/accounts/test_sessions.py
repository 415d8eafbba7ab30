"""Idle and absolute timeouts, and disabling an account ending every session at once."""

import datetime as dt
import time
import types

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from saferoptions.accounts import middleware
from saferoptions.accounts.models import SignedInSession
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from tests.core.factories import UserFactory

from .factories import DeviceFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    """Move the middleware's wall clock forward by a number of seconds."""
    def move(seconds: int):
        fake = types.SimpleNamespace(time=lambda: time.time() + seconds)
        monkeypatch.setattr(middleware, "time", fake)
    return move


def test_idle_timeout_signs_out_and_says_why(client, settings, later):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 900
    device = DeviceFactory()
    sign_in(client, device.user, device)
    later(899)
    assert client.get("/").status_code == 200
    later(899 + 901)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert b"had not done anything for a while" in client.get("/accounts/sign-in/").content
    entry = AuditEntry.objects.filter(action="sign_out").get()
    assert entry.detail == {"reason": "idle"}


def test_activity_keeps_the_session_alive_until_the_absolute_limit(client, settings, later):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 900
    settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS = 3000
    device = DeviceFactory()
    sign_in(client, device.user, device)
    for step in (800, 1600, 2400):
        later(step)
        assert client.get("/").status_code == 200
    later(3001)
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.get(action="sign_out").detail == {"reason": "absolute"}


def test_timeouts_follow_settings(client, settings, later):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
    user = UserFactory()
    client.force_login(user)
    later(61)
    assert client.get("/").status_code == 302


def test_frozen_domain_clock_does_not_sign_anyone_out(client):
    client.force_login(UserFactory())
    with clock.frozen(timezone.make_aware(dt.datetime(2020, 1, 1))):
        assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200


def test_disabling_an_account_ends_all_its_sessions_on_the_next_request(settings):
    device = DeviceFactory()
    laptop, phone = Client(), Client()
    sign_in(laptop, device.user, device)
    sign_in(phone, device.user, device)
    assert laptop.get("/").status_code == phone.get("/").status_code == 200
    assert SignedInSession.objects.filter(user=device.user).count() == 2
    keys = [laptop.session.session_key, phone.session.session_key]
    device.user.is_active = False
    device.user.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not SignedInSession.objects.filter(user=device.user).exists()
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302


def test_disabling_by_queryset_update_also_bites_on_the_next_request(client):
    # A bulk update sends no signal; the authentication backend refuses inactive users anyway.
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/").status_code == 302


def test_disabling_one_user_leaves_others_signed_in():
    first, second = DeviceFactory(), DeviceFactory()
    a, b = Client(), Client()
    sign_in(a, first.user, first)
    sign_in(b, second.user, second)
    first.user.is_active = False
    first.user.save()
    assert a.get("/").status_code == 302
    assert b.get("/").status_code == 200


def test_sign_out_forgets_the_tracked_session(client):
    device = DeviceFactory()
    sign_in(client, device.user, device)
    assert SignedInSession.objects.count() == 1
    client.post("/accounts/sign-out/")
    assert SignedInSession.objects.count() == 0
