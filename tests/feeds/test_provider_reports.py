"""Programme providers report sessions and outcomes through the partner API and by file: the
interventions rules, the feeds' idempotency, quarantine and ledger (issue 14 §7)."""

import csv
import datetime as dt
import io
import json
import uuid

import openpyxl
import pytest
from django.db import transaction
from django.test import Client

from saferoptions.access import policy
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Agency, Role, Team
from saferoptions.feeds import services
from saferoptions.feeds.flat import columns
from saferoptions.feeds.models import InboxMessage, feeds_for_agency
from saferoptions.feeds.selectors import ledger
from saferoptions.interventions import services as interventions
from saferoptions.interventions.models import Programme, Rating, Session
from saferoptions.interventions.services.provider_reports import NOT_FOUND
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

from .factories import partner, post

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # Monday 2 March 2026
PROVIDER = "mentor-easton-community-mentors"  # a mentoring charity (voluntary sector)
OTHER_PROVIDER = "mentor-knowle-west-mentors"
SESSION, OUTCOME = "programme_session", "programme_outcome"


@pytest.fixture(autouse=True)
def monday():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def client():
    return Client()


def _user(role, agency, team):
    return UserFactory(role=role, agency=Agency.objects.get(slug=agency),
                       team=Team.objects.get(slug=team))


def make_referral(*, start=True):
    """A 14-year-old referred to community mentoring in Easton, accepted (and started)."""
    worker = _user(Role.SOCIAL_WORKER, "social-care", "social-care-east-central")
    mentor = _user(Role.LEAD_WORKER, PROVIDER, PROVIDER)
    child = PersonFactory(sex="F", date_of_birth=dt.date(2011, 9, 14))
    with transaction.atomic():
        referral = interventions.refer(
            actor=worker, person=child, programme=Programme.objects.get(
                name="Community mentoring"), team_id=mentor.team_id, route_in="direct",
            reason="Missing four times in ten weeks.", young_person_consent="given",
            parent_consent="given", ineligible_reason="Recorded at the locality meeting.")
        interventions.accept(actor=mentor, referral=referral)
        if start:
            interventions.start(actor=mentor, referral=referral, started_on=dt.date(2026, 2, 2))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def referral():
    return make_referral()


@pytest.fixture
def token():
    return partner(agency=PROVIDER, feeds=(SESSION, OUTCOME))[1]


def session(of, n=1, **overrides) -> dict:
    return {"idempotency_key": f"s-{n}", "referral": str(of.public_id),
            "source_reference": f"SESSION-{n}", "held_on": "2026-02-27", "attended": True,
            **overrides}


def status_of(response) -> InboxMessage:
    return InboxMessage.objects.get(pk=response.json()["message_id"])


def test_a_provider_and_charity_may_be_given_the_feeds_police_and_health_may_not():
    assert SESSION in feeds_for_agency(Agency.objects.get(slug=PROVIDER))
    for slug in ("police", "health", "hospital-ed"):
        agency = Agency.objects.get(slug=slug)
        assert SESSION not in feeds_for_agency(agency)
        with pytest.raises(services.PartnerSystemRefused, match="may not send Programme session"):
            services.create_partner_system(actor=None, name=f"{slug} system", agency=agency,
                                           feed_types=[SESSION])


def test_a_session_sent_by_the_api_is_recorded_through_the_interventions_rules(
        client, token, referral):
    response = post(client, token, SESSION, session(referral, attended="no"))
    assert response.status_code == 202, response.json()
    assert status_of(response).status == "accepted" and status_of(response).event is None
    row = Session.objects.get()
    assert (row.referral, row.held_on, row.attended, row.recorded_by, row.source_reference) == (
        referral, dt.date(2026, 2, 27), False, None, "SESSION-1")
    audit = AuditEntry.objects.get(action="record_session")
    assert audit.actor is None and audit.detail["via"] == "partner_feed"
    assert audit.detail["message"] == response.json()["message_id"]


def test_the_same_message_again_changes_nothing_and_a_new_key_for_the_same_session_corrects_it(
        client, token, referral):
    first = post(client, token, SESSION, session(referral))
    again = post(client, token, SESSION, session(referral))
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json()["message_id"] == first.json()["message_id"]
    assert Session.objects.count() == 1 and InboxMessage.objects.count() == 1
    corrected = post(client, token, SESSION, session(referral, attended=False,
                                                     idempotency_key="s-1-corrected"))
    assert corrected.status_code == 202
    assert Session.objects.get().attended is False  # still one session: its reference
    assert AuditEntry.objects.filter(action="correct_session").count() == 1


def test_another_providers_referral_is_quarantined_as_not_found(client, referral):
    _, other = partner(agency=OTHER_PROVIDER, feeds=(SESSION,))
    theirs = post(client, other, SESSION, session(referral))
    nobody = post(client, other, SESSION, session(referral, 2, referral=str(uuid.uuid4())))
    for response in (theirs, nobody):
        assert response.status_code == 422
        assert response.json()["status"] == "quarantined"
        assert response.json()["errors"] == [{"row": None, "field": "referral",
                                              "reason": NOT_FOUND}]
    assert not Session.objects.exists()


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("held_on", "2026-02-30", "Date has wrong format"),
    ("held_on", "2026-03-09", "is in the future"),
    ("attended", "perhaps", "Must be a valid boolean"),
    ("referral", "42", "Must be a valid UUID"),
])
def test_a_bad_field_is_quarantined_naming_it(client, token, referral, field, value, reason):
    response = post(client, token, SESSION, session(referral, **{field: value}))
    assert response.status_code == 422, response.json()
    (error,) = response.json()["errors"]
    assert error["field"] == field and reason in error["reason"]
    assert not Session.objects.exists()


def test_a_referral_not_accepted_or_started_is_quarantined_with_its_state(client, token):
    ended = make_referral()
    with transaction.atomic():
        interventions.end(actor=UserFactory(team=ended.team, agency=ended.team.agency),
                          referral=ended, reason="completed")
    response = post(client, token, SESSION, session(ended))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "referral"
    assert "is ended" in response.json()["errors"][0]["reason"]


def test_an_outcome_ends_the_referral_with_the_workers_rating(client, token, referral):
    body = {"idempotency_key": "o-1", "referral": str(referral.public_id),
            "end_reason": "completed", "ended_on": "2026-03-01", "outcome": "Back at school.",
            "worker_rating": 4, "worker_words": "She came to every session."}
    response = post(client, token, OUTCOME, body)
    assert response.status_code == 202, response.json()
    referral.refresh_from_db()
    assert (referral.status, referral.end_reason, referral.ended_on, referral.outcome) == (
        "ended", "completed", dt.date(2026, 3, 1), "Back at school.")
    rating = Rating.objects.get()
    assert (rating.respondent, rating.rating, rating.recorded_by) == ("worker", 4, None)
    assert AuditEntry.objects.filter(action="end", actor=None).exists()
    # Sent again with a new key: the referral has ended, so it is quarantined, never a 500.
    again = post(client, token, OUTCOME, {**body, "idempotency_key": "o-2"})
    assert again.status_code == 422 and "is ended" in again.json()["errors"][0]["reason"]


def test_work_that_never_started_cannot_be_completed_and_the_field_is_named(client, token):
    accepted = make_referral(start=False)
    response = post(client, token, OUTCOME, {
        "idempotency_key": "o-3", "referral": str(accepted.public_id),
        "end_reason": "completed", "ended_on": "2026-03-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end_reason"
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_a_referral_that_ends_before_the_worker_runs_is_quarantined_by_the_job(
        monkeypatch, token, referral):
    """Checked as it arrives, then again by the job under the referral's lock."""
    monkeypatch.setattr(services, "enqueue", lambda message: None)
    receipt = services.receive_json(partner=partner(agency=PROVIDER, feeds=(SESSION,))[0],
                                    feed_type=SESSION, key="late",
                                    raw=json.dumps(session(referral, 9)).encode())
    with transaction.atomic():
        interventions.end(actor=UserFactory(team=referral.team, agency=referral.team.agency),
                          referral=referral, reason="disengaged")
    assert services.process_message(receipt.message.pk) == "quarantined"
    message = InboxMessage.objects.get(pk=receipt.message.pk)
    assert message.errors[0]["field"] == "referral" and not Session.objects.exists()


def csv_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns(SESSION))
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns(SESSION)])
    return out.getvalue().encode("utf-8")


def import_file(content, name) -> dict:
    batch = services.import_file(agency=Agency.objects.get(slug=PROVIDER), feed_type=SESSION,
                                 filename=name, content=content)
    return ledger(batch)


def test_a_csv_of_sessions_balances_its_ledger_and_sent_again_is_all_duplicates(referral):
    good = {"idempotency_key": "f-1", "referral": str(referral.public_id),
            "source_reference": "F1", "held_on": "27/02/2026", "attended": "yes"}
    rows = [good,
            {**good, "idempotency_key": "f-2", "source_reference": "F2", "held_on": "02/03/2026",
             "attended": "no"},
            {**good, "idempotency_key": "f-3", "referral": str(uuid.uuid4())},  # not found
            {**good, "idempotency_key": "f-4", "held_on": "31/02/2026"},  # no such day
            good]  # repeated within the file
    found = import_file(csv_file(rows), "sessions.csv")
    assert (found["received"], found["accepted"], found["quarantined"], found["duplicates"],
            found["balanced"]) == (5, 2, 2, 1, True)
    assert sorted(Session.objects.values_list("held_on", "attended")) == [
        (dt.date(2026, 2, 27), True), (dt.date(2026, 3, 2), False)]  # UK dates, day first
    reasons = {e["field"]: e["reason"] for m in InboxMessage.objects.filter(
        status="quarantined") for e in m.errors}
    assert reasons["referral"] == NOT_FOUND and "held_on" in reasons
    again = import_file(csv_file(rows), "sessions.csv")
    assert (again["received"], again["accepted"], again["quarantined"], again["duplicates"],
            again["balanced"]) == (5, 0, 0, 5, True)
    assert Session.objects.count() == 2


def test_an_xlsx_of_sessions_with_date_cells_balances_its_ledger(referral):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns(SESSION))
    sheet.append(["x-1", str(referral.public_id), "X1", dt.datetime(2026, 2, 25), "yes", ""])
    sheet.append(["x-2", str(referral.public_id), "X2", dt.datetime(2026, 2, 26), "no", "Ill"])
    sheet.append(["x-3", str(referral.public_id), "X3", dt.datetime(2026, 4, 1), "yes", ""])
    out = io.BytesIO()
    book.save(out)
    found = import_file(out.getvalue(), "sessions.xlsx")
    assert (found["received"], found["accepted"], found["quarantined"], found["duplicates"],
            found["balanced"]) == (3, 2, 1, 0, True)
    future = InboxMessage.objects.get(status="quarantined")
    assert future.errors == [{"row": 4, "field": "held_on", "reason": "is in the future"}]
    assert Session.objects.get(source_reference="X2").note == "Ill"


def test_the_feeds_are_published_in_the_openapi_schema_with_their_fields(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/feeds/programme_session/messages/" in schema["paths"]
    assert "/api/feeds/programme_outcome/batches/" in schema["paths"]
    fields = schema["components"]["schemas"]["ProgrammeSessionSchema"]["properties"]
    assert {"idempotency_key", "referral", "source_reference", "held_on", "attended"} <= set(
        fields)


def test_the_provider_sees_the_reference_on_the_referral_page(referral):
    mentor = _user(Role.LEAD_WORKER, PROVIDER, PROVIDER)
    page = Client()
    page.force_login(mentor)
    response = page.get(f"/interventions/referrals/{referral.pk}/")
    assert response.status_code == 200
    assert str(referral.public_id) in response.content.decode()


def test_a_quarantined_report_is_read_only_under_an_agreement_covering_case_records():
    assert "case_records" in policy.raw_message_categories(OUTCOME, "{}")
    assert "case_records" in policy.raw_message_categories(SESSION, "{}")
