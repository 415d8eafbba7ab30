"""Journey 5: the weekly locality meeting.

The agenda holds two children of the locality (put there by the chair's services, as the
overnight build would). The chair opens it, starts the
meeting, records who came, the discussion and an action; the action becomes a task for the
owning police team, in the action's own words. The police officer who attended sees in the
minutes only what the police may see: the item about a child the police hold no record of
reads as masked, without its notes.
"""

import datetime as dt

from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, Role
from saferoptions.meetings import services
from saferoptions.tasks.models import Task
from tests.access.factories import AgreementFactory
from tests.core.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

ACTION = "Share the stop-and-search picture with the youth worker before Friday"
HEALTH_NOTE = "Health visitor worried about the baby sister"


def _overnight_agenda():
    """North's meeting today, with a child the police know and one only health knows."""
    north = LocalityFactory(name="Northfield")
    police = AgencyFactory(name="Test constabulary", kind=AgencyKind.POLICE)
    health = AgencyFactory(name="Test health trust", kind=AgencyKind.HEALTH)
    police_team = TeamFactory(name="Test exploitation team", agency=police)
    chair = UserFactory(role=Role.LOCALITY_CHAIR, agency=AgencyFactory(), locality=north,
                        first_name="Cara", last_name="Hall")
    officer = UserFactory(role=Role.POLICE_OFFICER, agency=police, team=police_team,
                          first_name="Pat", last_name="Kerr")
    known = PersonFactory(given_name="Tyler", family_name="Brook", locality=north)
    health_only = PersonFactory(given_name="Ruby", family_name="Lane", locality=north)
    IdentityFactory(person=known, agency=police)
    IdentityFactory(person=health_only, agency=health)
    # Police and health share who the children are with the chair's agency, as the
    # partnership's agreements do (access/partnership.py): without it the agenda names neither.
    for provider in (police, health):
        AgreementFactory(provider=provider, recipient=chair.agency, categories=["identity"],
                         purposes=["direct_work", "triage"])
    meeting = services.ensure_meeting(locality=north, held_on=clock.today())
    for child in (known, health_only):
        services.add_item(actor=chair, meeting=meeting, person=child)
    services.invite(actor=chair, meeting=meeting, user=officer)
    return meeting, chair, officer, police_team


def _open_item(person, name):
    person.follow(name)
    assert "/items/" in person.path


def test_the_chair_runs_the_meeting_and_each_agency_sees_only_its_own(person_at):
    meeting, chair_user, officer_user, police_team = _overnight_agenda()

    chair = person_at(chair_user)
    chair.go("/meetings/")
    assert "Northfield" in chair.text()  # this week's meeting of her locality
    chair.follow(f"{meeting.held_on:%A} {meeting.held_on.day} {meeting.held_on:%B %Y}")
    assert chair.path == f"/meetings/{meeting.pk}/"
    assert "2 items on the agenda" in chair.text()
    chair.press_button("Start the meeting")
    agenda = chair.text()
    assert "Tyler Brook" in agenda and "Ruby Lane" in agenda
    chair.tick("Pat Kerr (Test constabulary)")
    chair.press_button("Record attendance")

    _open_item(chair, "Ruby Lane")
    chair.fill({"notes": HEALTH_NOTE, "decision": "Health to lead", "discussed": "on"})
    chair.press_button("Save the discussion")
    chair.go(f"/meetings/{meeting.pk}/")
    _open_item(chair, "Tyler Brook")
    chair.fill({"notes": "Seen at the underpass twice", "decision": "Police to share",
                "discussed": "on"})
    chair.press_button("Save the discussion")
    due = clock.today() + dt.timedelta(days=7)
    chair.fill({"description": ACTION, "team": str(police_team.pk), "due_on_day": due.day,
                "due_on_month": due.month, "due_on_year": due.year})
    chair.press_button("Add the action")
    assert ACTION in chair.text()

    task = Task.objects.get(team=police_team)
    assert task.description == ACTION and task.status == "open"
    assert task.person.given_name == "Tyler"

    officer = person_at(officer_user)
    officer.go(f"/meetings/{meeting.pk}/minutes/")
    minutes = officer.text()
    assert "Seen at the underpass twice" in minutes and ACTION in minutes
    assert "An item about a child your agency does not have access to" in minutes
    assert HEALTH_NOTE not in minutes and "Health to lead" not in minutes
    assert "Ruby" not in minutes and "Lane" not in minutes
    officer.go("/tasks/")
    assert ACTION in officer.text()
    officer.follow(ACTION)
    assert officer.path == f"/tasks/{task.pk}/" and ACTION in officer.text("h1")
