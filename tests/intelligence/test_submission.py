"""Any signed-in partner shares intelligence: POLE entities, a place from the list or not."""

import pytest
from django.utils.html import escape

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts.models import Place, PlaceStatus
from saferoptions.contexts.services_analysis import merge_proposed_place
from saferoptions.contexts.services_places import PlaceDescription
from saferoptions.core.widgets import NOT_LISTED
from saferoptions.intelligence import services
from saferoptions.intelligence.models import Channel, IntelligenceReport

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    data = {"account": "Men in a black BMW hand out phones to kids.", "place": "",
            "when_seen": "", "entity-TOTAL_FORMS": "3",
            "entity-INITIAL_FORMS": "0", "entity-MIN_NUM_FORMS": "0",
            "entity-MAX_NUM_FORMS": "10"}
    for i in range(3):
        data.update({f"entity-{i}-kind": "person", f"entity-{i}-object_kind": "",
                     f"entity-{i}-name": "", f"entity-{i}-identifier": "",
                     f"entity-{i}-description": ""})
    data.update(fields)
    return client.post("/intelligence/submit/", data)


def test_a_licensing_officer_submits_people_objects_and_a_listed_place(client, world):
    signed_in(client, world.users["licensing"])
    page = client.get("/intelligence/submit/").content.decode()
    # The shared search-as-you-type picker (core.widgets.SearchSelect), ending "not listed".
    assert f'<option value="{world.place.pk}">{escape(world.place.name)}</option>' in page
    assert 'data-not-listed="not-listed"' in page and "The place is not listed" in page
    response = _post(client, place=world.place.pk, **{
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


def test_a_place_not_on_the_list_is_described_and_proposed_without_its_source(client, world):
    signed_in(client, world.users["licensing"])
    refused = _post(client, place="The chip shop by the bridge")
    assert refused.status_code == 400
    assert "Choose a place from the list, or choose" in refused.content.decode()
    missing = _post(client, place=NOT_LISTED)
    assert missing.status_code == 400
    for words in ("Enter the name of the place", "Enter the street, or a landmark",
                  "Choose what kind of place it is"):
        assert words in missing.content.decode()
    assert not IntelligenceReport.objects.exists() and not Place.with_proposed.filter(
        status=PlaceStatus.PROPOSED).exists()
    assert _post(client, place=NOT_LISTED, place_name="Chick King", place_street="Mina Road",
                 place_postcode="bs2 9xx", place_type="takeaway").status_code == 302
    report = IntelligenceReport.objects.get()
    proposed = report.place
    assert proposed.is_proposed and proposed.name == "Chick King"
    assert (proposed.street_or_landmark, proposed.postcode) == ("Mina Road", "BS2 9XX")
    assert proposed.proposed_by is None  # the source is protected; the audit row names them
    assert AuditEntry.objects.get(action="create", object_type="place").actor == \
        world.users["licensing"]
    # The Hub confirms it on the locations page (contexts' own), without learning the source.
    signed_in(client, world.users["hub"])
    assert "Chick King" in client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    locations = client.get("/contexts/locations/").content.decode()
    assert "Chick King" in locations and "A source the Hub protects" in locations
    assert "Licensing Tester" not in locations


def test_a_described_place_merged_into_a_known_one_takes_its_reports(world):
    report = submitted(world, place=None, described_place=PlaceDescription(
        name="Chicken Palace Stapleton Rd", street_or_landmark="Stapleton Road",
        place_type="takeaway"))
    proposed = report.place
    graded(world, report)
    sanitised(world, report, summary="Adults seen giving gifts to children at a takeaway.")
    merge_proposed_place(actor=world.users["hub"], proposed_id=proposed.pk, place=world.place)
    report.refresh_from_db()
    assert report.place == world.place and report.sanitised.place == world.place
    assert not Place.with_proposed.filter(pk=proposed.pk).exists()
    row = AuditEntry.objects.get(action="intelligence_place_merged")
    assert row.object_ids == [str(report.pk)]


def test_a_bad_description_from_the_service_names_the_field(world):
    with pytest.raises(services.Refused) as refused:
        submitted(world, place=None, described_place=PlaceDescription(
            name="Somewhere", street_or_landmark="", place_type="takeaway"))
    assert refused.value.field == "place_street"
    assert not IntelligenceReport.objects.exists()


def test_an_empty_account_is_refused_naming_the_field(client, world):
    signed_in(client, world.users["licensing"])
    response = _post(client, account="   ")
    assert response.status_code == 400
    assert "Enter what you saw or heard" in response.content.decode()
    assert "?: Enter what you saw or heard" not in response.content.decode()


def test_a_bad_entry_is_in_the_error_summary_linked_to_its_box(client, world):
    signed_in(client, world.users["licensing"])
    response = _post(client, **{"entity-1-name": "Big Mo", "entity-1-date_of_birth": "31/2/2011",
                                "entity-2-name": "A phone", "entity-2-kind": "a-ship"})
    assert response.status_code == 400
    page = response.content.decode()
    # An entry's error had no summary at all: the page came back with no word at its top.
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#id_entity-1-date_of_birth">Entry 2: Enter a date of birth' in summary
    assert '<a href="#id_entity-2-kind">Entry 3: Choose what it is from the list' in summary
    assert 'id="id_entity-1-date_of_birth"' in page and 'value="Big Mo"' in page
    assert not IntelligenceReport.objects.exists()


def test_a_business_partner_and_community_meeting_notes(client, world):
    signed_in(client, world.users["business"])
    assert _post(client, from_community_meeting="on").status_code == 302
    report = IntelligenceReport.objects.get()
    assert report.channel == Channel.COMMUNITY_MEETING
    assert report.submitter_agency.kind == "business"


def test_signing_in_is_needed(client, world):
    assert client.get("/intelligence/submit/").status_code == 302
    assert not IntelligenceReport.objects.exists()
