"""Putting a child on a locality meeting's agenda invites the practitioners who work with them:
they see the meeting on their home page and their own child's item; the agenda's own
invitations go again if their child leaves the agenda before the meeting; each is audited."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import Concern
from saferoptions.core.models import Agency, Locality, Role, Team
from saferoptions.meetings import services
from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.models import Attendee, InvitedBecause, MeetingStatus
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

from .builders import flagged_child
from .factories import AT, AttendeeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _worker(name, role=Role.SOCIAL_WORKER, *, active=True):
    return UserFactory(username=name, role=role, agency=Agency.objects.get(slug="social-care"),
                       team=Team.objects.get(slug="social-care-north"),
                       locality=Locality.objects.get(slug="north"), is_active=active,
                       first_name=name.title(), last_name="Worker")


@pytest.fixture
def teams(world):
    """Two flagged children: Rio's team (a social worker, an early help worker who left it
    yesterday, a leaver whose account is closed, a data protection officer who attends no
    meeting), and Kai, whom none of them works with."""
    rio = PersonFactory(given_name="Rio", family_name="Banks", locality=world.north)
    kai = PersonFactory(given_name="Kai", family_name="Moss", locality=world.north)
    concerns = {"rio": flagged_child(world.north, person=rio),
                "kai": flagged_child(world.north, person=kai)}
    people = {"social": _worker("sw"), "left": _worker("leftteam"),
              "closed": _worker("closed", active=False),
              "dpo": _worker("dpo", Role.DATA_PROTECTION_OFFICER)}
    for name, user in people.items():
        TeamMemberFactory(person=rio, user=user, role="social_worker",
                          ended_on=AT.date() if name == "left" else None)
    return {"rio": rio, "kai": kai, "concerns": concerns, **people}


def _invited(meeting) -> dict:
    return dict(Attendee.objects.filter(meeting=meeting).values_list("user__username",
                                                                     "invited_because"))


def test_the_nightly_build_invites_the_childs_current_practitioners_who_attend(world, teams):
    build_agenda(world.meeting)
    assert _invited(world.meeting) == {"police": InvitedBecause.CHAIR,
                                       "sw": InvitedBecause.TEAM_AROUND_CHILD}
    row = Attendee.objects.get(meeting=world.meeting, user=teams["social"])
    assert row.agency.slug == "social-care" and row.invited_by is None and not row.attended
    audit = AuditEntry.objects.filter(object_type="locality_meeting",
                                      detail__agenda="built").get()
    assert audit.detail["invited"] == [teams["social"].pk] and audit.actor is None
    build_agenda(world.meeting)  # again: nobody twice, nothing new to audit
    assert Attendee.objects.filter(meeting=world.meeting, user=teams["social"]).count() == 1
    again = AuditEntry.objects.filter(detail__agenda="built").order_by("-pk").first()
    assert "invited" not in again.detail


def test_the_invited_practitioner_sees_the_meeting_and_their_own_child_by_name(world, teams):
    build_agenda(world.meeting)
    client = _client(teams["social"])
    assert "1 upcoming locality meeting" in client.get("/").content.decode()
    assert f"/meetings/{world.meeting.pk}/" in client.get("/meetings/").content.decode()
    page = client.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "Rio Banks" in page and "Works with a child on the agenda" in page
    assert "Kai" not in page and "Moss" not in page  # not theirs until recorded present
    # Nobody else is let in by it: an uninvited colleague meets the meeting as absent.
    other = _client(_worker("colleague"))
    assert "0 upcoming locality meetings" in other.get("/").content.decode()
    assert other.get(f"/meetings/{world.meeting.pk}/").status_code == 404
    assert other.get("/meetings/99999999/").status_code == 404


def test_a_child_leaving_the_agenda_before_the_meeting_takes_the_invitation_back(world, teams):
    build_agenda(world.meeting)
    Concern.objects.filter(pk=teams["concerns"]["rio"].pk).update(withdrawn_at=AT)
    build_agenda(world.meeting)
    assert "sw" not in _invited(world.meeting)
    audit = AuditEntry.objects.filter(detail__agenda="built").order_by("-pk").first()
    assert audit.detail["invitations_withdrawn"] == [teams["social"].pk]
    assert _client(teams["social"]).get(f"/meetings/{world.meeting.pk}/").status_code == 404


def test_the_chairs_own_invitation_stays_when_the_child_goes(world, teams):
    build_agenda(world.meeting)
    services.invite(actor=world.users["chair"], meeting=world.meeting, user=teams["social"])
    row = Attendee.objects.get(meeting=world.meeting, user=teams["social"])
    assert row.invited_because == InvitedBecause.CHAIR and row.invited_by == world.users["chair"]
    Concern.objects.filter(pk=teams["concerns"]["rio"].pk).update(withdrawn_at=AT)
    build_agenda(world.meeting)
    assert _invited(world.meeting)["sw"] == InvitedBecause.CHAIR


def test_once_the_meeting_has_begun_who_was_expected_stays_on_the_record(world, teams):
    build_agenda(world.meeting)
    services.start_meeting(actor=world.users["chair"], meeting=world.meeting)
    Concern.objects.filter(pk=teams["concerns"]["rio"].pk).update(withdrawn_at=AT)
    build_agenda(world.meeting)
    assert "sw" in _invited(world.meeting)


def test_the_chair_adding_a_child_invites_their_practitioner(world):
    worker = _worker("adder")
    child = PersonFactory(given_name="Noa", family_name="Vale", locality=world.north)
    TeamMemberFactory(person=child, user=worker, role="lead_professional",
                      started_on=AT.date() - dt.timedelta(days=30))
    services.add_item(actor=world.users["chair"], meeting=world.meeting, person=child)
    assert _invited(world.meeting)["adder"] == InvitedBecause.TEAM_AROUND_CHILD
    row = Attendee.objects.get(meeting=world.meeting, user=worker)
    assert row.invited_by == world.users["chair"]
    audit = AuditEntry.objects.filter(object_type="locality_meeting",
                                      detail__has_key="item_added").get()
    assert audit.detail["invited"] == [worker.pk]


def test_a_practitioner_joining_the_team_from_tomorrow_is_not_invited_yet(world):
    child = PersonFactory(locality=world.north)
    flagged_child(world.north, person=child)
    TeamMemberFactory(person=child, user=_worker("tomorrow"),
                      started_on=AT.date() + dt.timedelta(days=1))
    build_agenda(world.meeting)
    assert "tomorrow" not in _invited(world.meeting)


def test_the_partners_who_came_last_week_are_invited_to_the_next_meeting(world):
    """Journey 5: housing attends every week though no child on the agenda is theirs; someone
    recorded absent last week, or whose account is closed, is not invited again."""
    def partner(name, role, agency, *, active=True):
        return UserFactory(username=name, role=role, agency=Agency.objects.get(slug=agency),
                           is_active=active)

    housing = partner("housing", Role.HOUSING_OFFICER, "housing")
    absent = partner("absent", Role.HEALTH_PRACTITIONER, "health")
    left = partner("left", Role.LEAD_WORKER, "barnardos", active=False)
    last_week = MeetingFactory(locality=world.north, held_on=dt.date(2026, 2, 24),
                               status=MeetingStatus.CLOSED)
    for user, came in ((housing, True), (absent, False), (left, True)):
        AttendeeFactory(meeting=last_week, user=user, attended=came,
                        invited_by=world.users["chair"])

    build_agenda(world.meeting)

    invited = _invited(world.meeting)
    assert invited["housing"] == InvitedBecause.REGULAR
    assert "absent" not in invited and "left" not in invited
    page = _client(housing).get(f"/meetings/{world.meeting.pk}/")
    assert page.status_code == 200
    entry = AuditEntry.objects.filter(object_type="locality_meeting",
                                      detail__agenda="built").latest("pk")
    assert housing.pk in entry.detail["invited"]
