"""A chair withdraws an invitation, for this meeting only or from every week: confirmed by
name, audited, kept on the record; the invitee loses the meeting and what being there let them
read, and is told on their list and home page. Nobody else may, and not once it is closed."""

import datetime as dt
from html import unescape

import pytest
from django.test import Client

from saferoptions.access import policy
from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import MeetingAttendance
from saferoptions.core import clock
from saferoptions.meetings import services
from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.errors import NotAllowed, Refused
from saferoptions.meetings.models import Attendee, InvitedBecause, MeetingStatus, WithdrawnFrom
from tests.cases.factories import TeamMemberFactory

from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NEXT_TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def amara(world):
    return AgendaItemFactory(meeting=world.meeting, person=world.known_to_police, kind="child",
                             position=1)


def _police(world) -> Attendee:
    return Attendee.objects.get(meeting=world.meeting, user=world.users["police"])


def _url(world, attendee=None) -> str:
    attendee = attendee or _police(world)
    return f"/meetings/{world.meeting.pk}/attendees/{attendee.pk}/withdraw/"


def _next_week(world):
    return MeetingFactory(locality=world.north, held_on=dt.date(2026, 3, 10))


def _held(world, present=("police",)):
    """The chair runs this week's meeting with the police officer there, and closes it."""
    chair = world.users["chair"]
    services.start_meeting(actor=chair, meeting=world.meeting)
    ids = {a.pk for a in world.meeting.attendees.all() if a.user.username in present}
    services.record_attendance(actor=chair, meeting=world.meeting, present=ids)
    return chair


# --- the chair's page ----------------------------------------------------------------------

def test_the_confirmation_names_the_person_and_the_meeting_and_says_what_it_means(world):
    chair = client_for(world.users["chair"])
    meeting_page = chair.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert f'href="{_url(world)}"' in meeting_page
    assert "Withdraw<span class=\"govuk-visually-hidden\"> Police Tester's invitation" in (
        meeting_page)
    page = chair.get(_url(world))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Withdraw Police Tester's invitation?" in text
    assert "North locality meeting on Tuesday 3 March 2026" in text
    assert "they can no longer open this meeting, its agenda or its minutes" in text
    # invited by the chair, so they come every week: the chair chooses how far
    assert "For this meeting only" in text and "From every week" in text
    assert _police(world).withdrawn_at is None  # asking changes nothing


def test_withdrawing_for_this_meeting_keeps_the_row_audits_and_tells_the_invitee(world, amara):
    chair = client_for(world.users["chair"])
    response = chair.post(_url(world), {"withdrawn_from": "meeting"})
    assert response.status_code == 302
    row = _police(world)
    assert row.withdrawn_by == world.users["chair"] and row.withdrawn_from == WithdrawnFrom.MEETING
    audit = AuditEntry.objects.get(action="withdraw_meeting_invitation")
    assert audit.actor == world.users["chair"] and audit.object_ids == [str(world.meeting.pk)]
    assert audit.detail["attendee"] == row.pk and audit.detail["user"] == row.user_id
    assert audit.detail["withdrawn_from"] == "meeting"
    page = unescape(chair.get(f"/meetings/{world.meeting.pk}/").content.decode())
    assert ("Police Tester's invitation to this meeting is withdrawn. They are invited again "
            "to the next meeting") in page
    assert "<s>Police Tester</s>" in page and "from this meeting, by Chair Tester" in page

    police = client_for(world.users["police"])
    assert police.get(f"/meetings/{world.meeting.pk}/").status_code == 404
    assert police.get(f"/meetings/{world.meeting.pk}/items/{amara.pk}/").status_code == 404
    assert police.get(f"/meetings/{world.meeting.pk}/minutes/").status_code == 404
    listing = police.get("/meetings/").content.decode()
    assert "Invitations withdrawn" in listing
    assert "Tuesday 3 March 2026" in listing and "for this meeting only" in listing
    assert f"/meetings/{world.meeting.pk}/" not in listing
    home = police.get("/").content.decode()
    assert "0 upcoming locality meetings" in home
    assert "1 invitation to an upcoming locality meeting withdrawn" in home


def test_a_withdrawn_invitee_loses_the_agendas_children_they_were_present_for(world, amara):
    """Recorded present, the police officer may open Amara through the meeting; withdrawn
    mid-meeting, that ends at once, and their attendance stays on the record."""
    _held(world)
    police = world.users["police"]
    record = f"/people/{world.known_to_police.public_id}/"
    assert policy.decision_for(police, world.known_to_police) is not None
    assert client_for(police).get(record).status_code == 200

    services.withdraw_invitation(actor=world.users["chair"], attendee=_police(world))

    assert policy.decision_for(police, world.known_to_police) is None
    assert client_for(police).get(record).status_code == 404
    assert not MeetingAttendance.objects.filter(user=police).exists()
    assert _police(world).attended  # the record of who came stays
    audit = AuditEntry.objects.get(action="withdraw_meeting_invitation")
    assert audit.detail["had_attended"] is True and audit.detail["access_rows_ended"] == 1
    # a later roll call neither counts them nor gives the access back
    services.record_attendance(actor=world.users["chair"], meeting=world.meeting,
                               present={_police(world).pk})
    assert client_for(police).get(record).status_code == 404
    minutes = client_for(world.users["chair"]).get(f"/meetings/{world.meeting.pk}/minutes/")
    assert ("Police Tester (Avon and Somerset Police), invitation withdrawn during the meeting"
            in unescape(minutes.content.decode()))


def test_a_child_the_invitee_works_with_stays_open_through_their_own_work(world, amara):
    TeamMemberFactory(person=world.known_to_police, user=world.users["police"])
    services.withdraw_invitation(actor=world.users["chair"], attendee=_police(world))
    assert policy.decision_for(world.users["police"], world.known_to_police) is not None


def test_this_meeting_only_still_invites_them_next_week(world):
    _held(world, present=())
    services.withdraw_invitation(actor=world.users["chair"], attendee=_police(world))
    services.close_meeting(actor=world.users["chair"], meeting=world.meeting)
    with clock.frozen(NEXT_TUESDAY):
        next_week = _next_week(world)
        build_agenda(next_week)
    row = next_week.attendees.get(user=world.users["police"])
    assert row.invited_because == InvitedBecause.REGULAR and row.withdrawn_at is None


def test_every_week_stops_them_being_invited_again_and_withdraws_a_later_invitation(world):
    with clock.frozen(NEXT_TUESDAY - dt.timedelta(days=6)):
        next_week = _next_week(world)
        build_agenda(next_week)  # already invited next week, as a regular
    assert next_week.attendees.get(user=world.users["police"]).invited_because == "regular"
    chair = client_for(world.users["chair"])
    response = chair.post(_url(world), {"withdrawn_from": "every_week"}, follow=True)
    assert "withdrawn from every week: they are not invited to this locality's meetings " \
           "again until a chair invites them" in unescape(response.content.decode())
    later = next_week.attendees.get(user=world.users["police"])
    assert later.withdrawn_from == WithdrawnFrom.EVERY_WEEK
    audit = AuditEntry.objects.get(action="withdraw_meeting_invitation")
    assert audit.detail["later_meetings"] == [next_week.pk]

    services.start_meeting(actor=world.users["chair"], meeting=world.meeting)
    services.close_meeting(actor=world.users["chair"], meeting=world.meeting)
    with clock.frozen(NEXT_TUESDAY + dt.timedelta(days=7)):
        after = MeetingFactory(locality=world.north, held_on=dt.date(2026, 3, 17))
        next_week.status = MeetingStatus.CLOSED
        next_week.save()
        build_agenda(after)
    assert not after.attendees.filter(user=world.users["police"]).exists()


def test_the_agenda_never_makes_or_removes_a_withdrawn_invitation(world, amara):
    TeamMemberFactory(person=world.known_to_police, user=world.users["early_help"])
    build_agenda(world.meeting)
    row = world.meeting.attendees.get(user=world.users["early_help"])
    assert row.invited_because == InvitedBecause.TEAM_AROUND_CHILD
    page = client_for(world.users["chair"]).get(_url(world, row)).content.decode()
    assert "From every week" not in page and "this meeting only" in page
    with pytest.raises(Refused) as refused:
        services.withdraw_invitation(actor=world.users["chair"], attendee=row,
                                     every_week=True)
    assert refused.value.field == "withdrawn_from"
    services.withdraw_invitation(actor=world.users["chair"], attendee=row)
    build_agenda(world.meeting)
    row.refresh_from_db()
    assert row.withdrawn_at is not None
    amara.delete()  # their child leaves the agenda: the withdrawn row stays on the record
    build_agenda(world.meeting)
    assert world.meeting.attendees.filter(user=world.users["early_help"]).exists()


def test_a_withdrawn_invitee_may_be_invited_again(world):
    chair = world.users["chair"]
    services.withdraw_invitation(actor=chair, attendee=_police(world))
    page = client_for(chair).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert f'<option value="{world.users["police"].pk}"' in page  # offered again
    assert "someone whose invitation was withdrawn may be invited again" in page
    response = client_for(chair).post(f"/meetings/{world.meeting.pk}/attendees/",
                                      {"user": world.users["police"].pk})
    assert response.status_code == 302
    row = _police(world)
    assert row.withdrawn_at is None and row.invited_because == InvitedBecause.CHAIR
    assert client_for(world.users["police"]).get(
        f"/meetings/{world.meeting.pk}/").status_code == 200


# --- what is refused -----------------------------------------------------------------------

def test_a_regular_must_be_told_how_far(world):
    response = client_for(world.users["chair"]).post(_url(world), {})
    text = unescape(response.content.decode())
    assert response.status_code == 400 and "<title>Error: Withdraw Police Tester" in text
    assert ("Choose whether to withdraw the invitation to this meeting only or from every week"
            in text)
    assert _police(world).withdrawn_at is None


def test_withdrawing_twice_says_so(world):
    chair = client_for(world.users["chair"])
    assert chair.post(_url(world), {"withdrawn_from": "meeting"}).status_code == 302
    again = chair.post(_url(world), {"withdrawn_from": "meeting"})
    assert again.status_code == 400
    assert "Police Tester&#x27;s invitation is already withdrawn." in again.content.decode()
    assert AuditEntry.objects.filter(action="withdraw_meeting_invitation").count() == 1


def test_a_closed_meetings_invitations_cannot_be_withdrawn(world):
    _held(world)
    services.close_meeting(actor=world.users["chair"], meeting=world.meeting)
    chair = client_for(world.users["chair"])
    page = chair.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "/withdraw/" not in page
    closed = unescape(chair.get(_url(world)).content.decode())
    assert "This meeting is closed" in closed
    assert "Police Tester's invitation</h1>" in closed and "was invited to" in closed
    assert "Withdraw Police Tester's invitation?" not in closed
    response = chair.post(_url(world), {"withdrawn_from": "meeting"})
    assert response.status_code == 400
    assert "This meeting is closed: its record cannot change." in response.content.decode()
    with pytest.raises(Refused):
        services.withdraw_invitation(actor=world.users["chair"], attendee=_police(world))
    row = _police(world)
    assert row.withdrawn_at is None and row.attended
    assert not AuditEntry.objects.filter(action="withdraw_meeting_invitation").exists()


@pytest.mark.parametrize("who", ["police", "early_help", "south_chair", "other_police",
                                 "admin"])
def test_only_the_localitys_chair_may_withdraw(world, who):
    """The invitee themselves, another invitee, a chair of another locality, anyone else:
    the common 404 on the page and the post, and the service refuses too."""
    if who == "early_help":
        Attendee.objects.create(meeting=world.meeting, user=world.users["early_help"],
                                agency=world.users["early_help"].agency,
                                invited_at=clock.now())
    client = client_for(world.users[who])
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), {"withdrawn_from": "meeting"}).status_code == 404
    with pytest.raises(NotAllowed):
        services.withdraw_invitation(actor=world.users[who], attendee=_police(world))
    assert _police(world).withdrawn_at is None
    assert not AuditEntry.objects.filter(action="withdraw_meeting_invitation").exists()


def test_an_attendee_of_another_meeting_is_not_found_here(world):
    other = MeetingFactory(locality=world.north, held_on=dt.date(2026, 3, 10))
    elsewhere = Attendee.objects.create(meeting=other, user=world.users["other_police"],
                                        invited_at=clock.now())
    response = client_for(world.users["chair"]).get(_url(world, elsewhere))
    assert response.status_code == 404
