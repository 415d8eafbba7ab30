"""Linking graded intelligence to a partner event it corroborates (a police incident), shown on
each side only to those who may see both the event and the item's version to share."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency
from saferoptions.intelligence import services
from saferoptions.intelligence.models import IntelligenceLink
from tests.access.factories import AgreementFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db

SUMMARY = "Adults seen giving gifts to children at a takeaway."
SHARES_INCIDENTS = "Police incidents to social care"


def _incident(world, *, reference="BC-20260228-0141", child=None):
    """A police incident at the place involving the child; the police share incidents with
    children's social care (the Hub and the child's social worker) for their work."""
    police, social_care = (Agency.objects.get(slug=s) for s in ("police", "social-care"))
    if not police.agreements_providing.filter(name=SHARES_INCIDENTS).exists():
        AgreementFactory(name=SHARES_INCIDENTS, provider=police, recipient=social_care,
                         categories=["police_incidents"], purposes=["direct_work", "triage"])
    event = EventFactory(reporting_agency=Agency.objects.get(slug="police"),
                         source_reference=reference, place=world.place,
                         occurred_at=dt.datetime(2026, 2, 28, 22, 30, tzinfo=dt.UTC))
    InvolvementFactory(event=event, person=child or world.child, role="victim")
    return event


def _item(world, *, code="P", shared_with=()):
    report = submitted(world)
    graded(world, report, code=code, shared_with=shared_with)
    sanitised(world, report, summary=SUMMARY)
    services.link(actor=world.users["hub"], report=report, person=world.child)
    return report


def test_the_hub_links_an_item_to_an_incident_it_corroborates(client, world):
    event, report = _incident(world), _item(world)
    signed_in(client, world.users["hub"])
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert 'id="events-to-link"' in page and "reference BC-20260228-0141" in page
    offered = AuditEntry.objects.get(action="intelligence_event_offers")
    assert offered.object_ids == [str(event.pk)]
    done = client.post(f"/intelligence/reports/{report.pk}/link/", {"event": event.pk})
    assert done.status_code == 302
    made = IntelligenceLink.objects.get(event=event)
    assert made.report == report and made.linked_by == world.users["hub"]
    row = AuditEntry.objects.get(action="intelligence_linked", detail__subject="event")
    assert row.object_ids == [str(report.pk), str(made.pk)]
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert ("Event: Police incident on 28 Feb 2026, Avon and Somerset Police reference "
            "BC-20260228-0141") in page
    assert 'id="events-to-link"' not in page  # linked: no longer offered


def test_an_event_is_linked_by_the_agencys_reference_too(client, world):
    event, report = _incident(world), _item(world)
    signed_in(client, world.users["hub"])
    done = client.post(f"/intelligence/reports/{report.pk}/link/",
                       {"event_reference": "  bc-20260228-0141 "})
    assert done.status_code == 302 and IntelligenceLink.objects.filter(event=event).exists()
    again = client.post(f"/intelligence/reports/{report.pk}/link/",
                        {"event_reference": "BC-20260228-0141"})
    assert again.status_code == 400 and "It is already linked to that." in again.content.decode()


def test_malformed_or_forbidden_event_links_are_refused_by_name(client, world):
    report = _item(world)
    hidden = EventFactory(reporting_agency=Agency.objects.get(slug="police"),
                          source_reference="NOT-YOURS")  # nobody the Hub may see is involved
    InvolvementFactory(event=hidden)
    signed_in(client, world.users["hub"])
    url = f"/intelligence/reports/{report.pk}/link/"
    for data in ({"event_reference": "NO-SUCH-REF"}, {"event_reference": "NOT-YOURS"},
                 {"event": hidden.pk}, {"event": 999999}, {"event": "not a number"}):
        refused = client.post(url, data)
        body = refused.content.decode()
        assert refused.status_code == 400, data
        assert "No event with that reference that you may see." in body, data
    both = client.post(url, {"event_reference": "X", "person": str(world.child.public_id)})
    assert both.status_code == 400
    assert "Choose one: a child, a place, a group or an event." in both.content.decode()
    assert not IntelligenceLink.objects.filter(event__isnull=False).exists()
    with pytest.raises(services.Refused) as refused:
        services.link(actor=world.users["hub"], report=report, event=hidden)
    assert refused.value.field == "event"


def test_two_events_with_one_reference_are_told_apart_from_the_offers(client, world):
    report = _item(world)
    _incident(world, reference="REF-1")
    other = EventFactory(reporting_agency=Agency.objects.get(slug="social-care"),
                         source_reference="ref-1", place=world.place)
    InvolvementFactory(event=other, person=world.child)
    signed_in(client, world.users["hub"])
    refused = client.post(f"/intelligence/reports/{report.pk}/link/",
                          {"event_reference": "REF-1"})
    assert refused.status_code == 400
    assert "More than one event you may see has that reference" in refused.content.decode()


def test_each_side_shows_the_link_only_to_those_who_may_see_both(client, world):
    event, report = _incident(world), _item(world)
    services.link(actor=world.users["hub"], report=report, event=event)
    item = report.sanitised
    # Tyrese's social worker may see the incident and read the item (P): both ways.
    signed_in(client, world.users["social_worker"])
    shared = client.get(f"/intelligence/shared/{item.pk}/").content.decode()
    assert 'id="events"' in shared and "reference BC-20260228-0141" in shared
    child = client.get(f"/people/{world.child.public_id}/").content.decode()
    assert 'id="event-intelligence"' in child and f"/intelligence/shared/{item.pk}/" in child
    rows = AuditEntry.objects.filter(actor=world.users["social_worker"])
    assert rows.filter(action="intelligence_events_shown", object_ids=[str(event.pk)]).exists()
    assert rows.filter(action="intelligence_about_events", object_ids=[str(item.pk)]).exists()


def test_an_item_the_viewer_may_not_read_leaves_no_trace_beside_the_event(client, world):
    police = Agency.objects.get(slug="police")
    AgreementFactory(provider=Agency.objects.get(slug="social-care"), recipient=police,
                     categories=["intelligence"], purposes=["direct_work"], state="approved")
    event, report = _incident(world), _item(world, code="C", shared_with=[police])
    services.link(actor=world.users["hub"], report=report, event=event)
    signed_in(client, world.users["social_worker"])  # sees the incident; C does not name them
    child = client.get(f"/people/{world.child.public_id}/").content.decode()
    assert "Police incident (Violence)" in child  # the event itself is theirs to see
    assert 'id="event-intelligence"' not in child and "corroborated" not in child
    assert client.get(f"/intelligence/shared/{report.sanitised.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action="intelligence_about_events").exists()


def test_an_event_the_viewer_may_not_see_is_not_listed_on_the_item(client, world):
    police = Agency.objects.get(slug="police")
    AgreementFactory(provider=Agency.objects.get(slug="social-care"), recipient=police,
                     categories=["intelligence"], purposes=["direct_work"], state="approved")
    report = _item(world)
    # An incident about another child: the Hub may see it, the police officer works with
    # neither child, so may not.
    stranger = _incident(world, reference="ED-77", child=world.other_child)
    services.link(actor=world.users["hub"], report=report, event=stranger)
    signed_in(client, world.users["police"])  # reads the item (P, by agreement)
    shared = client.get(f"/intelligence/shared/{report.sanitised.pk}/")
    assert shared.status_code == 200, "the police officer should read the item"
    assert "ED-77" not in shared.content.decode() and 'id="events"' not in shared.content.decode()
