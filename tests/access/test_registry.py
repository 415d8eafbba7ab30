"""The apps register their models with the policy (`access/registry.py`); a model nobody
registered is refused loudly, never shown."""

import datetime as dt

import pytest

from saferoptions.access import policy, registry
from saferoptions.cases.models import Assessment, TeamAroundChildMember
from saferoptions.contexts.models import GroupMembership
from saferoptions.core.models import Agency, Role
from saferoptions.people.models import Identity, Person, Relationship
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _worker_on_the_team():
    user = UserFactory(role=Role.SOCIAL_WORKER)
    child = PersonFactory()
    TeamAroundChildMember.objects.create(person=child, user=user, started_on=dt.date(2020, 1, 1))
    return user, child


def test_a_model_with_no_registered_rule_raises_in_restrict():
    user, _ = _worker_on_the_team()
    with pytest.raises(TypeError, match="no rule for Agency"):
        policy.restrict(user, "view", Agency.objects.all())


def test_a_person_row_model_whose_rule_is_missing_raises_rather_than_shows(monkeypatch):
    user, _ = _worker_on_the_team()
    assert list(policy.restrict(user, "list", GroupMembership.objects.all())) == []
    monkeypatch.delitem(registry._person_rows, GroupMembership)
    with pytest.raises(TypeError, match="no rule for GroupMembership"):
        policy.restrict(user, "list", GroupMembership.objects.all())


def test_a_case_record_is_read_only_through_its_child():
    user, child = _worker_on_the_team()
    with pytest.raises(TypeError):
        policy.restrict(user, "view", Assessment.objects.all())
    decision = policy.decision_for(user, child)
    assert not policy.record_rows(decision, Assessment.objects.all()).exists()
    with pytest.raises(TypeError):
        policy.record_rows(decision, Agency.objects.all())


def test_the_apps_registered_their_models_and_who_works_with_a_child():
    assert registry.person_model() is Person
    for model in (Identity, Relationship, GroupMembership):
        assert registry.person_rows(model) is not None
    assert {m.__name__ for m in policy.case_records()} == {
        "Assessment", "Plan", "PlanAction", "NrmReferral", "CaseFormulation"}
    assert {f.name for f in registry.works_with("team")} == {
        "team around the child", "meeting attendance", "team around the child, by team",
        "active referral to the viewer's team", "a task for the viewer's team"}


def test_a_different_rule_for_a_registered_model_is_refused():
    with pytest.raises(ValueError):
        registry.register_person_rows(GroupMembership, registry.PersonRows(category="health"))
    # The same rule again (e.g. `ready()` run twice) is harmless.
    registry.register_person_rows(GroupMembership, registry.person_rows(GroupMembership))
