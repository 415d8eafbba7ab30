"""Journey 2: Monday morning, a knife in a Year 9 pupil's bag.

The school's incident arrives through the partner feed; the Education Inclusion Manager signs
in, opens the 24-hour risk-assessment task, sees the programmes the pupil is eligible for
first, records a preventative programme instead of an exclusion (what the partnership later
counts), then opens Find support from the pupil's page.
"""

import datetime as dt

from selenium.webdriver.common.by import By

from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity
from saferoptions.tasks import selectors
from saferoptions.tasks.models import Task, TaskOutcome
from tests.core.factories import UserFactory
from tests.feeds.factories import young_person
from tests.people.factories import PersonFactory
from tests.tasks.factories import on_team_around, send

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

PUPIL = {"given_name": "Leah", "family_name": "Okoro", "date_of_birth": "2012-02-09"}


def _knife_in_a_bag(pupil):
    send("school_incident", incident_kind="knife",
         pupil=young_person(source_id="SCH1", sex="F", **PUPIL))
    identity = Identity.objects.get(source_id="SCH1")
    if identity.person_id is None:
        resolve_identity(actor=None, identity=identity, person=pupil)
    return Task.objects.get(task_type="risk_assessment")


def _programme_choices(manager) -> list[tuple[str, str]]:
    """The programme list's options as the page offers them: (value, words)."""
    select = manager.driver.find_element(By.NAME, "programme")
    return [(o.get_attribute("value"), o.get_attribute("textContent").strip())
            for o in select.find_elements(By.TAG_NAME, "option") if o.get_attribute("value")]


def test_the_inclusion_manager_chooses_a_programme_instead_of_exclusion(person_at):
    team = Team.objects.get(slug="education-inclusion")
    user = UserFactory(role="education_inclusion_manager", team=team)
    pupil = PersonFactory(given_name=PUPIL["given_name"], family_name=PUPIL["family_name"],
                          date_of_birth=dt.date(2012, 2, 9))
    on_team_around(user, pupil)
    task = _knife_in_a_bag(pupil)
    assert task.person_id == pupil.pk and task.team == team
    assert task.due_at - task.created_at <= dt.timedelta(hours=24)

    manager = person_at(user)
    manager.go("/tasks/")
    assert "Leah Okoro" in manager.text()
    manager.follow(task.title)
    assert manager.path == f"/tasks/{task.pk}/"
    assert "Leah Okoro" in manager.text() and "Record what was done" in manager.text()

    choices = _programme_choices(manager)
    eligible = [(v, words) for v, words in choices if "(eligible," in words]
    assert eligible, choices
    # The pupil's eligible programmes come first, each with this month's free places.
    assert choices[:len(eligible)] == eligible
    programme, _ = eligible[0]
    today = clock.today()
    manager.fill({"assessed_on_day": today.day, "assessed_on_month": today.month,
                  "assessed_on_year": today.year, "risk_factors": ["weapon", "peer_group"],
                  "risk_level": "medium", "what_was_weighed": "First incident; remorseful",
                  "programme_instead": "yes", "programme": programme,
                  "outcome": "not_excluded"})
    manager.press_button("Save the outcome and mark as done")

    stored = TaskOutcome.objects.get(task=task, state="current")
    assert stored.outcome == "not_excluded" and stored.answers["programme_instead"] == "yes"
    assert stored.answers["programme"]["id"] == int(programme)
    assert selectors.exclusions_avoided() == 1  # what the partnership later counts
    assert "Not excluded" in manager.text()

    manager.follow("Open the child's page")
    assert manager.path == f"/cases/children/{pupil.public_id}/"
    manager.follow("Find support")
    page = manager.text()
    assert "Find support" in page and "Programmes the child is eligible for" in page
