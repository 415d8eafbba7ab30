"""The meeting pages as each person in the room, and as people who were never invited."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import MeetingAttendance
from saferoptions.core import clock
from saferoptions.core.models import Agency, Role, Team
from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.models import MeetingAction, MeetingStatus
from saferoptions.tasks.models import Notification
from tests.access.factories import AgreementFactory
from tests.cases.factories import ConcernFactory, TeamMemberFactory
from tests.contexts.factories import GroupFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

# Per-request CSRF tokens differ between any two pages; nothing else may.
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
MASKED = "A child known to 2 agencies"
WITHHELD = "An item about a child your agency does not have access to"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agenda(world):
    return {
        "amara": AgendaItemFactory(meeting=world.meeting, person=world.known_to_police,
                                   kind="child", position=1),
        "zeph": AgendaItemFactory(meeting=world.meeting, person=world.health_only,
                                  kind="child", position=2),
    }


def run_meeting(world, present=("police",)):
    """The chair starts the meeting and records who came."""
    chair = client_for(world.users["chair"])
    assert chair.post(f"/meetings/{world.meeting.pk}/start/").status_code == 302
    ids = [str(a.pk) for a in world.meeting.attendees.all() if a.user.username in present]
    response = chair.post(f"/meetings/{world.meeting.pk}/attendance/", {"present": ids})
    assert response.status_code == 302
    return chair


def discuss(chair, world, item, notes, decision="Refer to the Hub"):
    return chair.post(f"/meetings/{world.meeting.pk}/items/{item.pk}/discussion/",
                      {"notes": notes, "decision": decision, "discussed": "on"})


# --- who sees what -------------------------------------------------------------------------

def test_an_invited_police_officer_sees_children_only_as_their_agency_may(world, agenda):
    police = client_for(world.users["police"])
    page = police.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert page.count(MASKED) == 2
    for secret in ("Amara", "Okafor", "Zephyrine", "Quillfeather", "2011", "SRC"):
        assert secret not in page
    # in the team around Amara: Amara by name, the other child still a stub
    TeamMemberFactory(person=world.known_to_police, user=world.users["police"])
    page = police.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "Amara Okafor" in page and "Zephyrine" not in page and page.count(MASKED) == 1
    item = police.get(f"/meetings/{world.meeting.pk}/items/{agenda['zeph'].pk}/")
    assert item.status_code == 200 and "Zephyrine" not in item.content.decode()


def test_once_attendance_is_recorded_attendees_see_the_children_discussed(world, agenda):
    # Health and social care share who Zephyrine is with the police, as the partnership's
    # agreements do (access/partnership.py): without it her name is not shown.
    for slug in ("health", "social-care"):
        AgreementFactory(provider=Agency.objects.get(slug=slug),
                         recipient=world.users["police"].agency, categories=["identity"],
                         purposes=["direct_work"])
    run_meeting(world)
    page = client_for(world.users["police"]).get(f"/meetings/{world.meeting.pk}/")
    assert "Amara Okafor" in page.content.decode()
    assert "Zephyrine Quillfeather" in page.content.decode()


def test_attendance_opens_the_childs_record_for_the_window_only(world, agenda):
    police = client_for(world.users["police"])
    record = f"/people/{world.known_to_police.public_id}/"
    assert police.get(record).status_code == 404
    run_meeting(world)
    assert MeetingAttendance.objects.filter(user=world.users["police"]).count() == 2
    assert police.get(record).status_code == 200
    last_day = world.meeting.held_on + dt.timedelta(days=settings.ACCESS_MEETING_DAYS_AFTER)
    with clock.frozen(dt.datetime.combine(last_day, dt.time(12), tzinfo=dt.UTC)):
        assert police.get(record).status_code == 200
    with clock.frozen(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(12),
                                          tzinfo=dt.UTC)):
        assert police.get(record).status_code == 404


def test_an_invited_officer_marked_absent_gets_no_access(world, agenda):
    run_meeting(world, present=())
    record = f"/people/{world.known_to_police.public_id}/"
    assert client_for(world.users["police"]).get(record).status_code == 404
    # marked present then absent again: the access the meeting gave is taken back
    chair = run_meeting(world)
    chair.post(f"/meetings/{world.meeting.pk}/attendance/", {"present": []})
    assert client_for(world.users["police"]).get(record).status_code == 404


def test_an_action_becomes_a_task_in_the_owning_teams_inbox(world, agenda):
    chair = run_meeting(world)
    team = Team.objects.get(slug="early-help-north")
    response = chair.post(f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/actions/",
                          {"description": "Offer a return home interview", "team": team.pk,
                           "due_on": "2026-03-10"})
    assert response.status_code == 302
    action = MeetingAction.objects.get()
    task = action.task
    assert task.team == team and task.person == world.known_to_police
    assert task.description == "Offer a return home interview"  # the action's words travel
    assert task.due_at == dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)  # 17:00 in London
    inbox = client_for(world.users["early_help"]).get("/tasks/")
    assert f"/tasks/{task.pk}/" in inbox.content.decode()
    assert Notification.objects.filter(user=world.users["early_help"], task=task).exists()
    page = chair.get(f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/")
    assert "Offer a return home interview" in page.content.decode()


def test_minutes_are_redacted_for_each_agency_and_audited(world, agenda):
    chair = run_meeting(world)
    assert discuss(chair, world, agenda["amara"], "NOTES-ABOUT-AMARA").status_code == 302
    assert discuss(chair, world, agenda["zeph"], "NOTES-ABOUT-ZEPH",
                   "HEALTH-DECISION").status_code == 302
    chair.post(f"/meetings/{world.meeting.pk}/close/")

    before = AuditEntry.objects.filter(object_type="meeting_minutes").count()
    police = client_for(world.users["police"]).get(f"/meetings/{world.meeting.pk}/minutes/")
    page = police.content.decode()
    assert police.status_code == 200
    assert "NOTES-ABOUT-AMARA" in page and "Amara Okafor" in page
    assert WITHHELD in page
    for secret in ("NOTES-ABOUT-ZEPH", "HEALTH-DECISION", "Zephyrine", "Quillfeather"):
        assert secret not in page
    assert 'media="print"' in page
    social_care = client_for(world.users["chair"]).get(f"/meetings/{world.meeting.pk}/minutes/")
    assert "NOTES-ABOUT-ZEPH" in social_care.content.decode()
    entries = AuditEntry.objects.filter(object_type="meeting_minutes").order_by("sequence")
    assert entries.count() == before + 2
    assert entries.filter(actor_id=world.users["police"].pk,
                          object_ids=[str(world.meeting.pk)]).exists()


def _item_from_health_record(world, health):
    """Amara on the agenda because of a concern raised from a health record of her."""
    event = EventFactory(reporting_agency=health, event_type="ed_assault", category="health")
    InvolvementFactory(event=event, person=world.known_to_police)
    concern = ConcernFactory(person=world.known_to_police, locality=world.north,
                             source="feed_rule", event=event, reason="x")
    item = AgendaItemFactory(meeting=world.meeting, person=world.known_to_police, kind="child",
                             position=1, sources={"concerns": [concern.pk]})
    return item, concern


def test_a_concern_from_a_record_the_reader_may_not_see_is_left_out_of_the_minutes(world):
    """Seeing one of the child's records is not seeing them all: the police read Amara's item
    (their own record of her) but not the health record that brought her, nor the discussion
    of it. Forbidden and absent read the same: 'None you may see'."""
    health = Agency.objects.get(slug="health")
    item, concern = _item_from_health_record(world, health)
    chair = run_meeting(world)
    assert discuss(chair, world, item, "NOTES-ABOUT-THE-ASSAULT", "HEALTH-PLAN").status_code == 302
    chair.post(f"/meetings/{world.meeting.pk}/close/")
    police = client_for(world.users["police"])
    for url in (f"/meetings/{world.meeting.pk}/minutes/",
                f"/meetings/{world.meeting.pk}/items/{item.pk}/",
                f"/meetings/{world.meeting.pk}/"):
        page = police.get(url).content.decode()
        assert "Amara Okafor" in page, url
        for secret in ("NOTES-ABOUT-THE-ASSAULT", "HEALTH-PLAN", "(flagged ",
                       f"concern {concern.pk}", f"/cases/concerns/{concern.pk}/"):
            assert secret not in page, (url, secret)
    minutes = police.get(f"/meetings/{world.meeting.pk}/minutes/").content.decode()
    assert "None you may see" in minutes  # why
    # notes and decision exist: said as recorded and not shown, never as "nothing recorded"
    assert minutes.count("Recorded, but not shown to you") == 2
    # who may see the health record reads the concern and the discussion
    TeamMemberFactory(person=world.known_to_police, user=world.users["police"])
    AgreementFactory(provider=health, recipient=world.users["police"].agency,
                     categories=["health"], purposes=["direct_work"])
    shared = police.get(f"/meetings/{world.meeting.pk}/minutes/").content.decode()
    assert "NOTES-ABOUT-THE-ASSAULT" in shared and "(flagged " in shared


def test_each_view_of_the_meeting_is_audited(world, agenda):
    client = client_for(world.users["police"])
    before = AuditEntry.objects.filter(object_type="locality_meeting", action="view").count()
    client.get(f"/meetings/{world.meeting.pk}/")
    entry = AuditEntry.objects.filter(object_type="locality_meeting", action="view").last()
    assert entry.actor_id == world.users["police"].pk and entry.detail["withheld"] == 2
    assert AuditEntry.objects.filter(object_type="locality_meeting",
                                     action="view").count() == before + 1


# --- who may open meetings at all ----------------------------------------------------------

def _routes(meeting, item):
    base = f"/meetings/{meeting.pk}"
    gets = [f"{base}/", f"{base}/items/{item.pk}/", f"{base}/minutes/", f"{base}/add/?q=Ok"]
    posts = [f"{base}/{p}/" for p in ("start", "refresh", "close", "attendees", "attendance",
                                      "add")]
    posts += [f"{base}/items/{item.pk}/discussion/", f"{base}/items/{item.pk}/actions/"]
    return gets, posts


@pytest.mark.parametrize("who", ["other_police", "admin", "south_chair", "early_help"])
def test_everyone_not_chairing_or_invited_gets_404_on_every_page_and_post(world, agenda, who):
    client = client_for(world.users[who])
    gets, posts = _routes(world.meeting, agenda["amara"])
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"decision": "x", "notes": "x"}).status_code == 404, url
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED
    assert agenda["amara"].__class__.objects.get(pk=agenda["amara"].pk).decision == ""


def test_a_missing_meeting_and_a_forbidden_one_look_the_same(world, agenda):
    client = client_for(world.users["other_police"])
    forbidden = client.get(f"/meetings/{world.meeting.pk}/")
    missing = client.get("/meetings/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert TOKEN.sub(b"", forbidden.content) == TOKEN.sub(b"", missing.content)


def test_an_attendee_may_look_but_not_run_the_meeting(world, agenda):
    police = client_for(world.users["police"])
    assert police.post(f"/meetings/{world.meeting.pk}/start/").status_code == 404
    page = police.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "Refresh agenda" not in page and "Start the meeting" not in page


def test_the_list_shows_each_user_their_meetings(world):
    south = MeetingFactory(locality=world.south, held_on=dt.date(2026, 3, 3))
    chair = client_for(world.users["chair"]).get("/meetings/").content.decode()
    assert f"/meetings/{world.meeting.pk}/" in chair and f"/meetings/{south.pk}/" not in chair
    police = client_for(world.users["police"]).get("/meetings/").content.decode()
    assert f"/meetings/{world.meeting.pk}/" in police
    other = client_for(world.users["other_police"]).get("/meetings/")
    assert other.status_code == 200
    assert f"/meetings/{world.meeting.pk}/" not in other.content.decode()
    assert client_for(world.users["admin"]).get("/meetings/").status_code == 404


# --- malformed input and closed meetings ---------------------------------------------------

def test_malformed_input_gives_field_errors_never_a_server_error(world, agenda):
    chair = run_meeting(world)
    item = f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}"
    team = Team.objects.get(slug="early-help-north").pk
    cases = [
        (f"{item}/discussion/", {"notes": "n", "decision": "  "},
         "Enter what the meeting decided."),
        (f"{item}/actions/", {"description": "Visit", "due_on": "2026-03-10"},
         "Choose the team that owns the action."),
        (f"{item}/actions/", {"description": "Visit", "team": "abc", "due_on": "2026-03-10"},
         "Choose a team from the list."),
        (f"{item}/actions/", {"description": "Visit", "team": team, "due_on": "2026-03-02"},
         "The due date must be today or in the future."),
        (f"{item}/actions/", {"description": "Visit", "team": team, "due_on": "31/02/2026"},
         "Due date must be a real date"),
        (f"{item}/actions/", {"description": "", "team": team, "due_on": "2026-03-10"},
         "Describe the action."),
        (f"{item}/actions/", {"description": "x" * 501, "team": team, "due_on": "2026-03-10"},
         "Enter 500 characters or fewer (you entered 501)"),
        (f"/meetings/{world.meeting.pk}/attendees/", {"user": "999999"},
         "Choose a practitioner from the list."),
        (f"/meetings/{world.meeting.pk}/attendance/", {"present": ["nope"]},
         "Choose attendees from the list."),
        (f"/meetings/{world.meeting.pk}/add/", {"kind": "child", "ref": "not-a-uuid"},
         "Choose a child, peer group or place from the results."),
        (f"/meetings/{world.meeting.pk}/add/", {"kind": "spaceship", "ref": "1"},
         "Choose a child, peer group or place from the results."),
    ]
    for url, data, message in cases:
        response = chair.post(url, data)
        assert response.status_code == 400, (url, data)
        assert message in response.content.decode(), (url, message)
    assert not MeetingAction.objects.exists()
    assert chair.post(f"{item.rsplit('/', 1)[0]}/999999/discussion/",
                      {"decision": "x"}).status_code == 404


def test_discussion_waits_for_the_meeting_to_start(world, agenda):
    chair = client_for(world.users["chair"])
    response = discuss(chair, world, agenda["amara"], "Too early")
    assert response.status_code == 400
    assert "Start the meeting" in response.content.decode()


def test_a_closed_meeting_refuses_every_change(world, agenda):
    chair = run_meeting(world)
    discuss(chair, world, agenda["amara"], "Agreed plan")
    assert chair.post(f"/meetings/{world.meeting.pk}/close/").status_code == 302
    team = Team.objects.get(slug="early-help-north").pk
    base = f"/meetings/{world.meeting.pk}"
    attempts = [
        (f"{base}/items/{agenda['amara'].pk}/discussion/", {"decision": "Changed"}),
        (f"{base}/items/{agenda['amara'].pk}/actions/",
         {"description": "Late", "team": team, "due_on": "2026-03-10"}),
        (f"{base}/refresh/", {}), (f"{base}/start/", {}), (f"{base}/close/", {}),
        (f"{base}/attendees/", {"user": world.users["early_help"].pk}),
        (f"{base}/attendance/", {"present": []}),
        (f"{base}/add/", {"kind": "group", "ref": GroupFactory(locality=world.north).pk}),
    ]
    for url, data in attempts:
        response = chair.post(url, data)
        assert response.status_code == 400, url
        assert "closed" in response.content.decode(), url
    agenda["amara"].refresh_from_db()
    assert agenda["amara"].decision == "Refer to the Hub"
    assert world.meeting.items.count() == 2 and world.meeting.attendees.count() == 1
    assert not MeetingAction.objects.exists()
    page = chair.get(f"{base}/items/{agenda['amara'].pk}/").content.decode()
    assert "Save the discussion" not in page


# --- the chair adds to the agenda ----------------------------------------------------------

def test_the_children_found_to_add_are_in_family_name_order_whatever_its_case(world):
    """'Zed OKAFOR', as one agency writes him, came before 'Amara Okafor': a byte order puts
    capitals first, and the list is cut at its limit in that order (seen on the tour)."""
    for given, family in (("Zed", "OKAFOR"), ("Amy", "okafor")):
        PersonFactory(given_name=given, family_name=family, locality=world.north)
    hub = UserFactory(role=Role.HUB_PRACTITIONER, agency=world.users["chair"].agency,
                      locality=world.north)
    found = client_for(hub).get(f"/meetings/{world.meeting.pk}/add/?q=okafor").content.decode()
    names = ["Amara Okafor", "Amy okafor", "Zed OKAFOR"]
    assert sorted(names, key=found.index) == names


def test_a_chair_adds_a_child_found_through_the_policy_and_a_group(world):
    hub = UserFactory(role=Role.HUB_PRACTITIONER, agency=world.users["chair"].agency,
                      locality=world.north)
    client = client_for(hub)
    found = client.get(f"/meetings/{world.meeting.pk}/add/?q=Okafor").content.decode()
    assert "Amara Okafor" in found
    ref = str(world.known_to_police.public_id)
    assert client.post(f"/meetings/{world.meeting.pk}/add/",
                       {"kind": "child", "ref": ref}).status_code == 302
    item = world.meeting.items.get()
    assert item.kind == "added_by_chair" and item.person == world.known_to_police
    again = client.post(f"/meetings/{world.meeting.pk}/add/", {"kind": "child", "ref": ref})
    assert again.status_code == 400 and "already on the agenda" in again.content.decode()
    group = GroupFactory(locality=world.north, name="Northside riders")
    assert client.post(f"/meetings/{world.meeting.pk}/add/",
                       {"kind": "group", "ref": group.pk}).status_code == 302
    assert world.meeting.items.count() == 2


def test_a_chair_cannot_add_a_child_the_policy_hides(world):
    client = client_for(world.users["chair"])  # a locality chair: involvement only
    found = client.get(f"/meetings/{world.meeting.pk}/add/?q=Okafor").content.decode()
    assert "Amara" not in found
    response = client.post(f"/meetings/{world.meeting.pk}/add/",
                           {"kind": "child", "ref": str(world.known_to_police.public_id)})
    assert response.status_code == 400 and world.meeting.items.count() == 0


def test_the_localitys_chair_prepares_the_agenda_by_name_before_the_meeting(world, agenda):
    chair = world.users["chair"]
    assert chair.role == Role.LOCALITY_CHAIR and chair.locality_id == world.meeting.locality_id
    page = client_for(chair).get(f"/meetings/{world.meeting.pk}/")
    assert MASKED in page.content.decode(), "before the agenda is built, no access"
    build_agenda(world.meeting)
    page = client_for(chair).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert world.known_to_police.given_name in page and MASKED not in page
    rows = MeetingAttendance.objects.filter(user=chair, meeting_on=world.meeting.held_on)
    assert rows.count() == 2
    # The police officer is invited, not yet there: still only what their agency may see.
    assert MASKED in client_for(world.users["police"]).get(
        f"/meetings/{world.meeting.pk}/").content.decode()


def test_a_chair_who_may_not_see_a_reason_neither_reads_nor_replaces_what_was_recorded(world):
    """The discussion form came filled with notes the item's page hid as 'None you may see',
    and saving it replaced what a chair who may see the health record had written."""
    health = Agency.objects.get(slug="health")
    item, _ = _item_from_health_record(world, health)
    # the social care chair works with Amara and may see health records of her
    TeamMemberFactory(person=world.known_to_police, user=world.users["chair"])
    AgreementFactory(provider=health, recipient=world.users["chair"].agency,
                     categories=["health"], purposes=["direct_work"])
    chair = run_meeting(world)
    assert discuss(chair, world, item, "NOTES-ABOUT-THE-ASSAULT", "HEALTH-PLAN").status_code == 302
    police_chair = UserFactory(role=Role.LOCALITY_CHAIR, agency=Agency.objects.get(slug="police"),
                               locality=world.north)
    TeamMemberFactory(person=world.known_to_police, user=police_chair)
    other = client_for(police_chair)
    page = other.get(f"/meetings/{world.meeting.pk}/items/{item.pk}/").content.decode()
    assert "Amara Okafor" in page and "Record the discussion" in page
    assert "NOTES-ABOUT-THE-ASSAULT" not in page and "HEALTH-PLAN" not in page
    assert "What you write here is added to them" in page
    assert discuss(other, world, item, "POLICE-NOTES", "POLICE-PLAN").status_code == 302
    item.refresh_from_db()
    assert item.notes == "NOTES-ABOUT-THE-ASSAULT\n\nPOLICE-NOTES"
    assert item.decision == "HEALTH-PLAN\n\nPOLICE-PLAN"
    # the chair who may see every reason still reads and edits the whole
    page = chair.get(f"/meetings/{world.meeting.pk}/items/{item.pk}/").content.decode()
    assert "NOTES-ABOUT-THE-ASSAULT" in page and "POLICE-NOTES" in page
