"""A link made in error is unlinked with a reason: kept on file (who, when, why), audited, and
it ties nothing any more: the child's and the place's pages, accumulating concern and the
meeting's agenda stop counting it (issue 13, point 6: corrected or withdrawn with a reason)."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.selectors.accumulation import tally_for
from saferoptions.core import clock
from saferoptions.intelligence import selectors, services
from saferoptions.intelligence.models import IntelligenceLink

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db

SUMMARY = "Adults seen giving gifts to children at a takeaway."
REASON = "Wrong Tyrese: the report is about an older man with the same name."


def _linked(world):
    report = submitted(world)
    graded(world, report)
    sanitised(world, report, summary=SUMMARY)
    hub = world.users["hub"]
    to_child = services.link(actor=hub, report=report, person=world.child)
    to_place = services.link(actor=hub, report=report, place=world.place)
    return report, to_child, to_place


def _unlink(client, report, link, reason=REASON):
    return client.post(f"/intelligence/reports/{report.pk}/unlink/",
                       {"link": link.pk if hasattr(link, "pk") else link, "reason": reason})


def test_a_link_made_in_error_is_unlinked_with_its_reason_and_kept_on_file(client, world):
    report, to_child, _ = _linked(world)
    assert tally_for(world.child, today=clock.today()).score == 2  # graded B
    signed_in(client, world.users["hub"])
    done = _unlink(client, report, to_child)
    assert done.status_code == 302
    kept = IntelligenceLink.objects.get(pk=to_child.pk)  # not deleted
    assert kept.unlinked_by == world.users["hub"] and kept.unlink_reason == REASON
    assert kept.unlinked_at == clock.now() and kept.person == world.child
    row = AuditEntry.objects.get(action="intelligence_unlinked")
    assert row.object_ids == [str(report.pk), str(to_child.pk)]
    assert row.detail == {"subject": "person"} and REASON not in str(row.detail)
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "Unlinked</strong> Person: Tyrese Campbell-Okoro" in page and REASON in page
    # It no longer counts in the child's accumulating concern ...
    assert tally_for(world.child, today=clock.today()).score == 0
    # ... nor shows on the child's pages.
    signed_in(client, world.users["social_worker"])
    for address in (f"/cases/children/{world.child.public_id}/",
                    f"/intelligence/people/{world.child.public_id}/"):
        body = client.get(address).content.decode()
        assert SUMMARY not in body, address
    # The place link stands: the item is still read on the place's page, naming no child.
    body = client.get(f"/contexts/places/{world.place.pk}/").content.decode()
    assert SUMMARY in body and "Tyrese" not in body
    # A link can be made again, as a new link.
    again = services.link(actor=world.users["hub"], report=report, person=world.child)
    assert again.pk != to_child.pk and tally_for(world.child, today=clock.today()).score == 2


def test_an_unlinked_place_leaves_its_pages_and_the_agenda(client, world):
    report, _, to_place = _linked(world)
    locality = world.place.ward.locality_id
    since = clock.now() - dt.timedelta(days=1)
    assert selectors.place_links_since(locality, since) == {world.place.pk: [to_place.pk]}
    services.unlink(actor=world.users["hub"], report=report, link_id=to_place.pk, reason=REASON)
    assert selectors.place_links_since(locality, since) == {}
    assert selectors.link_weights([to_place.pk]) == {}
    signed_in(client, world.users["social_worker"])
    body = client.get(f"/contexts/places/{world.place.pk}/").content.decode()
    assert SUMMARY not in body and "No intelligence you may see." in body
    signed_in(client, world.users["hub"])
    refused = client.post(f"/intelligence/reports/{report.pk}/place-review/",
                          {"place": world.place.pk})
    assert refused.status_code == 400  # no longer linked: no place review from it


@pytest.mark.parametrize(("reason", "named"), [
    ("", "Why was it linked in error?: Enter an answer"),
    ("   oops  ", "Say why the link was made in error (at least 10 characters)."),
])
def test_an_unlink_without_a_reason_is_refused_naming_the_field(client, world, reason, named):
    report, to_child, _ = _linked(world)
    signed_in(client, world.users["hub"])
    refused = _unlink(client, report, to_child, reason=reason)
    assert refused.status_code == 400 and named in refused.content.decode()
    assert IntelligenceLink.objects.get(pk=to_child.pk).unlinked_at is None
    assert not AuditEntry.objects.filter(action="intelligence_unlinked").exists()


def test_an_unknown_or_anothers_link_or_one_already_unlinked_is_refused(client, world):
    report, to_child, _ = _linked(world)
    other, other_link, _ = _linked(world)
    signed_in(client, world.users["hub"])
    for link in (other_link, 999999, "not a number", ""):
        refused = _unlink(client, report, link)
        assert refused.status_code == 400, link
        assert "Choose a link of this report to unlink." in refused.content.decode(), link
    assert _unlink(client, report, to_child).status_code == 302
    again = _unlink(client, report, to_child)
    assert again.status_code == 400 and "That link was already unlinked." in \
        again.content.decode()
    assert AuditEntry.objects.filter(action="intelligence_unlinked").count() == 1
    assert IntelligenceLink.objects.get(pk=other_link.pk).unlinked_at is None


@pytest.mark.parametrize("persona", ["social_worker", "licensing", "police", "dpo"])
def test_only_the_analysts_who_grade_may_unlink(client, world, persona):
    report, to_child, _ = _linked(world)
    signed_in(client, world.users[persona])
    assert _unlink(client, report, to_child).status_code == 404
    assert IntelligenceLink.objects.get(pk=to_child.pk).unlinked_at is None
    with pytest.raises(services.Refused):
        services.unlink(actor=world.users[persona], report=report, link_id=to_child.pk,
                        reason=REASON)
