"""The demo's context work: place and peer-group cases, made through the contexts services."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from saferoptions.accounts import demo
from saferoptions.audit.models import AuditEntry
from saferoptions.audit.verification import verify
from saferoptions.city import contexts_demo
from saferoptions.contexts.models import (
    CaseStatus,
    ContextAssessment,
    ContextCase,
    ContextIntervention,
    ContextKind,
    ContextReview,
    Group,
    GroupMembership,
)
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role, User

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def run(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command(*args, stdout=out)
    return out.getvalue()


def cases():
    """The context cases, read afresh (a module-level queryset would keep its first rows)."""
    return ContextCase.objects.select_related("place__ward", "group")


def user(role: str) -> User:
    return User.objects.get(username=demo.username_for(role))


@pytest.fixture
def worked_city(settings, tmp_path):
    """A small city ending today, with the demo accounts, brought to life."""
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    run("generate_city", "--children", "300", "--seed", "2", "--ending-today")
    demo.create_all()
    return run("bring_demo_to_life")


def test_place_cases_are_at_each_localitys_busiest_place_and_groups_are_confirmed(
        worked_city):
    places = cases().filter(kind=ContextKind.PLACE)
    localities = {c.place.ward.locality_id for c in places}
    # The busiest place of each locality, then the next busiest: as many as there are stages.
    assert len(localities) == Locality.objects.count() >= 3
    assert places.count() == len(contexts_demo.STAGES)
    # Every locality's practitioners find an open place case on their contexts page.
    assert {c.place.ward.locality_id for c in places if c.status != CaseStatus.CLOSED} == set(
        Locality.objects.values_list("pk", flat=True))
    assert {c.referred_by for c in places} == {user(Role.POLICE_OFFICER)}
    groups = cases().filter(kind=ContextKind.GROUP)
    assert groups.count() == contexts_demo.GROUPS
    assert {c.referred_by for c in groups} == {user(Role.ANALYST)}
    assert all(GroupMembership.objects.filter(group=c.group).count() >= 3 for c in groups)
    assert "Contexts: " in worked_city and f"{places.count()} place" in worked_city


def test_cases_have_assessments_plans_reviews_and_one_is_closed(worked_city):
    statuses = [c.status for c in cases().order_by("opened_at")]
    assert {CaseStatus.PLAN, CaseStatus.CLOSED, CaseStatus.REFERRED} <= set(statuses)
    assert statuses.count(CaseStatus.CLOSED) == 1
    assessed = ContextAssessment.objects.select_related("case")
    assert assessed.filter(case__kind=ContextKind.PLACE).exists()
    assert assessed.filter(case__kind=ContextKind.GROUP).exists()
    # The Hub assesses across the city; the locality chair only in the chair's locality.
    chair, hub = user(Role.LOCALITY_CHAIR), user(Role.HUB_PRACTITIONER)
    assert {a.assessed_by for a in assessed} <= {chair, hub}
    assert all(a.case.place.ward.locality_id == chair.locality_id
               for a in assessed.filter(assessed_by=chair))
    actions = ContextIntervention.objects.all()
    assert actions.count() >= 5 and len({a.status for a in actions}) >= 3
    assert ContextReview.objects.exists()
    # Everything happened in the last seven weeks, never after now.
    assert all(NOW - dt.timedelta(weeks=7) <= c.opened_at <= NOW for c in cases())


def test_running_again_adds_nothing(worked_city):
    before = (ContextCase.objects.count(), Group.objects.count(),
              ContextIntervention.objects.count(), AuditEntry.objects.count())
    run("bring_demo_to_life")
    with clock.frozen(NOW):
        assert contexts_demo.context_work(seed=2).place_cases == 0
    assert (ContextCase.objects.count(), Group.objects.count(),
            ContextIntervention.objects.count(), AuditEntry.objects.count()) == before


def test_every_change_is_audited_by_the_account_that_made_it(worked_city):
    audited = list(AuditEntry.objects.filter(object_type="context_case"))
    for case in cases():
        rows = [r for r in audited if r.object_ids == [str(case.pk)]]
        assert [r.actor_id for r in rows if r.action == "create"] == [case.referred_by_id]
        # Every change after the referral raised the version and wrote one row.
        assert len([r for r in rows if r.action != "create"]) == case.version - 1
    assert AuditEntry.objects.filter(object_type="group", action="create",
                                     actor=user(Role.ANALYST)).count() == contexts_demo.GROUPS
    assert verify().broken is None  # rows written at past moments still chain


def test_without_the_demo_accounts_nothing_is_done():
    run("generate_city", "--children", "100", "--seed", "3", "--ending-today")
    with clock.frozen(NOW):
        assert contexts_demo.context_work(seed=3).place_cases == 0
    assert not ContextCase.objects.exists()
