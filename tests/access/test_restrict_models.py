"""Rules for rows that are not a child's own record: anonymised events, places and groups."""

import datetime as dt

import pytest

from saferoptions.access import policy
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.contexts.models import Group, Place
from saferoptions.core.models import Agency, Role
from saferoptions.events.models import Event
from saferoptions.people.models import Person
from tests.contexts.factories import GroupFactory, PlaceFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory
from tests.people.factories import PersonFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db


def _events(user):
    return set(policy.restrict(user, "view", Event.objects.all()))


def test_anonymised_event_is_seen_by_its_agency_and_by_agreement_only():
    hospital, police = AgencyFactory(), AgencyFactory()
    assault = EventFactory(event_type="ed_assault", category="knife", reporting_agency=hospital)
    nurse = UserFactory(role=Role.HEALTH_PRACTITIONER, agency=hospital)
    officer = UserFactory(role=Role.POLICE_OFFICER, agency=police)
    assert _events(nurse) == {assault}
    assert _events(officer) == set()
    AgreementFactory(provider=hospital, recipient=police, categories=["health"])
    assert _events(officer) == {assault}


def test_unknown_model_is_refused_rather_than_shown():
    user = UserFactory(role=Role.SOCIAL_WORKER)
    with pytest.raises(TypeError):
        policy.restrict(user, "view", Agency.objects.all())


def test_unknown_action_is_refused():
    with pytest.raises(ValueError):
        policy.restrict(UserFactory(), "delete-everything", Person.objects.all())


@pytest.mark.parametrize("role, places, groups", [
    (Role.LICENSING_OFFICER, True, False), (Role.ANALYST, True, True),
    (Role.DATA_PROTECTION_OFFICER, False, False), (Role.LEAD_WORKER, True, True),
])
def test_context_pages_by_role(role, places, groups):
    PlaceFactory(), GroupFactory()
    user = UserFactory(role=role)
    assert policy.restrict(user, "view", Place.objects.all()).exists() == places
    assert policy.restrict(user, "view", Group.objects.all()).exists() == groups


def test_merged_person_is_not_opened_twice(client):
    survivor = PersonFactory()
    absorbed = PersonFactory(merged_into=survivor)
    user = UserFactory(role=Role.LEAD_WORKER)
    for person in (survivor, absorbed):
        TeamAroundChildMember.objects.create(person=person, user=user,
                                             started_on=dt.date(2020, 1, 1))
    client.force_login(user)
    assert client.get(f"/people/{survivor.public_id}/").status_code == 200
    assert client.get(f"/people/{absorbed.public_id}/").status_code == 404
