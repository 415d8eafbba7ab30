"""After linking: the Hub opens a place review, and the child's and the place's own pages carry
the intelligence section, as the access policy (and the handling code) allows."""

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts.models import ContextCase
from saferoptions.core.models import Agency
from saferoptions.intelligence import services
from tests.access.factories import AgreementFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db

SUMMARY = "Adults seen giving gifts to children at a takeaway."


def _linked(world, *, code="P", shared_with=()):
    report = submitted(world)
    graded(world, report, code=code, shared_with=shared_with)
    sanitised(world, report, summary=SUMMARY)
    services.link(actor=world.users["hub"], report=report, place=world.place)
    services.link(actor=world.users["hub"], report=report, person=world.child)
    return report


def test_the_hub_opens_a_place_review_for_a_linked_place(client, world):
    report = _linked(world)
    signed_in(client, world.users["hub"])
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "Open a place review" in page
    opened = client.post(f"/intelligence/reports/{report.pk}/place-review/",
                         {"place": world.place.pk})
    case = ContextCase.objects.get(place=world.place)
    assert opened.status_code == 302 and opened["Location"] == f"/contexts/cases/{case.pk}/"
    assert case.kind == "place" and case.referred_by == world.users["hub"]
    # The case's reason is written from the grade: never the original's words or its source.
    assert case.referral_reason.startswith("Intelligence graded 2BP was linked to this place")
    assert "phones" not in case.referral_reason and "Licensing" not in case.referral_reason
    row = AuditEntry.objects.get(action="intelligence_place_review")
    assert row.object_ids == [str(report.pk), str(case.pk)]
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "place review open since 2 Mar 2026" in page and "Open a place review" not in page
    again = client.post(f"/intelligence/reports/{report.pk}/place-review/",
                        {"place": world.place.pk})
    assert again.status_code == 400 and "already has an open place review" in \
        again.content.decode()
    assert ContextCase.objects.count() == 1


def test_a_place_review_needs_a_linked_place_and_a_grader(client, world):
    report = submitted(world)
    signed_in(client, world.users["hub"])
    unlinked = client.post(f"/intelligence/reports/{report.pk}/place-review/",
                           {"place": world.place.pk})
    assert unlinked.status_code == 400
    assert "Choose a place the report is linked to" in unlinked.content.decode()
    graded(world, report)
    with pytest.raises(services.Refused):
        services.open_place_review(actor=world.users["hub"], report=report, place=world.place)
    services.link(actor=world.users["hub"], report=report, place=world.place)
    for role in ("social_worker", "licensing"):
        signed_in(client, world.users[role])
        assert client.post(f"/intelligence/reports/{report.pk}/place-review/",
                           {"place": world.place.pk}).status_code == 404
    assert not ContextCase.objects.exists()


def test_the_childs_page_and_the_places_pages_carry_what_the_policy_allows(client, world):
    report = _linked(world)
    signed_in(client, world.users["hub"])
    client.post(f"/intelligence/reports/{report.pk}/place-review/", {"place": world.place.pk})
    case = ContextCase.objects.get()
    signed_in(client, world.users["social_worker"])  # Tyrese's social worker; the item is P
    for address in (f"/cases/children/{world.child.public_id}/",
                    f"/contexts/places/{world.place.pk}/", f"/contexts/cases/{case.pk}/"):
        page = client.get(address).content.decode()
        assert 'id="intelligence"' in page and SUMMARY in page, address
        assert "free food" not in page and "Licensing Tester" not in page, address
    signed_in(client, world.users["licensing"])  # sees the place, never intelligence
    page = client.get(f"/contexts/places/{world.place.pk}/").content.decode()
    assert "No intelligence you may see." in page and SUMMARY not in page
    reads = AuditEntry.objects.filter(action__in=["intelligence_about_person",
                                                  "intelligence_about_place"])
    # Each section that shows intelligence is audited; an empty one adds no row to its page's own.
    assert reads.count() == 3


def test_handling_code_c_keeps_it_from_an_agency_it_does_not_name(client, world):
    social_care, police = (Agency.objects.get(slug=s) for s in ("social-care", "police"))
    AgreementFactory(provider=social_care, recipient=police, categories=["intelligence"],
                     purposes=["direct_work"], state="approved")
    _linked(world, code="C", shared_with=[police])
    signed_in(client, world.users["social_worker"])
    for address in (f"/cases/children/{world.child.public_id}/",
                    f"/contexts/places/{world.place.pk}/"):
        page = client.get(address).content.decode()
        assert "No intelligence you may see." in page and SUMMARY not in page, address
    signed_in(client, world.users["police"])  # named by the grading, and sees places
    assert SUMMARY in client.get(f"/contexts/places/{world.place.pk}/").content.decode()
