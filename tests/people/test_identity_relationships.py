"""The people a child's page lists as related to them are named only where the policy grants
identity for them, as the child is: a brother the reader may open, whose only record is
health's and whose identity health does not share with the reader's agency, reads
'(name not known)'."""

import pytest
from django.urls import reverse

from saferoptions.core.models import AgencyKind
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory

from .factories import IdentityFactory, PersonFactory, RelationshipFactory
from .hidden_identity import lead_worker_without_identity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("shared", [False, True])
def test_a_related_child_is_named_only_with_identity(client, shared):
    found = lead_worker_without_identity()
    found.share_identity()  # the child herself, and the police's record of the tie, are shown
    health = AgencyFactory(kind=AgencyKind.HEALTH)
    brother = PersonFactory(given_name="Chidi", family_name="Eze-Lawson")
    TeamMemberFactory(person=brother, user=found.reader)  # the reader may open him
    RelationshipFactory(identity=found.child.identities.get(), source=found.police,
                        other_identity=IdentityFactory(person=brother, agency=health))
    if shared:
        AgreementFactory(provider=health, recipient=found.barnardos, categories=["identity"],
                         purposes=["direct_work"])
    client.force_login(found.reader)
    page = client.get(reverse("people:detail", args=[found.child.public_id])).content.decode()
    assert "Okafor" in page and "sibling" in page
    assert ("Eze-Lawson" in page) == shared
    assert ("(name not known)" in page) != shared
