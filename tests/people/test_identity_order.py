"""A name the reader may not see does not place its row in Find a child: 'Abbott', hidden,
would otherwise head the list and say so. Such rows come after every name, by when the
person was recorded, as the list's one query decides (people.selectors.ORDER)."""

import pytest
from django.urls import reverse

from tests.cases.factories import TeamMemberFactory

from .factories import PersonFactory
from .hidden_identity import NAME, lead_worker_without_identity

pytestmark = pytest.mark.django_db


def test_a_hidden_name_is_listed_after_every_name_it_would_precede(client):
    found = lead_worker_without_identity()  # Amara Okafor, hidden
    for given, family in (("Zed", "Zulu"), ("Tom", "Parr"), ("Una", "")):
        # Nobody's record: nothing to withhold, so named.
        TeamMemberFactory(person=PersonFactory(given_name=given, family_name=family),
                          user=found.reader)
    client.force_login(found.reader)
    page = client.get(reverse("people:search")).content.decode()
    assert NAME not in page
    order = sorted(["Tom Parr", "Zed Zulu", ">Una<", "(name not known)"], key=page.index)
    assert order == ["Tom Parr", "Zed Zulu", ">Una<", "(name not known)"]
    found.share_identity()
    page = client.get(reverse("people:search")).content.decode()
    assert sorted(["Amara Okafor", "Tom Parr", "Zed Zulu", ">Una<"], key=page.index) == [
        "Amara Okafor", "Tom Parr", "Zed Zulu", ">Una<"]
