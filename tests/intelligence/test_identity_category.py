"""Intelligence names a child only where the policy grants identity.

Tyrese's only record is the police's. The social worker on his team, and the Hub, are of
social care: until the police share identity with social care they may open him and the
intelligence linked to him, but read '(name not known)' on the place review, the place's
page, the intelligence pages about the place and about him, the version to share, the
report's links and the encoded matches; and no report offers him by the name it describes
(an offer would confirm it). With the agreement, each names him.
"""

import pytest
from django.urls import reverse

from saferoptions.core.models import Agency
from saferoptions.intelligence import candidates, services
from saferoptions.intelligence.encoded_models import EncodedMatch
from saferoptions.linkage import matching
from tests.access.factories import AgreementFactory
from tests.people.factories import IdentityFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted
from .matcher import linkage_model

pytestmark = pytest.mark.django_db
NAME = "Campbell-Okoro"


@pytest.fixture
def police_record(world):
    """Tyrese as the police hold him (what the matcher indexes), and nobody shares it yet."""
    police = Agency.objects.get(slug="police")
    IdentityFactory(person=world.child, agency=police, given_name="Tyrese",
                    family_name=NAME, date_of_birth=world.child.date_of_birth,
                    postcode="BS5 6XY", address="12 Elm Road", nhs_number="")
    return police


def _share_identity(police):
    AgreementFactory(provider=police, recipient=Agency.objects.get(slug="social-care"),
                     categories=["identity"], purposes=["direct_work", "triage"])


def _linked_report(world):
    report = submitted(world)
    graded(world, report)  # P: every practitioner who may see the child may read it
    item = sanitised(world, report)
    hub = world.users["hub"]
    services.link(actor=hub, report=report, place=world.place)
    services.link(actor=hub, report=report, person=world.child)
    case = services.open_place_review(actor=hub, report=report, place=world.place)
    return report, item, case


def _pages(client, world, report, item, case):
    signed_in(client, world.users["social_worker"])
    yield from (
        reverse("contexts:case", args=[case.pk]), reverse("contexts:place", args=[world.place.pk]),
        reverse("intelligence:about-place", args=[world.place.pk]),
        reverse("intelligence:about-person", args=[world.child.public_id]),
        reverse("intelligence:shared-item", args=[item.pk]))
    signed_in(client, world.users["hub"])
    yield reverse("intelligence:report", args=[report.pk])


@pytest.mark.parametrize("shared", [False, True])
def test_the_intelligence_pages_name_the_child_only_with_identity(client, world, police_record,
                                                                  shared):
    if shared:
        _share_identity(police_record)
    report, item, case = _linked_report(world)
    for address in _pages(client, world, report, item, case):
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert (NAME in page) == shared, address
        assert ("(name not known)" in page) != shared, address


@pytest.fixture
def matcher_in_force(db):
    linkage_model()
    yield
    matching._index.clear()


@pytest.mark.usefixtures("matcher_in_force")
def test_a_report_offers_a_child_by_name_only_to_who_may_see_the_name(client, world,
                                                                      police_record):
    report = submitted(world, entities=[
        {"kind": "person", "name": f"Tyrese {NAME}", "description": "about 14",
         "date_of_birth": world.child.date_of_birth, "postcode": "BS5 6XY"}])
    graded(world, report)
    hub = world.users["hub"]
    assert candidates.offers_for(hub, report) == []
    page = signed_in(client, hub).get(reverse("intelligence:report", args=[report.pk]))
    assert str(world.child.public_id) not in page.content.decode()
    _share_identity(police_record)
    [offer] = candidates.offers_for(hub, report)
    assert offer.person == world.child


def test_the_encoded_matches_name_the_child_only_with_identity(client, world, police_record):
    alert = submitted(world)
    EncodedMatch.objects.create(report=alert, person=world.child,
                                reported_by=world.users["licensing"], score=0.97,
                                fields="first name, last name, date of birth")
    hub = signed_in(client, world.users["hub"])
    page = hub.get(reverse("intelligence:encoded-matches")).content.decode()
    assert NAME not in page and "(name not known)" in page
    assert str(world.child.public_id) in page  # the Hub may still open the child
    _share_identity(police_record)
    assert NAME in hub.get(reverse("intelligence:encoded-matches")).content.decode()
