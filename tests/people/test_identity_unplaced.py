"""The Hub's list of children in no locality, the page placing one and what it says when done
name a child only where the policy grants identity: the police's record of a child, not shared
with the Hub's agency, reads '(name not known)' there, without its date of birth, as in Find a
child."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.core.models import AgencyKind, Locality, Role, Team
from tests.access.factories import AgreementFactory
from tests.core.factories import AgencyFactory, UserFactory

from .factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db
BORN = dt.date(2011, 3, 4)


@pytest.mark.parametrize("shared", [False, True])
def test_the_unplaced_pages_name_the_child_only_with_identity(client, shared):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    team = Team.objects.get(slug="hub")
    hub = UserFactory(role=Role.HUB_PRACTITIONER, agency=team.agency, team=team)
    child = PersonFactory(given_name="Amara", family_name="Okafor", date_of_birth=BORN)
    IdentityFactory(person=child, agency=police, date_of_birth=BORN, postcode="")
    if shared:
        AgreementFactory(provider=police, recipient=hub.agency, categories=["identity"],
                         purposes=["triage", "direct_work"])
    client.force_login(hub)
    for address in (reverse("people:unplaced"), reverse("people:place", args=[child.public_id])):
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert ("(name not known)" in page) != shared, address
        assert ("Okafor" in page) == shared, address
        assert ("4 March 2011" in page) == shared, address


@pytest.mark.parametrize("shared", [False, True])
def test_placing_a_child_says_so_by_a_name_the_hub_may_see(client, shared):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    team = Team.objects.get(slug="hub")
    hub = UserFactory(role=Role.HUB_PRACTITIONER, agency=team.agency, team=team)
    child = PersonFactory(given_name="Amara", family_name="Okafor", date_of_birth=BORN)
    IdentityFactory(person=child, agency=police, date_of_birth=BORN, postcode="")
    if shared:
        AgreementFactory(provider=police, recipient=hub.agency, categories=["identity"],
                         purposes=["triage", "direct_work"])
    client.force_login(hub)
    north = Locality.objects.get(slug="north")
    done = client.post(reverse("people:place", args=[child.public_id]),
                       {"locality": north.pk, "reason": "Lives with an aunt in BS7"}, follow=True)
    page = done.content.decode()
    assert "is now in North" in page
    assert ("Amara Okafor is now in" in page) == shared
