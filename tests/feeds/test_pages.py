"""Feeds pages: status, templates, import with its ledger, quarantine and replay, and the old
unmatched addresses, which lead to the one unmatched queue."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Team
from saferoptions.events.models import Event
from saferoptions.feeds.flat import columns
from saferoptions.feeds.models import InboxMessage, MessageCorrection
from saferoptions.linkage.models import UnmatchedIdentity
from saferoptions.people.models import Identity
from saferoptions.tasks.models import Task
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

from .factories import ago, message, partner, post, quarantine_reader

pytestmark = pytest.mark.django_db
EVENTS = Event.objects


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


@pytest.fixture
def hub():
    return quarantine_reader()


@pytest.fixture
def officer():
    return UserFactory(role="police_officer", team=Team.objects.get(slug="police-missing"))


def test_the_status_page_shows_each_partner_with_rate_and_quarantine(hub):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault"))
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="old"))
    body = _client(hub).get("/feeds/").content.decode()
    assert "hospital-ed-system" in body
    assert '<strong class="govuk-tag govuk-tag--red">1</strong>' in body


def test_feed_pages_are_not_found_for_roles_without_them(officer):
    for url in ("/feeds/", "/feeds/quarantine/", "/feeds/unmatched/"):
        assert _client(officer).get(url).status_code == 404


def test_raw_records_are_not_found_for_the_system_administrator():
    admin = UserFactory(hub=True, role="system_administrator", is_staff=True)
    for url in ("/feeds/quarantine/", "/feeds/unmatched/"):
        assert _client(admin).get(url).status_code == 404
    assert _client(admin).get("/feeds/").status_code == 200  # counts only


def test_a_template_has_the_feeds_header_row(officer):
    response = _client(officer).get("/feeds/templates/police_incident.csv")
    assert response.status_code == 200
    assert next(csv.reader(io.StringIO(response.content.decode()))) == columns("police_incident")
    assert _client(officer).get("/feeds/templates/nonsense.csv").status_code == 404


def _file(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns("missing_episode"))
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns("missing_episode")])
    return SimpleUploadedFile("missing.csv", out.getvalue().encode(), "text/csv")


def test_an_officer_imports_a_file_and_sees_its_ledger_and_row_errors(officer):
    rows = [{"idempotency_key": "m1", "source_reference": "MIS-1", "occurred_at": ago(days=2),
             "returned_at": ago(days=1), "person_source_id": "C1"},
            {"idempotency_key": "m2", "source_reference": "MIS-2", "occurred_at": ago(days=2),
             "person_source_id": ""}]
    response = _client(officer).post("/feeds/import/", {"feed_type": "missing_episode",
                                                        "file": _file(rows)})
    assert response.status_code == 302
    body = _client(officer).get(response["Location"]).content.decode()
    assert "Every row is accounted for" in body
    assert "person" in body and "This field is required." in body
    assert Task.objects.get().task_type == "return_home_interview"


def test_the_import_form_offers_only_the_agencys_feeds(officer):
    response = _client(officer).post("/feeds/import/", {"feed_type": "ed_assault",
                                                        "file": _file([])})
    assert response.status_code == 400 and "govuk-error-message" in response.content.decode()
    assert not InboxMessage.objects.exists()


def test_the_import_form_is_drawn_in_the_govuk_style(officer):
    # The feed list and the file box were the browser's bare controls (seen in the tour).
    body = _client(officer).get("/feeds/import/").content.decode()
    assert 'class="govuk-select"' in body and 'class="govuk-file-upload"' in body


def test_a_refused_file_is_named_at_the_top_of_the_page_and_feeds_by_their_names(officer):
    # The refusal was only beside the file box, with no error summary at the top, and the
    # template links read 'Template for missing_episode' (seen on the tour as the licensing
    # officer, whose only form this is).
    page = _client(officer).get("/feeds/import/").content.decode()
    assert "Template for the missing episode file (CSV)" in page
    assert "Template for missing_episode" not in page
    bad = SimpleUploadedFile("m.pdf", b"%PDF", "application/pdf")
    response = _client(officer).post("/feeds/import/", {"feed_type": "missing_episode",
                                                        "file": bad})
    body = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in body
    summary = body.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert 'href="#id_file"' in summary and "Choose a .csv or .xlsx file" in summary


def test_the_file_formats_are_headed_by_their_names_with_the_code_beside(officer):
    body = _client(officer).get("/feeds/schemas/").content.decode()
    assert '<h2 class="govuk-heading-m" id="licensing_report">Licensing report</h2>' in body
    assert "<code>licensing_report</code>" in body
    assert '<h2 class="govuk-heading-m">licensing_report</h2>' not in body


def test_a_file_with_wrong_headers_is_refused_with_the_columns_named(officer):
    bad = SimpleUploadedFile("m.csv", b"name,age\nSam,12\n", "text/csv")
    response = _client(officer).post("/feeds/import/", {"feed_type": "missing_episode",
                                                        "file": bad})
    assert "missing columns: idempotency_key" in response.content.decode()


def test_a_quarantined_message_is_corrected_and_replayed(hub):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    quarantined = InboxMessage.objects.get(status="quarantined")
    listing = _client(hub).get("/feeds/quarantine/").content.decode()
    assert "patient_age" in listing
    page = _client(hub).get(f"/feeds/quarantine/{quarantined.pk}/")
    assert "sixteen" in page.content.decode()
    fixed = quarantined.raw_text.replace('"sixteen"', "16")
    response = _client(hub).post(f"/feeds/quarantine/{quarantined.pk}/", {"raw": fixed})
    assert response.status_code == 302
    quarantined.refresh_from_db()
    assert quarantined.status == "accepted" and Task.objects.count() == 1


def test_a_correction_keeps_the_message_as_the_partner_sent_it(hub):
    # Correcting overwrote the partner's bytes and the reasons: nothing showed what arrived.
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    quarantined = InboxMessage.objects.get(status="quarantined")
    sent, why = bytes(quarantined.raw), quarantined.errors
    _client(hub).post(f"/feeds/quarantine/{quarantined.pk}/", {"raw": "{not json"})
    kept = MessageCorrection.objects.get(message=quarantined)
    assert (bytes(kept.raw_before), kept.errors_before, kept.corrected_by) == (sent, why, hub)
    audit = AuditEntry.objects.get(action="replay", object_type="feed_message")
    assert audit.detail["correction"] == kept.pk and audit.actor == hub
    page = _client(hub).get(f"/feeds/quarantine/{quarantined.pk}/").content.decode()
    assert "the message as it arrived is kept" in page and "sixteen" in page
    fixed = sent.decode().replace('"sixteen"', "16")
    _client(hub).post(f"/feeds/quarantine/{quarantined.pk}/", {"raw": fixed})
    quarantined.refresh_from_db()
    assert quarantined.status == "accepted"
    assert [bytes(c.raw_before) for c in quarantined.corrections.all()] == [sent, b"{not json"]


def test_a_still_invalid_correction_stays_in_quarantine(hub):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    quarantined = InboxMessage.objects.get()
    _client(hub).post(f"/feeds/quarantine/{quarantined.pk}/", {"raw": "{not json"})
    quarantined.refresh_from_db()
    assert quarantined.status == "quarantined"
    assert quarantined.errors[0]["field"] == "body"


@pytest.mark.parametrize("raw", ['{"patient_age": ' + "9" * 5000 + "}", "[" * 5000 + "]" * 5000],
                         ids=["a number too long", "nesting too deep"])
def test_a_correction_python_cannot_parse_is_a_field_error_not_a_server_error(hub, raw):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    quarantined = InboxMessage.objects.get()
    response = _client(hub).post(f"/feeds/quarantine/{quarantined.pk}/", {"raw": raw})
    assert response.status_code in (200, 302)
    quarantined.refresh_from_db()
    assert quarantined.status == "quarantined"
    assert quarantined.errors[0]["field"] == "body"


def test_the_old_unmatched_addresses_lead_to_the_one_queue(hub):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault"))
    identity = Identity.objects.get()
    waiting = UnmatchedIdentity.objects.get(identity=identity)
    assert waiting.plain_reason == "no linkage model has been trained yet"
    listing = _client(hub).get("/feeds/unmatched/")
    assert (listing.status_code, listing["Location"]) == (301, "/linkage/unmatched/")
    entry = _client(hub).get(f"/feeds/unmatched/{identity.pk}/")
    assert (entry.status_code, entry["Location"]) == (301, f"/linkage/unmatched/{waiting.pk}/")
    gone = _client(hub).get(f"/feeds/unmatched/{identity.pk + 100}/")
    assert (gone.status_code, gone["Location"]) == (301, "/linkage/unmatched/")
    assert _client(hub).get("/feeds/unmatched/not-a-number/").status_code == 404


def test_a_team_manager_reaches_the_queue_from_the_feeds_page():
    manager = UserFactory(hub=True, role="team_manager")
    body = _client(manager).get("/feeds/").content.decode()
    assert 'href="/linkage/unmatched/"' in body and 'href="/feeds/quarantine/"' not in body
    assert _client(manager).get("/feeds/unmatched/").status_code == 301


def test_an_unmatched_identity_is_decided_in_the_one_queue(hub):
    person = PersonFactory()
    TeamMemberFactory(person=person, user=hub)  # someone the hub practitioner may change
    # The ED shares who its patients are with the Hub for data quality (linkage review).
    AgreementFactory(provider=Agency.objects.get(slug="hospital-ed"), recipient=hub.agency,
                     categories=["identity"], purposes=["data_quality"])
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault"))
    identity = Identity.objects.get()
    page = _client(hub).get(f"/feeds/unmatched/{identity.pk}/", follow=True)
    assert identity.source_id in page.content.decode()
    response = _client(hub).post(page.redirect_chain[-1][0], {
        "person": str(person.public_id), "reason": "The ED confirmed the referral"})
    assert response.status_code == 302
    identity.refresh_from_db()
    assert identity.person == person
    assert EVENTS.get().involvements.get().person == person
    assert Task.objects.get().person == person  # the task now names the child


def test_exact_name_and_birth_date_match_without_anyone_resolving(hub):
    person = PersonFactory(given_name="Sam", family_name="Taylor")
    person.date_of_birth = person.date_of_birth.replace(2010, 3, 4)
    person.save()
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault"))
    assert Identity.objects.get().person == person


# --- the quarantine reads raw records: the agreement and category check -------------------------

def _plain(response) -> bytes:
    """A page without its per-request values (tokens, nonces)."""
    return re.sub(rb'(value=|nonce=|"X-CSRFToken": )"[A-Za-z0-9_+/=-]{16,}"', b"",
                  response.content)


def _other_agency_hub():
    """A Hub practitioner of an agency with no agreement from the hospital."""
    return UserFactory(role="hub_practitioner", team=Team.objects.get(slug="police-missing"))


def test_raw_messages_show_only_where_an_agreement_covers_the_agency_and_category(hub):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    quarantined = InboxMessage.objects.get(status="quarantined")
    # Identity only, no health: the ED message stays with the hospital.
    identity_only = quarantine_reader(categories=("identity",), team="early-help-north")
    nothing = _other_agency_hub()
    for reader in (identity_only, nothing):
        listing = _client(reader).get("/feeds/quarantine/").content.decode()
        assert "patient_age" not in listing and "1 more quarantined message" in listing
        page = _client(reader).get(f"/feeds/quarantine/{quarantined.pk}/")
        absent = _client(reader).get(f"/feeds/quarantine/{quarantined.pk + 1000}/")
        assert page.status_code == absent.status_code == 404
        assert _plain(page) == _plain(absent)
        assert "sixteen" not in page.content.decode()
        replay = _client(reader).post(f"/feeds/quarantine/{quarantined.pk}/", {"raw": "{}"})
        assert replay.status_code == 404
    assert "sixteen" in _client(hub).get(f"/feeds/quarantine/{quarantined.pk}/").content.decode()


def test_a_sexual_exploitation_detail_needs_its_own_category(hub):
    _, token = partner()
    post(_client(), token, "ed_assault",
         message("ed_assault", patient_age="sixteen", category="sexual_exploitation"))
    quarantined = InboxMessage.objects.get(status="quarantined")
    assert _client(hub).get(f"/feeds/quarantine/{quarantined.pk}/").status_code == 404
    wider = quarantine_reader(categories=("identity", "health", "sexual_exploitation"))
    assert _client(wider).get(f"/feeds/quarantine/{quarantined.pk}/").status_code == 200


def test_quarantine_reads_are_audited_denials_included(hub):
    _, token = partner()
    post(_client(), token, "ed_assault", message("ed_assault", patient_age="sixteen"))
    quarantined = InboxMessage.objects.get(status="quarantined")
    _client(hub).get("/feeds/quarantine/")
    _client(hub).get(f"/feeds/quarantine/{quarantined.pk}/")
    outsider = _other_agency_hub()
    _client(outsider).get(f"/feeds/quarantine/{quarantined.pk}/")
    rows = AuditEntry.objects.filter(object_type="feed_message",
                                     actor_id__isnull=False).order_by("sequence")
    assert [(r.actor_id, r.action) for r in rows] == [
        (hub.pk, "list"), (hub.pk, "view"), (outsider.pk, "deny")]
