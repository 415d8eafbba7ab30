from datetime import date

import pytest

from saferoptions.city.generator import generate

START = date(2025, 1, 1)


@pytest.fixture(scope="session")
def city():
    """A small city, generated once for the read-only tests."""
    return generate(children=400, seed=7, months=12, start=START)
