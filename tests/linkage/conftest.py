"""What the review pages need: the data-quality purpose granted, users, a stored pair."""

import copy
import datetime as dt

import pytest

from saferoptions.core.models import Role
from saferoptions.linkage.models import LinkageModel, ReviewPair
from tests.core.factories import AgencyFactory, LocalityFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CONTRIBUTIONS = {
    "given_name": {"gamma": 3, "label": "Jaro-Winkler >= 0.92", "bayes_factor": 18.5,
                   "match_weight": 4.209453},
    "dob": {"gamma": 3, "label": "Day and month transposed", "bayes_factor": 9.25,
            "match_weight": 3.209453},
    "nhs_number": {"gamma": -1, "label": "Null", "bayes_factor": 1.0, "match_weight": 0.0},
    "home": {"gamma": 0, "label": "All other comparisons", "bayes_factor": 0.125,
             "match_weight": -3.0},
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def data_quality_granted(settings):
    """The role table as the integrator is asked to set it: review roles get data quality."""
    table = copy.deepcopy(settings.ACCESS_ROLE_RULES)
    for role in ("hub_practitioner", "team_manager"):
        table[role]["data_quality"] = "all"
    settings.ACCESS_ROLE_RULES = table


@pytest.fixture
def police():
    return AgencyFactory(name="Test Constabulary")


@pytest.fixture
def school():
    return AgencyFactory(name="Test Academy")


@pytest.fixture
def hub(police):
    # A locality, so triage reaches only that locality's children (none, unless a test says).
    return UserFactory(role=Role.HUB_PRACTITIONER, agency=police, locality=LocalityFactory())


def linkage_model() -> LinkageModel:
    found = LinkageModel.objects.first()
    return found or LinkageModel.objects.create(
        version=1, created_at=AT, splink_model={}, trained_on=10,
        level_weights={"prior_match_weight": -9.5, "comparisons": {}},
        thresholds={"auto_link": 0.99, "review": 0.5})


def review_pair(a_agency, b_agency, *, probability=0.8, created_at=AT, **b_fields) -> ReviewPair:
    a = IdentityFactory(agency=a_agency, person=PersonFactory(), given_name="Jayden",
                        family_name="Smith", nhs_number="9434765919", postcode="BS1 4DJ")
    b = IdentityFactory(agency=b_agency, person=PersonFactory(), given_name="Jaydon",
                        family_name="Smyth", nhs_number="", postcode="BS5 0XY",
                        address="99 Zebra Row", **b_fields)
    return ReviewPair.objects.create(
        identity_a=a, identity_b=b, model=linkage_model(), match_weight=2.0,
        match_probability=probability, contributions=CONTRIBUTIONS, created_at=created_at)
