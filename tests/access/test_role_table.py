"""Role reach lives in one table: ACCESS_ROLE_RULES, with each role's duties."""

import pytest
from django.conf import settings

from saferoptions.access import policy, rules
from saferoptions.core.models import Role
from tests.core.factories import UserFactory


def test_there_are_no_separate_role_lists_in_settings():
    lists = [name for name in dir(settings) if name.endswith("_ROLES")]
    assert lists == []


def test_every_duty_in_the_table_is_a_known_duty():
    for role, rule in settings.ACCESS_ROLE_RULES.items():
        assert set(rule.get("duties", ())) <= rules.DUTIES, role
    assert set(settings.ACCESS_ROLE_RULES) == set(Role.values)


def test_an_unknown_duty_is_refused_not_silently_empty():
    with pytest.raises(ValueError, match="unknown duty"):
        policy.roles_with("triage_concern")


def test_duties_keep_the_reach_the_roles_had():
    assert policy.roles_with("triage_concerns") == (Role.HUB_PRACTITIONER,)
    assert set(policy.roles_with("review_break_glass")) == {
        Role.DATA_PROTECTION_OFFICER, Role.TEAM_MANAGER}
    assert policy.roles_with("administer_partner_systems") == (Role.SYSTEM_ADMINISTRATOR,)
    assert Role.DATA_PROTECTION_OFFICER not in policy.roles_with("review_linkage")
    assert Role.LICENSING_OFFICER not in policy.roles_with("view_context_cases")
    assert Role.LICENSING_OFFICER in policy.roles_with("refer_places")


@pytest.mark.django_db
def test_a_disabled_account_has_no_duty():
    hub = UserFactory(role=Role.HUB_PRACTITIONER)
    assert policy.has_duty(hub, "triage_concerns")
    hub.is_active = False
    assert not policy.has_duty(hub, "triage_concerns")
    assert not policy.has_duty(None, "triage_concerns")
