"""The bad input corpus: zero server errors, every bad row refused or quarantined with its
reason, every good row in the same batch accepted."""

import csv
import io
import json

import openpyxl
import pytest
from django.test import Client

from saferoptions.core.models import Agency
from saferoptions.events.models import Event
from saferoptions.feeds import services
from saferoptions.feeds.flat import HeaderError, columns
from saferoptions.feeds.models import InboxMessage
from saferoptions.feeds.selectors import ledger

from .factories import ago, message, partner, post

pytestmark = pytest.mark.django_db
EVENTS = Event.objects


@pytest.fixture
def hospital():
    return partner()[1]


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_truncated_json_is_refused_naming_the_body(hospital):
    raw = json.dumps(message("ed_assault")).encode()[:40]
    response = post(Client(), hospital, "ed_assault", None, raw=raw)
    assert response.status_code == 400 and fields_of(response) == {"body"}


def test_invalid_utf8_is_refused_naming_the_body(hospital):
    raw = json.dumps(message("ed_assault")).encode().replace(b"street", b"str\xff\xfeet")
    response = post(Client(), hospital, "ed_assault", None, raw=raw)
    assert response.status_code == 400
    assert "UTF-8" in response.json()["errors"][0]["reason"]


def test_a_message_without_an_idempotency_key_is_refused(hospital):
    response = post(Client(), hospital, "ed_assault", message("ed_assault", idempotency_key=None))
    assert response.status_code == 400 and fields_of(response) == {"idempotency_key"}


@pytest.mark.parametrize("change, field", [
    ({"patient_age": "sixteen"}, "patient_age"),
    ({"rapid_response_referral": [1, 2]}, "rapid_response_referral"),
    ({"assault_method": "spoon"}, "assault_method"),
    ({"occurred_at": None}, "occurred_at"),
    ({"arrival_at": None}, "arrival_at"),
    ({"occurred_at": "2030-01-01T10:00:00Z"}, "occurred_at"),
    ({"occurred_at": "31/02/2026 25:61"}, "occurred_at"),
    ({"occurred_at": "2026-02-30T10:00:00Z"}, "occurred_at"),
    ({"summary": "x" * 1_000_000}, "summary"),
    ({"referral": {"source_id": "R1", "date_of_birth": "2999-01-01"}}, "referral.date_of_birth"),
    ({"referral": {"source_id": "R1", "nhs_number": "1234567890"}}, "referral.nhs_number"),
    ({"referral": "not an object"}, "referral"),
])
def test_a_bad_field_is_quarantined_with_its_name_and_reason(hospital, change, field):
    body = {k: v for k, v in {**message("ed_assault"), **change}.items() if v is not None}
    response = post(Client(), hospital, "ed_assault", body)
    assert response.status_code == 422, response.content[:300]
    assert field in fields_of(response)
    assert all(e["reason"] for e in response.json()["errors"])
    assert InboxMessage.objects.get().status == "quarantined"
    assert not EVENTS.exists()


def test_html_and_sql_in_text_are_kept_as_text(hospital):
    text = "<script>alert(1)</script> '; DROP TABLE events_event; --"
    body = message("ed_assault", summary=text, location_description="<b>bold</b>")
    assert post(Client(), hospital, "ed_assault", body).status_code == 202
    assert EVENTS.get().summary == text


def test_an_unknown_feed_type_is_not_found(hospital):
    assert post(Client(), hospital, "tarot_reading", message("ed_assault")).status_code == 404


def _csv(feed, rows, header=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    header = header or columns(feed)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    return out.getvalue().encode()


def good_row(n, **extra):
    return {"idempotency_key": f"row-{n}", "source_reference": f"S{n}", "occurred_at": ago(days=1),
            "category": "antisocial", "place_name": f"Corner {n}", "place_type": "street",
            "place_latitude": "51.45", "place_longitude": "-2.59", **extra}


def _import(feed, content, filename="feed.csv", agency="community"):
    return services.import_file(agency=Agency.objects.get(slug=agency), feed_type=feed,
                                filename=filename, content=content)


def test_a_file_with_good_and_bad_rows_accepts_the_good_and_quarantines_the_bad():
    first = good_row(1)
    rows = [first, good_row(2, occurred_at="yesterday"), good_row(3, category="gossip"),
            good_row(4), first]  # the last is a duplicate of the first
    batch = _import("community_concern", _csv("community_concern", rows))
    ledger = services_ledger(batch)
    assert ledger == {"received": 5, "accepted": 2, "quarantined": 2, "duplicates": 1,
                      "processing": 0, "balanced": True}
    errors = {(e["row"], e["field"]) for m in batch.messages.all() for e in m.errors}
    assert errors == {(3, "occurred_at"), (4, "category")}
    assert EVENTS.count() == 2


def services_ledger(batch):
    batch.refresh_from_db()
    return ledger(batch)


def test_reordered_but_complete_headers_are_accepted():
    header = list(reversed(columns("community_concern")))
    batch = _import("community_concern", _csv("community_concern", [good_row(1)], header))
    assert services_ledger(batch)["accepted"] == 1


@pytest.mark.parametrize("header, words", [
    (columns("community_concern")[:-1], "missing columns: person_postcode"),
    (columns("community_concern") + ["favourite_colour"], "unknown columns: favourite_colour"),
    (columns("ed_assault"), "missing columns: category"),
])
def test_wrong_headers_refuse_the_file_naming_the_columns(header, words):
    with pytest.raises(HeaderError, match=words):
        _import("community_concern", _csv("community_concern", [good_row(1)], header))
    assert not InboxMessage.objects.exists()


def test_a_cell_in_no_encoding_that_can_be_told_quarantines_that_row_with_its_bytes():
    # Windows-1252 is read (tests/test_files.py); bytes it does not use cannot be guessed at.
    content = _csv("community_concern", [good_row(1), good_row(2, summary="caf\u00e9")])
    content = content.replace("café".encode(), b"caf\x81\x8d")
    batch = _import("community_concern", content)
    bad = batch.messages.get(status="quarantined")
    [error] = bad.errors
    assert (error["row"], error["field"]) == (3, "summary")
    assert error["reason"].startswith("is not UTF-8, and the file's encoding cannot be told "
                                      "for certain: its bytes are not Windows-1252 text")
    assert error["reason"].endswith("; save the file as CSV UTF-8")
    assert b"caf\x81\x8d" in bytes(bad.raw)
    assert services_ledger(batch)["accepted"] == 1


def test_importing_the_same_file_twice_changes_nothing():
    content = _csv("community_concern", [good_row(1), good_row(2)])
    _import("community_concern", content)
    again = _import("community_concern", content)
    assert services_ledger(again)["duplicates"] == 2
    assert EVENTS.count() == 2 and InboxMessage.objects.count() == 2


def test_a_reused_key_with_a_different_row_is_quarantined_not_lost():
    first = good_row(1)
    _import("community_concern", _csv("community_concern", [first]))
    batch = _import("community_concern", _csv("community_concern", [{**first, "summary": "new"}]))
    ledger = services_ledger(batch)
    assert ledger["quarantined"] == 1 and ledger["balanced"]
    assert batch.messages.get().errors[0]["field"] == "idempotency_key"


def _xlsx(feed, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns(feed))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns(feed)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_formula_is_quarantined_never_evaluated_and_good_rows_pass():
    rows = [good_row(1), good_row(2, summary="=HYPERLINK(\"http://evil\",\"x\")"), good_row(3)]
    batch = _import("community_concern", _xlsx("community_concern", rows), "feed.xlsx")
    ledger = services_ledger(batch)
    assert (ledger["accepted"], ledger["quarantined"], ledger["balanced"]) == (2, 1, True)
    bad = batch.messages.get(status="quarantined")
    assert bad.errors[0]["field"] == "summary" and "formula" in bad.errors[0]["reason"]


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(HeaderError, match="not a readable XLSX"):
        _import("community_concern", b"PK\x03\x04 not really", "feed.xlsx")


def test_half_a_surrogate_pair_in_json_is_quarantined_not_a_server_error(hospital):
    raw = json.dumps(message("ed_assault")).replace('"street"', '"str\\ud800eet"').encode()
    response = post(Client(), hospital, "ed_assault", None, raw=raw)
    assert response.status_code == 422
    assert response.json()["errors"][0]["reason"] == "contains text that is not valid Unicode"


def test_a_wrong_choice_is_named_without_echoing_the_value(hospital):
    response = post(Client(), hospital, "ed_assault", message("ed_assault",
                                                              assault_method="Jo Bloggs"))
    assert response.status_code == 422
    assert "Bloggs" not in response.content.decode()
    assert response.json()["errors"][0] == {"row": None, "field": "assault_method",
                                            "reason": "is not one of the allowed values"}


def test_a_header_that_is_not_utf8_is_refused_with_a_readable_message():
    content = _csv("community_concern", [good_row(1)]).replace(b"summary", b"summ\xffary", 1)
    with pytest.raises(HeaderError, match="unknown columns: summ.ary"):
        _import("community_concern", content)
