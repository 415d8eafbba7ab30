"""Finding support for a child names them only where the policy grants identity: a Barnardo's
lead worker on the team around a child whose only record is the police's, shared without
identity, reads "(name not known)" above the programmes, as on the child's page."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.core.models import AgencyKind, Role
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("shared", [False, True])
def test_find_support_names_the_child_only_with_identity(client, shared):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    barnardos = AgencyFactory(kind=AgencyKind.BARNARDOS)
    reader = UserFactory(role=Role.LEAD_WORKER, agency=barnardos)
    child = PersonFactory(given_name="Amara", family_name="Okafor")
    IdentityFactory(person=child, agency=police)
    TeamMemberFactory(person=child, user=reader, started_on=dt.date(2020, 1, 1))
    categories = ["police_incidents", "identity"] if shared else ["police_incidents"]
    AgreementFactory(provider=police, recipient=barnardos, categories=categories,
                     purposes=["direct_work"])
    client.force_login(reader)
    response = client.get(reverse("interventions:find-support", args=[child.public_id]))
    assert response.status_code == 200
    assert ("Amara Okafor" in response.content.decode()) == shared
