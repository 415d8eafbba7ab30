"""A task sent to a team to do with a child is that team's direct work with the child.

Journeys 1 and 2 (issue 13 §3): the Barnardo's lead worker with a hospital rapid response and
the Education Inclusion Manager with a risk assessment read the child's name, not a
reference, open their page, and the partners' summary; while the task is open and for
`TASKS_ACCESS_DAYS_AFTER` days after it is done. Anyone else: the common 404, no name.
"""

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.people.models import Identity, Person
from saferoptions.tasks.models import TaskStatus
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory
from tests.tasks.factories import make_task

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _worker(team_slug, role="lead_worker"):
    team = Team.objects.get(slug=team_slug)
    return UserFactory(role=role, team=team, agency=team.agency)


@pytest.fixture
def child():
    return PersonFactory(given_name="Tariq", family_name="Okonjo",
                         date_of_birth=dt.date(2009, 5, 2))


@pytest.fixture
def barnardos():
    return _worker("barnardos-base-routes")


@pytest.fixture
def elsewhere():
    """A lead worker in another team: the task is not theirs."""
    return _worker("education-inclusion")


def _child_page(client, person_ref):
    return client.get(reverse("cases:child", args=[person_ref]))


def _sees(user, person) -> tuple[bool, bool]:
    """(the list path: `restrict`, the one-child path: `decision_for`), which must agree."""
    listed = policy.restrict(user, "view", Person.objects.filter(pk=person.pk)).exists()
    return listed, policy.decision_for(user, person) is not None


def test_the_tasks_team_reads_the_child_on_the_task_the_inbox_and_their_pages(barnardos, child):
    with clock.frozen(NOON):
        task = make_task("barnardos-base-routes", person=child)
        client = _client(barnardos)
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert "Tariq Okonjo" in page and f"Person {str(child.public_id)[:8]}" not in page
        assert f'href="/cases/children/{child.public_id}/"' in page
        assert f'href="/people/{child.public_id}/"' in page
        assert "2 May 2009 (age 16)" in page
        assert 'id="partners-know"' in page
        assert "Tariq Okonjo" in client.get(reverse("tasks:inbox")).content.decode()
        assert _child_page(client, child.public_id).status_code == 200
        assert client.get(reverse("people:detail", args=[child.public_id])).status_code == 200
    # The audit records the reading as direct work, on the task and on the child's page.
    seen = AuditEntry.objects.filter(actor=barnardos, action="view")
    assert set(seen.filter(object_type="task").values_list("purpose", flat=True)) == {
        "direct_work"}
    about_child = {e.object_type: e.purpose for e in seen.exclude(object_type="task")
                   if str(child.pk) in e.object_ids}
    assert about_child == {"case": "direct_work", "person": "direct_work"}


def test_another_team_gets_the_common_not_found_and_no_name(barnardos, elsewhere, child):
    with clock.frozen(NOON):
        make_task("barnardos-base-routes", person=child)
        client = _client(elsewhere)
        forbidden = _child_page(client, child.public_id)
        absent_ref = uuid.uuid4()
        absent = _child_page(client, absent_ref)
        assert forbidden.status_code == absent.status_code == 404
        assert (TOKEN.sub(b"", forbidden.content).replace(str(child.public_id).encode(), b"REF")
                == TOKEN.sub(b"", absent.content).replace(str(absent_ref).encode(), b"REF"))
        assert b"Tariq" not in forbidden.content
        assert b"Tariq" not in client.get(reverse("tasks:inbox")).content
        assert _sees(elsewhere, child) == (False, False)


def test_access_lasts_the_configured_days_after_the_task_is_done(settings, barnardos, child):
    settings.TASKS_ACCESS_DAYS_AFTER = 30
    with clock.frozen(NOON):
        task = make_task("barnardos-base-routes", person=child)
        assert _sees(barnardos, child) == (True, True)
        task.status, task.completed_at = TaskStatus.DONE, clock.now()
        task.save(update_fields=["status", "completed_at"])
    client = _client(barnardos)
    with clock.frozen(NOON + dt.timedelta(days=30)):
        assert _sees(barnardos, child) == (True, True)
        assert _child_page(client, child.public_id).status_code == 200
    with clock.frozen(NOON + dt.timedelta(days=31)):  # the next request after: gone
        assert _sees(barnardos, child) == (False, False)
        assert _child_page(client, child.public_id).status_code == 404
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert "Tariq" not in page and f"Person {str(child.public_id)[:8]}" in page


def test_a_cancelled_task_a_hub_triage_or_a_place_review_gives_nothing(barnardos, child):
    with clock.frozen(NOON):
        make_task("barnardos-base-routes", person=child, status=TaskStatus.CANCELLED)
        make_task("barnardos-base-routes", "missing-three-in-ninety-days", person=child)
        make_task("barnardos-base-routes", "community-concern-place-review", person=child)
        assert _sees(barnardos, child) == (False, False)


def test_the_education_inclusion_managers_risk_assessment(child):
    manager = _worker("education-inclusion", role="education_inclusion_manager")
    with clock.frozen(NOON):
        task = make_task("education-inclusion", "school-weapon-or-drugs", person=child)
        page = _client(manager).get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert "Tariq Okonjo" in page and 'id="partners-know"' in page


def test_the_agreements_still_decide_what_the_team_sees(barnardos, child):
    """The task makes the team the child's workers; only a direct work agreement shares more."""
    police = Agency.objects.get(slug="police")
    IdentityFactory(person=child, agency=police)
    with clock.frozen(NOON):
        make_task("barnardos-base-routes", person=child)
        AgreementFactory(provider=police, recipient=barnardos.agency, categories=["identity"],
                         purposes=["triage"])
        decision = policy.decision_for(barnardos, child)
        assert decision.purpose == "direct_work"
        assert not policy.record_rows(decision, Identity.objects.all()).exists()
        AgreementFactory(provider=police, recipient=barnardos.agency, categories=["identity"],
                         purposes=["direct_work"])
        decision = policy.decision_for(barnardos, child)
        assert policy.record_rows(decision, Identity.objects.all()).filter(agency=police).exists()
