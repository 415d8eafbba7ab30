"""What every test shares."""

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# On a shared 2-core CI machine a property test's examples can take longer than Hypothesis's
# default deadline and health checks allow; what they test is behaviour, not speed (speed is
# measured by the benchmarks), so a slow example must not fail the suite.
hypothesis_settings.register_profile(
    "saferoptions", deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
hypothesis_settings.load_profile("saferoptions")


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
