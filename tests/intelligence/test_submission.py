"""Any signed-in partner shares intelligence: POLE entities, a place from the list or not."""

import pytest
from django.utils.html import escape

from saferoptions.audit.models import AuditEntry
from saferoptions.intelligence.models import Channel, IntelligenceReport

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    data = {"account": "Men in a black BMW hand out phones to kids.", "place": "",
            "place_not_listed": "", "when_seen": "", "entity-TOTAL_FORMS": "3",
            "entity-INITIAL_FORMS": "0", "entity-MIN_NUM_FORMS": "0",
            "entity-MAX_NUM_FORMS": "10"}
    for i in range(3):
        data.update({f"entity-{i}-kind": "person", f"entity-{i}-object_kind": "",
                     f"entity-{i}-name": "", f"entity-{i}-identifier": "",
                     f"entity-{i}-description": ""})
    data.update(fields)
    return client.post("/intelligence/submit/", data)


def _label(place):
    return f"{place.name} ({place.ward.name})"


def test_a_licensing_officer_submits_people_objects_and_a_listed_place(client, world):
    signed_in(client, world.users["licensing"])
    page = client.get("/intelligence/submit/")
    assert escape(_label(world.place)) in page.content.decode()  # in the picker's list
    response = _post(client, place=_label(world.place), **{
        "entity-0-kind": "person", "entity-0-name": "Big Mo",
        "entity-1-kind": "object", "entity-1-object_kind": "vehicle",
        "entity-1-identifier": "WX19 KLM"})
    assert response.status_code == 302
    report = IntelligenceReport.objects.get()
    assert report.place == world.place and report.channel == Channel.PARTNER
    assert report.submitted_by == world.users["licensing"]
    assert sorted(report.entities.values_list("kind", "object_kind")) == [
        ("object", "vehicle"), ("person", "")]
    row = AuditEntry.objects.get(action="intelligence_submitted")
    assert row.object_ids == [str(report.pk)] and "Big Mo" not in str(row.detail)
    mine = client.get("/intelligence/mine/").content.decode()
    assert report.reference in mine and "Received" in mine


def test_a_place_not_on_the_list_is_described_instead(client, world):
    signed_in(client, world.users["licensing"])
    refused = _post(client, place="The chip shop by the bridge")
    assert refused.status_code == 400
    assert "Choose a place from the list" in refused.content.decode()
    assert not IntelligenceReport.objects.exists()
    assert _post(client, place_not_listed="The chip shop by the bridge").status_code == 302
    assert IntelligenceReport.objects.get().place_not_listed == "The chip shop by the bridge"


def test_an_empty_account_is_refused_naming_the_field(client, world):
    signed_in(client, world.users["licensing"])
    response = _post(client, account="   ")
    assert response.status_code == 400
    assert "What did you see or hear?" in response.content.decode()


def test_a_business_partner_and_community_meeting_notes(client, world):
    signed_in(client, world.users["business"])
    assert _post(client, from_community_meeting="on").status_code == 302
    report = IntelligenceReport.objects.get()
    assert report.channel == Channel.COMMUNITY_MEETING
    assert report.submitter_agency.kind == "business"


def test_signing_in_is_needed(client, world):
    assert client.get("/intelligence/submit/").status_code == 302
    assert not IntelligenceReport.objects.exists()
