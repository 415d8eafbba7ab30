"""A meeting names a child only where the policy grants identity.

Zephyrine is known to health and social care. The police officer recorded present at the
meeting may open her (attendance), but police have no record of her and, until health and
social care share identity with them, read her item on the agenda and its page as '(name not
known)', as on her own page. The chair finds a child to add only by a name the chair may see:
a hit on a hidden one would confirm it.
"""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.core.models import Agency
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .test_pages import agenda, client_for, run_meeting  # noqa: F401 (agenda is a fixture)

pytestmark = pytest.mark.django_db


def _share_identity(recipient, *providers):
    for slug in providers:
        AgreementFactory(provider=Agency.objects.get(slug=slug), recipient=recipient,
                         categories=["identity"], purposes=["direct_work"])


@pytest.mark.parametrize("shared", [False, True])
def test_an_attendee_reads_the_childs_name_only_with_identity(world, agenda, shared):  # noqa: F811
    if shared:
        _share_identity(world.users["police"].agency, "health", "social-care")
    run_meeting(world)  # the officer is marked present
    police = client_for(world.users["police"])
    item = agenda["zeph"]
    for address in (reverse("meetings:meeting", args=[world.meeting.pk]),
                    reverse("meetings:item", args=[world.meeting.pk, item.pk])):
        response = police.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert ("Zephyrine Quillfeather" in page) == shared, address
        assert "Quillfeather" in page or "(name not known)" in page, address
    # Amara is the police's own record: named either way.
    assert "Amara Okafor" in police.get(reverse("meetings:meeting",
                                                args=[world.meeting.pk])).content.decode()


@pytest.mark.parametrize("shared", [False, True])
def test_the_chair_finds_a_child_to_add_only_by_a_name_they_may_see(world, shared):
    child = PersonFactory(given_name="Ottoline", family_name="Braithwaite-Nkemelu",
                          date_of_birth=dt.date(2012, 7, 9), locality=world.north)
    IdentityFactory(person=child, agency=Agency.objects.get(slug="health"),
                    date_of_birth=dt.date(2012, 7, 9))
    chair = world.users["chair"]
    TeamMemberFactory(person=child, user=chair)  # the chair may open her
    if shared:
        _share_identity(chair.agency, "health")
    page = client_for(chair).get(reverse("meetings:add", args=[world.meeting.pk]),
                                 {"q": "Braithwaite"}).content.decode()
    assert (str(child.public_id) in page) == shared
    assert ("9 July 2012" in page) == shared
    if not shared:
        assert "No children you may see match." in page
