"""What every test shares."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every factory-made user gets a password that signs in; the production hasher's cost is
    # not what tests test (the one test of the hasher sets its own).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
