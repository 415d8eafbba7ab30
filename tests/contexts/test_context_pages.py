"""A place's and a group's page: people and events each paged, neither list longer than a page."""

import pytest
from django.urls import reverse

from saferoptions.core.models import Role
from tests.access.factories import AgreementFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_large_groups_people_and_events_are_paged_apart(client, world):
    AgreementFactory(provider=world.police, recipient=world.users[Role.HUB_PRACTITIONER].agency,
                     categories=["identity", "police_incidents"], purposes=["triage"])
    for i in range(55):
        person = PersonFactory(family_name=f"Member{i:02d}", locality=world.known.locality)
        MembershipFactory(person=person, group=world.group, source=world.police)
        InvolvementFactory(person=person, event=EventFactory(reporting_agency=world.police))
    # The Hub practitioner triages the locality's children.
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    address = reverse("contexts:group", args=[world.group.pk])
    first = client.get(address).content.decode()
    assert "56 people you may see, by family name: page 1 of 2." in first  # not the hidden one
    assert "events you may see, most recent first: page 1 of 2." in first
    assert first.count("/people/") - first.count('href="/people/"') >= 50
    later = client.get(address, {"people": 2, "events": 2}).content.decode()
    assert "page 2 of 2" in later and "Member54" in later and "Member00" not in later
    # Turning one list's page keeps the other's.
    assert "events=2&amp;people=1" in later and "people=2&amp;events=1" in later
