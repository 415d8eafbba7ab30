"""The strategy's programmes that take referrals are in the catalogue from the first migrate."""

import pytest
from django.apps import apps

from saferoptions.interventions import seed
from saferoptions.interventions.models import Programme

pytestmark = pytest.mark.django_db


def test_every_programme_of_the_strategy_that_takes_referrals_is_seeded():
    names = set(Programme.objects.values_list("name", flat=True))
    assert set(seed.PROGRAMMES) <= names
    assert {"Call-in Project", "BDP New Leaf", "Community mentoring", "Girls' groups",
            "Late-night outreach", "Detached and in-reach youth work"} <= names
    # The two 24-hour responses stay tasks.
    assert not any("Rapid Response" in n or "Weapons and Drugs" in n for n in names)


def test_community_mentoring_has_its_twenty_providers_and_three_localities():
    mentoring = Programme.objects.get(name="Community mentoring")
    assert mentoring.providers.count() == 20
    assert mentoring.areas.filter(locality__isnull=False).count() == 3
    assert (mentoring.min_months, mentoring.max_months) == (3, 12)


def test_call_in_is_for_sixteen_to_twenty_one_in_east_central_through_deferred_charging():
    call_in = Programme.objects.get(name="Call-in Project")
    assert (call_in.min_age, call_in.max_age) == (16, 21)
    assert call_in.routes_in == ["deferred_charge"]
    assert [a.locality.slug for a in call_in.areas.all()] == ["east-central"]


def test_loading_twice_changes_nothing():
    before = Programme.objects.count()
    seed.load(apps)
    assert Programme.objects.count() == before
