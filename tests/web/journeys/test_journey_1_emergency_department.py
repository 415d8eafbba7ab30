"""Journey 1: Friday night in the emergency department, and the rapid-response worker's task.

An ED knife assault with a rapid-response referral arrives through the partner feed; the
Barnardo's lead worker on the boy's team signs in, finds the task naming him, reads what
partners know and records what happened. A lead worker of another team never reads his name.
"""

import datetime as dt

from django.utils import timezone

from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity
from saferoptions.tasks.models import Task, TaskOutcome
from tests.access.factories import AgreementFactory
from tests.core.factories import TeamFactory, UserFactory
from tests.feeds.factories import ago, young_person
from tests.people.factories import PersonFactory
from tests.tasks.factories import on_team_around, send

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

BOY = {"given_name": "Kai", "family_name": "Mensah", "date_of_birth": "2010-06-14"}


def _known_to_partners(boy):
    """Two missing episodes last month (police), linked to the boy."""
    for days in (30, 20):
        sent = send("missing_episode", occurred_at=ago(days=days),
                    returned_at=ago(days=days, hours=-6),
                    person=young_person(source_id=f"M{days}", **BOY))
        _link(sent, f"M{days}", boy)


def _link(_message, source_id, boy):
    identity = Identity.objects.get(source_id=source_id)
    if identity.person_id is None:
        resolve_identity(actor=None, identity=identity, person=boy)


def _ed_referral(boy):
    """23:40-ish: the assault recorded with a knife, and the referral with his identity."""
    sent = send("ed_assault", referral=young_person(source_id="ED1", **BOY))
    _link(sent, "ED1", boy)
    return Task.objects.get(task_type="hospital_rapid_response")


def _date_boxes(name, moment):
    local = timezone.localtime(moment)
    return {f"{name}_day": local.day, f"{name}_month": local.month, f"{name}_year": local.year,
            f"{name}_hour": local.hour, f"{name}_minute": f"{local.minute:02d}"}


def test_the_rapid_response_worker_finds_the_named_boy_and_records_the_outcome(person_at):
    team = Team.objects.get(slug="barnardos-base-routes")
    worker = UserFactory(role="lead_worker", team=team, first_name="Jo", last_name="Ade")
    # A lead worker of another team: the task is Jo's team's work with him, not theirs.
    outsider = UserFactory(role="lead_worker", team=TeamFactory(agency=team.agency))
    boy = PersonFactory(given_name=BOY["given_name"], family_name=BOY["family_name"],
                        date_of_birth=dt.date(2010, 6, 14))
    AgreementFactory(provider=Agency.objects.get(slug="police"), recipient=team.agency,
                     categories=["identity", "missing"], purposes=["direct_work"])
    _known_to_partners(boy)
    on_team_around(worker, boy)
    social_worker = UserFactory(role="social_worker", first_name="Priya", last_name="Shah",
                                team=Team.objects.filter(agency__kind="social_care").first())
    TeamAroundChildMember.objects.create(person=boy, user=social_worker,
                                         role="lead_professional", started_on=clock.today())
    task = _ed_referral(boy)
    assert task.person_id == boy.pk and task.team == team

    # The outsider never reads his name: their list has no such task, and its page is the
    # same "not found" as a task that does not exist.
    someone_else = person_at(outsider)
    someone_else.go("/tasks/")
    assert "Kai" not in someone_else.text() and "Mensah" not in someone_else.text()
    someone_else.go(f"/tasks/{task.pk}/")
    assert "Kai" not in someone_else.text() and "Mensah" not in someone_else.text()

    jo = person_at(worker)
    jo.go("/tasks/")
    assert "Kai Mensah" in jo.text()
    jo.follow("Hospital rapid response")
    assert jo.path == f"/tasks/{task.pk}/"
    jo.press_button("Assign to me")
    jo.follow("My tasks", within=".govuk-breadcrumbs")
    mine = jo.text()
    assert "Kai Mensah" in mine and "Hospital rapid response" in mine
    jo.follow("Hospital rapid response")

    page = jo.text()
    assert "Kai Mensah" in page
    known = jo.text("#partners-know-list")
    assert "2 missing episodes in the last 90 days" in known
    assert "Lead professional: " in known and "Priya Shah" in known
    tried = clock.now() - dt.timedelta(minutes=50)
    jo.fill({**_date_boxes("contact_attempted_at", tried), "contact_made": "yes",
             **_date_boxes("contact_made_at", tried + dt.timedelta(minutes=20)),
             "contact_how": "in_person", "support_offered": ["mentoring", "youth_work"],
             "support_accepted": "some", "consent": "young_person", "referred_to": ["hub"],
             "referral_details": "Hub asked to triage", "outcome": "engaged"})
    jo.press_button("Save the outcome and mark as done")

    assert "Engaged with support" in jo.text()
    stored = TaskOutcome.objects.get(task=task)
    assert (stored.outcome, stored.state, stored.recorded_by) == ("engaged", "current", worker)
    assert stored.answers["support_offered"] == ["mentoring", "youth_work"]
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == worker
