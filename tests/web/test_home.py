"""Each role's home page says what this person does here and how much of their work waits."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils.html import escape

from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role, Team
from saferoptions.tasks.models import Task, TaskRule
from saferoptions.web.introductions import INTRODUCTIONS
from tests.cases.factories import ClockFactory, ConcernFactory, TeamMemberFactory
from tests.core.factories import UserFactory
from tests.meetings.factories import MeetingFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday():
    with clock.frozen(NOW):
        yield


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def _counts(page: str) -> dict[str, str]:
    """{words: link} of the counts under "Your work now"."""
    return {words: url for url, words in
            re.findall(r'<li><a class="govuk-link[^"]*" href="([^"]+)">(\d+ [^<]+)</a>', page)}


def _user(role, team=None, locality=None):
    team = Team.objects.get(slug=team) if team else None
    return UserFactory(role=role, agency=team.agency if team else Agency.objects.first(),
                       team=team, locality=Locality.objects.get(slug=locality) if locality
                       else None)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_told_what_they_do_here(role):
    # Every role has its own sentence: the catalogue manager's home only said "The pages your
    # role can use are listed below" (seen in the tour).
    page = _home(UserFactory(role=role))
    assert role in INTRODUCTIONS
    assert escape(INTRODUCTIONS[role]) in page


def test_a_social_worker_sees_their_children_clocks_and_tasks_counted(db):
    worker = _user(Role.SOCIAL_WORKER, "social-care-north", "north")
    north = Locality.objects.get(slug="north")
    children = [PersonFactory(locality=north) for _ in range(3)]
    for child in children:
        TeamMemberFactory(person=child, user=worker)
    ClockFactory(person=children[0], started_at=NOW - dt.timedelta(days=3),
                 due_at=NOW - dt.timedelta(hours=1))  # overdue
    ClockFactory(person=PersonFactory(locality=north), due_at=NOW - dt.timedelta(hours=1))
    Task.objects.create(rule=TaskRule.objects.get(slug="return-home-interview", version=1),
                        rule_version=1, dedupe_key="x", task_type="return_home_interview",
                        team=worker.team, person=children[1], created_at=NOW,
                        due_at=NOW + dt.timedelta(days=2))
    counts = _counts(_home(worker))
    assert counts["3 children you work with"] == "/cases/my-work/"
    assert counts["1 clock due soon or overdue"] == "/cases/my-work/"
    assert counts["1 open task for your team"] == "/tasks/"


def test_the_hub_sees_its_triage_queue_and_meetings_counted(db):
    hub = _user(Role.HUB_PRACTITIONER, "hub")
    north = Locality.objects.get(slug="north")
    for _ in range(2):
        ConcernFactory(person=PersonFactory(locality=north), locality=north)
    MeetingFactory(locality=north, held_on=dt.date(2026, 3, 3))
    MeetingFactory(locality=Locality.objects.get(slug="south"), held_on=dt.date(2026, 3, 3))
    counts = _counts(_home(hub))
    assert counts["2 concerns waiting in the triage queue"] == "/cases/triage/"
    assert counts["2 upcoming locality meetings"] == "/meetings/"


def test_the_team_manager_sees_the_teams_overdue_work_counted(db):
    manager = _user(Role.TEAM_MANAGER, "social-care-north", "north")
    worker = _user(Role.SOCIAL_WORKER, "social-care-north", "north")
    child = PersonFactory(locality=Locality.objects.get(slug="north"))
    TeamMemberFactory(person=child, user=worker)
    ClockFactory(person=child, due_at=NOW - dt.timedelta(hours=1))
    counts = _counts(_home(manager))
    assert counts["1 overdue clock in your team"] == "/cases/team/"


def test_people_who_see_no_records_get_no_counts(db):
    for role in (Role.LICENSING_OFFICER, Role.SYSTEM_ADMINISTRATOR, Role.ANALYST):
        page = _home(UserFactory(role=role))
        assert "Your work now" not in page


def test_a_person_without_agency_or_team_is_told_only_what_applies(db):
    # A community member read "Team: None" and that notifications tell of "changes to the
    # teams you lead".
    page = _home(UserFactory(role=Role.COMMUNITY_MEMBER, agency=None, team=None))
    assert ">Team<" not in page and ">Agency<" not in page and ">None<" not in page
    assert "teams you lead" not in page and "teams around" not in page
    assert "What the Hub decided about the concerns you raised." in page


def test_a_practitioner_sees_their_team_and_the_team_around_the_child_notices(db):
    team = Team.objects.first()
    page = _home(UserFactory(role=Role.SOCIAL_WORKER, agency=team.agency, team=team))
    assert f'<dd class="govuk-summary-list__value">{escape(team)}</dd>' in page
    assert "changes to the teams around the children you work with" in page


def test_who_is_signed_in_is_said_inside_the_page_header():
    """axe ('region'): the phase banner sat between the header and <main>, in no landmark, on
    every page; a screen reader user moving by landmark never heard who they are signed in as."""
    user = _user(Role.HUB_PRACTITIONER, "hub")
    page = _home(user)
    header = page[page.index("<header"):page.index("</header>")]
    assert f"You are signed in as {user.get_username()}" in header
    outside = page[page.index("</header>"):]
    assert "govuk-phase-banner" not in outside


@pytest.mark.parametrize(("role", "words"), [
    (Role.COMMUNITY_MEMBER, "Refer a place"),
    (Role.LICENSING_OFFICER, "Refer a place"),
    (Role.HUB_PRACTITIONER, "Refer a place, group or school"),
])
def test_the_referral_link_offers_what_its_form_offers(role, words):
    # A community member's home offered 'Refer a place, group or school' and the page let
    # them refer a place only (seen on the tour).
    page = _home(UserFactory(role=role))
    assert f'href="/contexts/cases/refer/">{words}</a>' in page
