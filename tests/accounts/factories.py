"""Factories for sign-in tests: authenticators, and signing in with one (users from tests.core)."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.accounts import otp
from tests.core.factories import PASSWORD, UserFactory


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Test authenticator"
    confirmed = True


def code_for(device: TOTPDevice) -> str:
    """The device's current code, usable again (tests sign in more than once per 30 s)."""
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return otp.current_code(device)


def sign_in(client, user, device=None, password: str = PASSWORD):
    """Go through both steps of signing in; returns the last response."""
    device = device or otp.confirmed_device(user)
    client.post("/accounts/sign-in/", {"username": user.username, "password": password})
    return client.post("/accounts/sign-in/code/", {"code": code_for(device)})
