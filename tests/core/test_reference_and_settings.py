"""Reference data is loaded by migration, and settings refuse an unsafe production start."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.utils import timezone

from saferoptions.core import clock, reference
from saferoptions.core.models import Agency, Locality, Team, Ward

pytestmark = pytest.mark.django_db


def test_bristols_three_localities_and_their_wards_are_loaded():
    names = set(Locality.objects.values_list("name", flat=True))
    assert names == {"North", "East Central", "South"}
    assert Ward.objects.count() == 34
    assert not Ward.objects.filter(locality__isnull=True).exists()


def test_every_partner_agency_the_strategy_names_is_present():
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"police", "social_care", "hospital_ed", "licensing", "barnardos", "community"} <= kinds
    assert Team.objects.filter(slug="barnardos-base-routes", agency__slug="barnardos").exists()


def test_reloading_reference_data_does_not_duplicate_it():
    # Other apps add agencies of their own (the interventions' providers): count, reload, compare.
    agencies = Agency.objects.count()
    reference.load(apps)
    assert Ward.objects.count() == 34
    assert Agency.objects.count() == agencies >= 13


def test_frozen_clock_is_what_rules_read():
    at = timezone.make_aware(dt.datetime(2026, 12, 24, 23, 40))
    with clock.frozen(at):
        assert clock.now() == at
        assert clock.today() == dt.date(2026, 12, 24)
    assert clock.now() != at


def test_frozen_clock_refuses_a_naive_time():
    with pytest.raises(ValueError, match="timezone-aware"), clock.frozen(dt.datetime(2026, 1, 1)):
        pass


def _start_django(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SAFEROPTIONS_"))}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "saferoptions.settings"
    code = "import django; django.setup()"
    # Our own interpreter with a fixed program: nothing untrusted reaches the command line.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )


def test_default_secret_key_is_refused_outside_debug():
    result = _start_django({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_real_secret_key_starts_without_debug():
    assert _start_django({"DJANGO_SECRET_KEY": "x" * 50}).returncode == 0
