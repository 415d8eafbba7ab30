"""Journey 1 end to end: the ED's referral makes a rapid response task for Barnardo's, and the
lead worker reads whom it is about (access: tests/access/test_task_access.py)."""

import pytest
from django.test import Client

from saferoptions.core.models import Team
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity
from saferoptions.tasks.models import Task
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory

from .factories import send

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_rapid_response_worker_reads_the_childs_name_in_the_inbox_and_on_the_task():
    team = Team.objects.get(slug="barnardos-base-routes")
    worker = UserFactory(role="lead_worker", team=team, agency=team.agency)
    send("ed_assault", referral={"source_id": "X1", "given_name": "Zed", "family_name": "Quill",
                                 "date_of_birth": "2010-01-01"})
    resolve_identity(actor=None, identity=Identity.objects.get(source_id="X1"))
    # The hospital shares who the child is with the team's agency, as the partnership's
    # agreements do (access/partnership.py): without it the name is not shown.
    AgreementFactory(provider=Identity.objects.get(source_id="X1").agency, recipient=team.agency,
                     categories=["identity"], purposes=["direct_work"])
    task = Task.objects.get()
    assert task.team == team and task.person is not None
    client = _client(worker)
    assert "Zed Quill" in client.get("/tasks/").content.decode()
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Zed Quill" in page and f'href="/people/{task.person.public_id}/"' in page
    assert "1 January 2010" in page and 'id="partners-know"' in page
    assert client.get(f"/cases/children/{task.person.public_id}/").status_code == 200
