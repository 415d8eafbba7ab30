"""Signing in needs a password and then a one-time code, for every account."""

import types

import pytest
from django.urls import reverse

from saferoptions.accounts import flow, otp
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from tests.core.factories import PASSWORD, UserFactory

from .factories import DeviceFactory, code_for, sign_in

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
CODE = "/accounts/sign-in/code/"
SET_UP = "/accounts/sign-in/set-up/"


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_sign_in_page_renders(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b"Sign in to Safer Options" in response.content
    assert b'autocomplete="current-password"' in response.content


def test_password_alone_does_not_sign_in(client):
    device = DeviceFactory()
    response = client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE
    # Half-way through, nothing behind sign-in is reachable.
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_and_code_sign_in_and_audit(client):
    device = DeviceFactory()
    response = sign_in(client, device.user, device)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.filter(action="sign_in").get()
    assert entry.actor_id == device.user.pk


def test_wrong_code_is_refused_with_a_field_error(client):
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 400  # a form sent back with an error, as everywhere else
    assert b"The code is not correct" in response.content
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("code, message", [
    ("", b"Enter the 6-digit code"), ("12ab56", b"The code must be 6 digits"),
    ("1234567", b"The code must be 6 digits"), ("9" * 50, b"The code must be 6 digits"),
])
def test_malformed_code_names_the_problem(client, code, message):
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    response = client.post(CODE, {"code": code})
    assert response.status_code == 400 and message in response.content


def test_code_page_without_password_step_goes_back_to_sign_in(client):
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.get(SET_UP)["Location"] == SIGN_IN


def test_a_code_cannot_be_used_twice(client):
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    code = code_for(device)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post("/accounts/sign-out/")
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    assert client.post(CODE, {"code": code}).status_code == 400  # replay refused


def test_first_sign_in_walks_through_set_up(client):
    user = UserFactory()
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response["Location"] == SET_UP
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert b"<svg" in page.content and b'aria-label="QR code' in page.content
    device = otp.enrolment_device(user)
    assert otp.secret_text(device).encode() in page.content
    assert not device.confirmed
    response = client.post(SET_UP, {"code": code_for(device)})
    assert response["Location"] == reverse("web:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_set_up_keeps_the_same_secret_across_reloads(client):
    user = UserFactory()
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    first, second = client.get(SET_UP).content, client.get(SET_UP).content
    secret = otp.secret_text(otp.enrolment_device(user)).encode()
    assert secret in first and secret in second
    assert user.totpdevice_set.count() == 1


def test_set_up_is_not_offered_once_a_device_exists(client):
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    assert client.get(SET_UP)["Location"] == CODE


def test_next_page_is_kept_but_only_on_this_site(client):
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD,
                          "next": "/accounts/sign-out/"})
    assert client.post(CODE, {"code": code_for(device)})["Location"] == "/accounts/sign-out/"
    client.post("/accounts/sign-out/")
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD,
                          "next": "https://evil.example/"})
    assert client.post(CODE, {"code": code_for(device)})["Location"] == reverse("web:home")


def test_session_id_changes_at_each_step(client):
    device = DeviceFactory()
    client.get(SIGN_IN)
    client.post(SIGN_IN, {"username": "nobody", "password": "x" * 12})
    before = client.session.session_key
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    middle = client.session.session_key
    client.post(CODE, {"code": code_for(device)})
    assert len({before, middle, client.session.session_key}) == 3


def test_sign_out_is_a_post_and_audited(client):
    device = DeviceFactory()
    sign_in(client, device.user, device)
    assert client.get("/accounts/sign-out/").status_code == 200  # a page with a button
    assert client.get("/").status_code == 200
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == SIGN_IN
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="sign_out", actor=device.user).count() == 1
    assert b"You have signed out" in client.get(SIGN_IN).content


def test_admin_login_goes_through_the_one_time_code(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN + "?next=")


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(client):
    device = DeviceFactory(user__is_active=False)
    response = client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Enter a correct username and password" in response.content


def test_over_long_password_is_refused_by_the_form(client):
    response = client.post(SIGN_IN, {"username": "someone", "password": "p" * 500})
    assert response.status_code == 400
    assert b"Password must be 128 characters or fewer" in response.content


def test_empty_form_names_both_fields(client):
    response = client.post(SIGN_IN, {})
    assert response.status_code == 400
    assert b"Enter your username" in response.content
    assert b"Enter your password" in response.content


def test_admin_sign_out_is_ours_and_audited(client):
    device = DeviceFactory(user__is_staff=True, user__role=Role.SYSTEM_ADMINISTRATOR)
    sign_in(client, device.user, device)
    response = client.post("/admin/logout/")
    assert response["Location"] == SIGN_IN
    assert AuditEntry.objects.filter(action="sign_out", actor=device.user).count() == 1


def test_half_way_state_lapses(client, settings, monkeypatch):
    settings.ACCOUNTS_PENDING_SIGN_IN_SECONDS = 300
    device = DeviceFactory()
    client.post(SIGN_IN, {"username": device.user.username, "password": PASSWORD})
    real_time = flow.time.time
    monkeypatch.setattr(flow, "time", types.SimpleNamespace(time=lambda: real_time() + 301))
    response = client.post(CODE, {"code": code_for(device)})
    assert response["Location"] == SIGN_IN
    assert b"Your sign-in took too long" in client.get(SIGN_IN).content
    assert client.get("/").status_code == 302

