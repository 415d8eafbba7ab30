"""A break-glass grant is for reading: its holder cannot refer the child to their own team.

A referral sent to a team is the team's work with the child (the access policy reads it like
membership of the team around the child): a provider's practitioner holding only a 24-hour
grant could refer a child they had no work with to their own programme and so keep the
record for as long as the referral stays open, their whole team with them (found attacking a
demo clone: a police officer referred a stranger to the police's late-night outreach).
"""

import datetime as dt

import pytest
from django.db import transaction

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.interventions import services
from saferoptions.interventions.models import Programme, Referral
from tests.access.factories import BreakGlassGrantFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _refer(actor, person, team):
    with transaction.atomic():
        return services.refer(
            actor=actor, person=person, programme=Programme.objects.get(name="Community mentoring"),
            team_id=team.pk, route_in="direct", reason="Seen with older men at night.",
            young_person_consent="given", parent_consent="given",
            ineligible_reason="Emergency: at risk tonight, refer whatever the rules say.")


@pytest.fixture
def stranger(world):
    child = PersonFactory(given_name="Quennell", family_name="Stranger", locality=world.east,
                          date_of_birth=dt.date(2011, 5, 1))
    now = clock.now()
    BreakGlassGrantFactory(user=world.users["mentor"], person=child, granted_at=now,
                           expires_at=now + dt.timedelta(hours=24))
    return child


def test_a_grant_holder_cannot_refer_the_child_to_their_own_team(world, stranger):
    mentor = world.users["mentor"]
    with pytest.raises(services.Refused) as refused:
        _refer(mentor, stranger, world.mentor_team)
    assert refused.value.field == "team"
    assert "break-glass" in refused.value.message
    assert not Referral.objects.filter(person=stranger).exists()
    with clock.frozen(clock.now() + dt.timedelta(days=2)):  # the grant has lapsed
        assert policy.decision_for(mentor, stranger) is None


def test_someone_who_works_with_the_child_still_refers_them_to_the_mentors(world):
    referral = _refer(world.users["social_worker"], world.child, world.mentor_team)
    assert referral.team == world.mentor_team
