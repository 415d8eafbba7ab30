"""Membership of the team around the child gives access; ending it takes access away."""

import uuid

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases import services
from saferoptions.cases.models import TeamAroundChildMember

from .conftest import same_page

pytestmark = pytest.mark.django_db


class Ref:
    """A reference to a child that does not exist."""

    def __init__(self, public_id):
        self.public_id = public_id


def _case(client, user, person):
    client.force_login(user)
    return client.get(reverse("cases:child", args=[person.public_id]))


def test_join_then_see_leave_then_404_on_the_next_request(client, world):
    police = world.users["police"]
    assert _case(client, police, world.child).status_code == 404
    member = services.add_team_member(actor=world.users["social_worker"], person=world.child,
                                      user=police, role="police")
    assert _case(client, police, world.child).status_code == 200
    services.end_team_membership(actor=world.users["social_worker"], member=member)
    after = _case(client, police, world.child)
    assert after.status_code == 404
    absent = uuid.uuid4()
    assert same_page(after, _case(client, police, Ref(absent)), world.child.public_id, absent)


def test_membership_through_the_pages_is_audited(client, world):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:team-add", args=[world.child.public_id])
    response = client.post(url, {"user": world.users["police"].pk, "role": "police"})
    assert response.status_code == 302
    member = TeamAroundChildMember.objects.get(user=world.users["police"])
    entry = AuditEntry.objects.filter(object_type="team_member").latest("sequence")
    assert entry.object_ids == [str(member.pk)] and entry.action == "create"
    end = reverse("cases:team-end", args=[world.child.public_id, member.pk])
    assert client.post(end).status_code == 302
    member.refresh_from_db()
    assert member.ended_on is not None


def test_bad_membership_input_names_the_field(client, world):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:team-add", args=[world.child.public_id])
    response = client.post(url, {"user": "999999", "role": "king"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a practitioner from the list." in body
    assert "Choose a role in the team from the list." in body
    again = client.post(url, {"user": world.users["lead"].pk, "role": "lead_worker"})
    assert again.status_code == 400 and "already in the team" in again.content.decode()


def test_someone_outside_the_team_cannot_add_themselves(client, world):
    client.force_login(world.users["outsider"])
    url = reverse("cases:team-add", args=[world.child.public_id])
    response = client.post(url, {"user": world.users["outsider"].pk, "role": "member"})
    assert response.status_code == 404
    assert not TeamAroundChildMember.objects.filter(user=world.users["outsider"]).exists()


def test_the_dpo_reads_the_case_but_cannot_change_it(client, world):
    from saferoptions.access.tests.factories import UserFactory

    dpo = UserFactory(role="data_protection_officer")
    assert _case(client, dpo, world.child).status_code == 200
    url = reverse("cases:team-add", args=[world.child.public_id])
    assert client.post(url, {"user": dpo.pk, "role": "member"}).status_code == 404


def test_the_policy_itself_follows_membership(world):
    from saferoptions.access import policy
    from saferoptions.people.models import Person

    health = world.users["police"]
    visible = lambda: set(policy.restrict(health, "view", Person.objects.all()))  # noqa: E731
    assert world.child not in visible()
    member = services.add_team_member(actor=world.users["social_worker"], person=world.child,
                                      user=health, role="health")
    assert world.child in visible()
    services.end_team_membership(actor=world.users["social_worker"], member=member)
    assert world.child not in visible()
