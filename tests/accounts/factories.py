"""Factories for sign-in tests: users with a password and, optionally, an authenticator."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.accounts import otp
from saferoptions.core.models import Role, User

PASSWORD = "a long passphrase for tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"worker{n}")
    role = Role.HUB_PRACTITIONER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


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
