"""A group's page, its context case and the peer maps name a child only where the policy grants
identity.

The Barnardo's lead worker of `tests.people.hidden_identity` opens the peer group Amara is in,
its context case, its peer map and hers (and the Hub its suggested group): without the police's
identity category she reads as '(name not known)', and her date of birth does not move her
among the adults; with it, she is named.
"""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.contexts.models import SuggestedGroup
from saferoptions.core.models import Role, Team
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory
from tests.people.hidden_identity import NAME, lead_worker_without_identity

from .factories import ContextCaseFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_with_amara():
    found = lead_worker_without_identity()
    group = GroupFactory()
    MembershipFactory(person=found.child, group=group, source=found.police)
    case = ContextCaseFactory(kind="group", place=None, group=group)
    return found, group, case


def _pages(client, found, group, case):
    client.force_login(found.reader)
    for address in (reverse("contexts:group", args=[group.pk]),
                    reverse("contexts:case", args=[case.pk]),
                    reverse("contexts:group-peer-map", args=[group.pk]),
                    reverse("contexts:child-peer-map", args=[found.child.public_id])):
        response = client.get(address)
        assert response.status_code == 200, address
        yield address, response.content.decode()


def test_without_identity_the_child_is_listed_unnamed(client, group_with_amara):
    found, group, case = group_with_amara
    for address, page in _pages(client, found, group, case):
        assert NAME not in page and "Amara" not in page, address
        assert str(found.child.public_id) in page and "(name not known)" in page, address


def test_with_identity_the_child_is_named(client, group_with_amara):
    found, group, case = group_with_amara
    found.share_identity()
    for address, page in _pages(client, found, group, case):
        assert f"Amara {NAME}" in page and "(name not known)" not in page, address


@pytest.mark.parametrize("shared", [False, True])
def test_a_suggested_group_names_its_members_only_with_identity(client, shared):
    team = Team.objects.get(slug="hub")
    analyst = UserFactory(role=Role.HUB_PRACTITIONER, agency=team.agency, team=team)
    found = lead_worker_without_identity()
    if shared:
        AgreementFactory(provider=found.police, recipient=analyst.agency,
                         categories=["identity"], purposes=["triage", "direct_work"])
    SuggestedGroup.objects.create(run_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC), number=1,
                                  members=[found.child.pk], connectors=[found.child.pk],
                                  density=1.0, internal_share=1.0, method={})
    client.force_login(analyst)
    page = client.get(reverse("contexts:suggested-groups")).content.decode()
    assert str(found.child.public_id) in page  # the Hub may see her either way
    assert (NAME in page) == shared
    assert ("(name not known)" in page) != shared
