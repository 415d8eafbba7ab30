"""What every test shares."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every factory-made user gets a password that signs in; the production hasher's cost is
    # not what tests test (the one test of the hasher sets its own).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_child_population_file(settings, tmp_path_factory):
    # A city generated in a test writes its census here, never over the demo's in var/; the
    # dashboards' tests that need a population write their own.
    settings.DASHBOARDS_CHILD_POPULATION_FILE = (
        tmp_path_factory.mktemp("population") / "child_population.json")
