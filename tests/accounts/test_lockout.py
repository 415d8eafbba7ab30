"""Throttling and lock-out, and no clue about which usernames exist."""

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from saferoptions.accounts import lockout
from saferoptions.accounts.models import SignInFailure
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from tests.core.factories import PASSWORD

from .factories import DeviceFactory, code_for

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
CODE = "/accounts/sign-in/code/"


@pytest.fixture
def limits(settings):
    settings.ACCOUNTS_LOCKOUT_USERNAME_FAILURES = 3
    settings.ACCOUNTS_LOCKOUT_ADDRESS_FAILURES = 6
    settings.ACCOUNTS_LOCKOUT_SECONDS = 600
    return settings


def _fail(client, username, address="10.0.0.1"):
    return client.post(SIGN_IN, {"username": username, "password": "wrong password!"},
                       REMOTE_ADDR=address)


def _visible(response) -> str:
    """The page without its per-request CSRF token."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def test_known_and_unknown_usernames_get_the_same_page(client, limits):
    device = DeviceFactory()
    known = _fail(client, device.user.username)
    unknown = _fail(client, "nobody-at-all")
    assert known.status_code == unknown.status_code == 400
    assert _visible(known).replace(device.user.username, "X") == _visible(unknown).replace(
        "nobody-at-all", "X")
    assert b"Enter a correct username and password" in known.content


def test_unknown_usernames_run_the_password_hasher_too(client, settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    calls = []
    original = PBKDF2PasswordHasher.encode
    monkeypatch.setattr(PBKDF2PasswordHasher, "encode",
                        lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    _fail(client, "nobody-at-all")
    assert calls, "no hashing for an unknown username: its timing would give it away"


def test_lock_out_after_repeated_failures(client, limits):
    device = DeviceFactory()
    for _ in range(2):
        assert b"Enter a correct username" in _fail(client, device.user.username).content
    assert b"too many attempts" in _fail(client, device.user.username).content
    # Even the right password is refused while locked, with the same message.
    response = client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400 and b"too many attempts" in response.content
    assert AuditEntry.objects.filter(action="lock_out").count() == 1


def test_unknown_usernames_lock_exactly_like_known_ones(client, limits):
    responses = [_fail(client, "ghost") for _ in range(4)]
    assert b"too many attempts" in responses[2].content
    assert b"too many attempts" in responses[3].content


def test_lock_out_expires(client, limits):
    device = DeviceFactory()
    start = clock.now()
    with clock.frozen(start):
        for _ in range(3):
            _fail(client, device.user.username)
    with clock.frozen(start + dt.timedelta(seconds=599)):
        assert lockout.is_locked(username=device.user.username, address="10.0.0.9")
    with clock.frozen(start + dt.timedelta(seconds=601)):
        response = client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD},
                               REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302


def test_lock_out_by_client_address_across_usernames(client, limits):
    for n in range(6):
        _fail(client, f"guess{n}", address="10.0.0.7")
    device = DeviceFactory()
    response = client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.7")
    assert b"too many attempts" in response.content
    other = client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


def test_wrong_codes_count_towards_lock_out(client, limits):
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    wrong = f"{(int(code_for(device)) + 5) % 1_000_000:06d}"
    client.post(CODE, {"code": wrong})
    client.post(CODE, {"code": wrong})
    response = client.post(CODE, {"code": wrong})
    assert response["Location"] == SIGN_IN
    assert b"too many attempts" in client.get(SIGN_IN).content
    # The half-way state is gone: the code page now sends the browser back to the start.
    assert client.get(CODE)["Location"] == SIGN_IN


def test_failures_are_stored_as_hashes_and_audited_without_the_username(client, limits):
    _fail(client, "Jane.Doe.2009")
    failure = SignInFailure.objects.get()
    assert "Jane" not in failure.username_hash and "10.0.0.1" not in failure.address_hash
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert entry.actor_id is None
    assert "Jane" not in str(entry.detail) and "10.0.0.1" not in str(entry.detail)


def test_success_clears_the_username_failures(client, limits):
    device = DeviceFactory()
    _fail(client, device.user.username)
    _fail(client, device.user.username)
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD},
                REMOTE_ADDR="10.0.0.1")
    client.post(CODE, {"code": code_for(device)}, REMOTE_ADDR="10.0.0.1")
    assert not SignInFailure.objects.filter(
        username_hash=lockout.username_hash(device.user.username)).exists()


def test_proxy_header_is_used_only_when_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.ACCOUNTS_CLIENT_ADDRESS_HEADER = ""
    assert lockout.client_address(request) == "10.0.0.1"
    settings.ACCOUNTS_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    assert lockout.client_address(request) == "5.6.7.8"


def test_failures_older_than_the_window_are_deleted(client, limits):
    start = clock.now()
    with clock.frozen(start):
        _fail(client, "someone")
    with clock.frozen(start + dt.timedelta(seconds=601)):
        _fail(client, "someone else")
    assert SignInFailure.objects.count() == 1
