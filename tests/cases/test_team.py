"""Membership of the team around the child gives access; ending it takes access away."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.audit.models import AuditEntry
from saferoptions.cases import services
from saferoptions.cases.models import CaseNotification, MeetingAttendance, TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.people.models import Person
from tests.access.factories import BreakGlassGrantFactory
from tests.core.factories import UserFactory

from .conftest import same_page
from .factories import ConcernFactory

pytestmark = pytest.mark.django_db
WHY = "Police lead for the missing episodes this month."
WHY_END = "The missing episodes have stopped; police step back."


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
                                      user=police, role="police", reason=WHY)
    assert _case(client, police, world.child).status_code == 200
    services.end_team_membership(actor=world.users["social_worker"], member=member,
                                 reason=WHY_END)
    after = _case(client, police, world.child)
    assert after.status_code == 404
    absent = uuid.uuid4()
    assert same_page(after, _case(client, police, Ref(absent)), world.child.public_id, absent)


def test_membership_through_the_pages_is_audited(client, world):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:team-add", args=[world.child.public_id])
    response = client.post(url, {"user": world.users["police"].pk, "role": "police",
                                 "reason": WHY})
    assert response.status_code == 302
    member = TeamAroundChildMember.objects.get(user=world.users["police"])
    entry = AuditEntry.objects.filter(object_type="team_member").latest("sequence")
    assert entry.object_ids == [str(member.pk)] and entry.action == "create"
    end = reverse("cases:team-end", args=[world.child.public_id, member.pk])
    assert client.post(end, {"end_reason": WHY_END}).status_code == 302
    member.refresh_from_db()
    assert member.ended_on is not None and member.ended_by == world.users["social_worker"]
    assert member.end_reason == WHY_END and member.added_by == world.users["social_worker"]
    assert member.reason == WHY and member.authority == "member"


def test_bad_membership_input_names_the_field(client, world):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:team-add", args=[world.child.public_id])
    response = client.post(url, {"user": "999999", "role": "king"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a practitioner from the list." in body
    assert "Choose a role in the team from the list." in body
    assert "Enter why they join the team." in body
    again = client.post(url, {"user": world.users["lead"].pk, "role": "lead_worker",
                              "reason": WHY})
    assert again.status_code == 400 and "already in the team" in again.content.decode()


def test_someone_outside_the_team_cannot_add_themselves(client, world):
    client.force_login(world.users["outsider"])
    url = reverse("cases:team-add", args=[world.child.public_id])
    response = client.post(url, {"user": world.users["outsider"].pk, "role": "member",
                                 "reason": WHY})
    assert response.status_code == 404
    assert not TeamAroundChildMember.objects.filter(user=world.users["outsider"]).exists()


def test_the_dpo_reads_the_case_but_cannot_change_it(client, world):
    dpo = UserFactory(role="data_protection_officer")
    assert _case(client, dpo, world.child).status_code == 200
    url = reverse("cases:team-add", args=[world.child.public_id])
    assert client.post(url, {"user": dpo.pk, "role": "member", "reason": WHY}).status_code == 404


def test_the_policy_itself_follows_membership(world):
    health = world.users["police"]
    visible = lambda: set(policy.restrict(health, "view", Person.objects.all()))  # noqa: E731
    assert world.child not in visible()
    member = services.add_team_member(actor=world.users["social_worker"], person=world.child,
                                      user=health, role="health", reason=WHY)
    assert world.child in visible()
    services.end_team_membership(actor=world.users["social_worker"], member=member,
                                 reason=WHY_END)
    assert world.child not in visible()


# --- who may change the team (cases.team_rules) ---------------------------------------------

def _grant(world, user):
    return BreakGlassGrantFactory(user=user, person=world.child,
                                  granted_at=clock.now() - dt.timedelta(hours=1))


def _add(client, actor, world, user, role="member"):
    client.force_login(actor)
    url = reverse("cases:team-add", args=[world.child.public_id])
    return client.post(url, {"user": user.pk, "role": role, "reason": WHY})


def test_a_break_glass_holder_cannot_add_anyone_to_the_team(client, world):
    police = world.users["police"]
    colleague = UserFactory(role=Role.HEALTH_PRACTITIONER, agency=police.agency)
    _grant(world, police)
    assert _case(client, police, world.child).status_code == 200  # the grant lets them read
    for user in (police, colleague):
        response = _add(client, police, world, user)
        assert response.status_code == 400
        assert "break-glass" in response.content.decode()
    assert not TeamAroundChildMember.objects.filter(user__in=[police, colleague]).exists()
    assert _case(client, colleague, world.child).status_code == 404
    assert "Add to the team" not in _case(client, police, world.child).content.decode()


def test_ending_a_membership_without_a_reason_points_at_that_members_box(client, world):
    member = TeamAroundChildMember.objects.get(user=world.users["lead"])
    client.force_login(world.users["social_worker"])
    end = reverse("cases:team-end", args=[world.child.public_id, member.pk])
    response = client.post(end, {"end_reason": " "})
    assert response.status_code == 400
    body = response.content.decode()
    box = f"end{member.pk}_end_reason"
    # The error summary's link lands on the box of the member whose ending was refused.
    assert f'<a href="#{box}">Enter why their membership ends.</a>' in body
    assert f'id="{box}"' in body and f'for="{box}"' in body
    assert f"end{member.pk}_error" in body.split(f'id="{box}"')[1].split(">")[0]
    member.refresh_from_db()
    assert member.ended_on is None


def test_a_break_glass_holder_cannot_end_a_membership(client, world):
    police = world.users["police"]
    _grant(world, police)
    member = TeamAroundChildMember.objects.get(user=world.users["lead"])
    client.force_login(police)
    end = reverse("cases:team-end", args=[world.child.public_id, member.pk])
    assert client.post(end, {"end_reason": WHY_END}).status_code == 400
    member.refresh_from_db()
    assert member.ended_on is None


def test_a_meeting_attendee_outside_the_team_cannot_change_it(client, world):
    police = world.users["police"]
    MeetingAttendance.objects.create(person=world.child, user=police, meeting_on=_today())
    page = _case(client, police, world.child)
    assert page.status_code == 200
    # The form is not offered to someone it would refuse (the tour found it offered).
    assert reverse("cases:team-add", args=[world.child.public_id]) not in page.content.decode()
    refused = _add(client, police, world, police)
    assert refused.status_code == 400 and "may change the team" in refused.content.decode()
    assert not TeamAroundChildMember.objects.filter(user=police).exists()
    lead = _case(client, world.users["lead"], world.child).content.decode()
    assert reverse("cases:team-add", args=[world.child.public_id]) in lead


def test_a_team_manager_allocates_within_their_own_team_only(client, world):
    manager = world.users["manager"]
    mine = UserFactory(role=Role.SOCIAL_WORKER, agency=manager.agency, team=manager.team)
    assert _add(client, manager, world, world.users["police"]).status_code == 400
    assert _add(client, manager, world, mine).status_code == 302
    assert TeamAroundChildMember.objects.get(user=mine).authority == "team_manager"


def test_the_hub_changes_the_team_only_on_a_triage_decision(client, world):
    hub, police = world.users["hub"], world.users["police"]
    assert _add(client, hub, world, police).status_code == 400
    ConcernFactory(person=world.child)
    assert _add(client, hub, world, police).status_code == 302
    assert TeamAroundChildMember.objects.get(user=police).authority == "hub_triage"


def test_every_change_needs_a_reason(world):
    with pytest.raises(services.Refused) as refused:
        services.add_team_member(actor=world.users["social_worker"], person=world.child,
                                 user=world.users["police"], role="police", reason="  ok  ")
    assert refused.value.field == "reason"
    member = TeamAroundChildMember.objects.get(user=world.users["lead"])
    with pytest.raises(services.Refused) as refused:
        services.end_team_membership(actor=world.users["social_worker"], member=member,
                                     reason="")
    assert refused.value.field == "end_reason"


def test_the_lead_professional_is_told_of_every_change(world):
    lead = TeamAroundChildMember.objects.get(user=world.users["lead"])
    lead.role = "lead_professional"
    lead.save()
    member = services.add_team_member(actor=world.users["social_worker"], person=world.child,
                                      user=world.users["police"], role="police", reason=WHY)
    services.end_team_membership(actor=world.users["social_worker"], member=member,
                                 reason=WHY_END)
    notes = list(CaseNotification.objects.order_by("pk"))
    assert [n.user for n in notes] == [world.users["lead"]] * 2
    assert "joined" in notes[0].message and "left" in notes[1].message
    assert "Okafor" not in notes[0].message  # the child is named by reference only
    entries = AuditEntry.objects.filter(object_type="team_member").order_by("sequence")
    assert [e.detail["authority"] for e in entries] == ["member", "member"]


def _today():
    return clock.today()
