"""The demo's workforce register (journey 6): the catalogue manager opens a register with people
on it, trainings current and lapsed, and outreach sessions staffed from it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from saferoptions.accounts import demo
from saferoptions.audit.models import AuditEntry
from saferoptions.city.workforce_demo import workforce_register
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role, User, Ward
from saferoptions.interventions import services as interventions
from saferoptions.interventions.models import (
    OutreachSession,
    RegisteredPractitioner,
    TrainingRecord,
)
from saferoptions.interventions.vocabulary import OutreachStatus
from tests.contexts.factories import PlaceFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def demo_city(settings, tmp_path):
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.create_all()
    for locality in Locality.objects.all():
        ward = Ward.objects.filter(locality=locality).order_by("pk").first()
        PlaceFactory.create_batch(3, ward=ward)


def test_the_demos_catalogue_manager_opens_a_register_with_people_on_it(demo_city):
    with clock.frozen(NOW):
        made = workforce_register(seed=1)
        keeper = User.objects.get(username=demo.username_for(Role.CATALOGUE_MANAGER))
        people = RegisteredPractitioner.objects.all()
        assert made.practitioners == people.count() >= 3 * 5 + 3
        assert {p.locality_id for p in people} >= {*Locality.objects.values_list("pk", flat=True),
                                                   None}
        trainings = TrainingRecord.objects.all()
        assert made.trainings == trainings.count()
        assert all(t.recorded_by_id == keeper.pk for t in trainings)
        current = [t.current_on(NOW.date()) for t in trainings]
        assert any(current) and not all(current)  # the register shows what lapses
        sessions = OutreachSession.objects.all()
        assert made.sessions == sessions.count() > 0
        assert {s.locality_id for s in sessions} == set(Locality.objects.values_list("pk",
                                                                                     flat=True))
        held = sessions.filter(status=OutreachStatus.HELD)
        assert made.held == held.count() and all(s.ends_at < NOW for s in held)
        assert any(s.staff.exists() for s in sessions)
        for session in sessions.prefetch_related("staff"):  # staffed only by the trained
            day = clock.local(session.starts_at).date()
            assert all(not interventions.why_not_trained(p, session.programme.trained_in, day)
                       for p in session.staff.all())
        assert AuditEntry.objects.filter(actor=keeper, object_type="training_record").count() \
            == trainings.count()


def test_running_again_adds_nobody(demo_city):
    with clock.frozen(NOW):
        workforce_register(seed=1)
        before = RegisteredPractitioner.objects.count(), AuditEntry.objects.count()
        assert workforce_register(seed=1).practitioners == 0
        assert (RegisteredPractitioner.objects.count(), AuditEntry.objects.count()) == before


def test_without_the_demo_accounts_nothing_is_added():
    assert workforce_register(seed=1).practitioners == 0
    assert not RegisteredPractitioner.objects.exists()
