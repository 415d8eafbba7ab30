"""The pathway pages name a child only where the policy grants identity.

A Barnardo's lead worker on the team around a child, whose agreement with the police shares
incidents but not identity, opens the child's pathway, its chronology (and its printable form)
and sees the child on My work, without the child's names or date of birth: as for a child
nobody named (`tests/people/test_identity_category.py` for the list, CSV and API).
"""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.core.models import AgencyKind, Role
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db

PAGES = [("cases:child", {}), ("cases:chronology", {}), ("cases:chronology", {"print": "1"}),
         ("cases:my-work", None), ("cases:raise", {}), ("cases:assessment-start", {}),
         ("cases:plan-new", {})]


@pytest.fixture
def lead_worker():
    police = AgencyFactory(kind=AgencyKind.POLICE)
    barnardos = AgencyFactory(kind=AgencyKind.BARNARDOS)
    reader = UserFactory(role=Role.LEAD_WORKER, agency=barnardos)
    child = PersonFactory(given_name="Amara", family_name="Okafor",
                          date_of_birth=dt.date(2011, 3, 4))
    IdentityFactory(person=child, agency=police)
    TeamMemberFactory(person=child, user=reader, role="lead_professional",
                      started_on=dt.date(2020, 1, 1))
    AgreementFactory(provider=police, recipient=barnardos, categories=["police_incidents"],
                     purposes=["direct_work", "triage"])
    return reader, child, police, barnardos


def _pages(client, reader, child):
    client.force_login(reader)
    for name, params in PAGES:
        args = [] if params is None else [child.public_id]
        response = client.get(reverse(name, args=args), params or {})
        assert response.status_code == 200, name
        yield name, response.content.decode()


@pytest.mark.parametrize("shared", [False, True])
def test_the_pathway_pages_name_the_child_only_with_identity(client, lead_worker, shared):
    reader, child, police, barnardos = lead_worker
    if shared:
        AgreementFactory(provider=police, recipient=barnardos, categories=["identity"],
                         purposes=["direct_work"])
    for name, page in _pages(client, reader, child):
        assert ("Okafor" in page) == shared, name
        if name == "cases:child":
            assert ("4 March 2011" in page) == shared
