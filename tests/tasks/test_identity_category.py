"""A task names its child only where the policy grants identity: a Barnardo's lead worker on
the team around a child whose only record is the police's, shared without identity, may open
the child (so the task links to them) but reads no name or date of birth, on the task page, in
task lists or in the notices banner: "(name not known)", as for a child nobody named."""

import datetime as dt

import pytest

from saferoptions.core.models import AgencyKind, Role
from saferoptions.tasks import about, selectors
from saferoptions.tasks.models import Task
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    police = AgencyFactory(kind=AgencyKind.POLICE)
    barnardos = AgencyFactory(kind=AgencyKind.BARNARDOS)
    user = UserFactory(role=Role.LEAD_WORKER, agency=barnardos)
    child = PersonFactory(given_name="Amara", family_name="Okafor",
                          date_of_birth=dt.date(2011, 3, 4))
    IdentityFactory(person=child, agency=police)
    TeamMemberFactory(person=child, user=user, started_on=dt.date(2020, 1, 1))
    AgreementFactory(provider=police, recipient=barnardos, categories=["police_incidents"],
                     purposes=["direct_work"])
    return user, child, police, barnardos


def test_the_task_page_and_lists_give_a_reference_without_identity(reader):
    user, child, *_ = reader
    shown = about.child_on_task(user, Task(person=child))
    assert shown.may_open and shown.label == "(name not known)"
    assert (shown.date_of_birth, shown.age) == (None, None)
    assert selectors.person_labels(user, [child.pk]) == {child.pk: "(name not known)"}


def test_with_identity_they_name_the_child(reader):
    user, child, police, barnardos = reader
    AgreementFactory(provider=police, recipient=barnardos, categories=["identity"],
                     purposes=["direct_work"])
    shown = about.child_on_task(user, Task(person=child))
    assert (shown.label, shown.date_of_birth) == ("Amara Okafor", dt.date(2011, 3, 4))
    assert selectors.person_labels(user, [child.pk]) == {child.pk: "Amara Okafor"}
