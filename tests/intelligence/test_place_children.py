"""A place review lists the children tied to the place by intelligence alone (no event there
names them), through the items the reader may read (handling code) and the children they may
see (policy); anyone else is left out without a count."""

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts.models import ContextCase
from saferoptions.core.models import Agency
from saferoptions.intelligence import services
from tests.access.factories import AgreementFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db

HEADING = 'id="intelligence-children"'


def _review(client, world, *, code="P", shared_with=(), children=None):
    report = submitted(world)
    graded(world, report, code=code, shared_with=shared_with)
    sanitised(world, report)
    hub = world.users["hub"]
    services.link(actor=hub, report=report, place=world.place)
    for child in children or [world.child]:
        services.link(actor=hub, report=report, person=child)
    case = services.open_place_review(actor=hub, report=report, place=world.place)
    return report, case


def test_a_child_linked_only_by_intelligence_is_listed_on_the_place_review(client, world):
    _, case = _review(client, world)
    signed_in(client, world.users["social_worker"])  # Tyrese's social worker; the item is P
    page = client.get(f"/contexts/cases/{case.pk}/").content.decode()
    assert "No children recorded in this context." in page  # no event at the place names him
    assert HEADING in page and "Tyrese Campbell-Okoro" in page
    assert f"/people/{world.child.public_id}/" in page
    row = AuditEntry.objects.filter(actor=world.users["social_worker"],
                                    action="intelligence_about_place").latest("pk")
    assert row.detail["people"] == [world.child.pk]
    # The place's own page and its intelligence page say the same.
    for address in (f"/contexts/places/{world.place.pk}/",
                    f"/intelligence/places/{world.place.pk}/"):
        assert "Tyrese Campbell-Okoro" in client.get(address).content.decode(), address


def test_a_child_the_reader_may_not_see_is_left_out_without_a_count(client, world):
    _, case = _review(client, world, children=[world.child, world.other_child])
    signed_in(client, world.users["social_worker"])  # not in Keisha's team
    page = client.get(f"/contexts/cases/{case.pk}/").content.decode()
    assert "Tyrese Campbell-Okoro" in page and "Keisha" not in page
    assert "not shown" not in page


def test_an_item_the_reader_may_not_read_names_no_child(client, world):
    police = Agency.objects.get(slug="police")
    AgreementFactory(provider=Agency.objects.get(slug="social-care"), recipient=police,
                     categories=["intelligence"], purposes=["direct_work"], state="approved")
    _, case = _review(client, world, code="C", shared_with=[police])
    signed_in(client, world.users["social_worker"])  # may see Tyrese; C does not name them
    page = client.get(f"/contexts/cases/{case.pk}/").content.decode()
    assert HEADING not in page and "Tyrese" not in page
    signed_in(client, world.users["police"])  # reads the item; does not work with Tyrese
    page = client.get(f"/contexts/places/{world.place.pk}/").content.decode()
    assert "Adults seen giving gifts" in page
    assert HEADING not in page and "Tyrese" not in page
    assert ContextCase.objects.count() == 1
