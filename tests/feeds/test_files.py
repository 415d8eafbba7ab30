"""Partner files as spreadsheets really produce them (built here as bytes): the ledger balances
for every file, including a file sent again and a row repeated within one; a file that is not
text is refused in one line; UK dates and Windows-1252 text are read as partners mean them; an
encoding that cannot be told is never guessed."""

import csv
import datetime as dt
import io
import json
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.events.models import Event
from saferoptions.feeds import services
from saferoptions.feeds.encodings import NOT_TEXT
from saferoptions.feeds.flat import FileRefused, columns
from saferoptions.feeds.models import Batch, InboxMessage
from saferoptions.feeds.selectors import ledger
from saferoptions.people.models import Identity
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db
EVENTS = Event.objects
FEED = "community_concern"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def row(n, **extra) -> dict:
    return {"idempotency_key": f"row-{n}", "source_reference": f"S{n}",
            "occurred_at": "2026-11-20T10:00:00Z", "category": "antisocial",
            "place_name": f"Corner {n}", "place_type": "street", "place_latitude": "51.45",
            "place_longitude": "-2.59", **extra}


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes it
    writer.writerow(columns(FEED))
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns(FEED)])
    return out.getvalue().encode(encoding)


def run_import(tmp_path, content: bytes, name="feed.csv") -> dict:
    """`saferoptions import` as a partner's analyst runs it; its printed ledger."""
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command("import_feed", FEED, str(path), agency="community", stdout=out)
    return json.loads(out.getvalue())


def import_bytes(content: bytes, name="feed.csv") -> Batch:
    with clock.frozen(NOW):
        batch = services.import_file(agency=Agency.objects.get(slug="community"),
                                     feed_type=FEED, filename=name, content=content)
    return batch


def balanced(found: dict) -> bool:
    return found["received"] == found["accepted"] + found["quarantined"] + found["duplicates"]


def test_a_file_sent_a_second_time_is_all_duplicates_and_its_ledger_balances(tmp_path):
    content = csv_bytes([row(n) for n in range(1, 6)])
    first = run_import(tmp_path, content)
    again = run_import(tmp_path, content)
    assert (first["received"], first["accepted"], first["balanced"]) == (5, 5, True)
    assert (again["received"], again["accepted"], again["quarantined"], again["duplicates"],
            again["balanced"]) == (5, 0, 0, 5, True)
    assert EVENTS.count() == 5 and InboxMessage.objects.count() == 5


def test_a_row_repeated_within_a_file_is_a_duplicate_and_the_ledger_balances(tmp_path):
    # A row without its key is kept under its bytes' hash (and quarantined: the key is
    # required); repeated, it is a duplicate of itself like any other row.
    first, second, unkeyed = row(1), row(2), row(3, idempotency_key="")
    found = run_import(tmp_path, csv_bytes([first, second, first, unkeyed, second, unkeyed,
                                            row(4)]))
    assert (found["received"], found["accepted"], found["quarantined"], found["duplicates"],
            found["balanced"]) == (7, 3, 1, 3, True)


@pytest.mark.parametrize("content", [
    os.urandom(4096),
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),  # an old .xls
], ids=["random", "png", "xls"])  # UTF-16 (Excel's "Unicode Text") is read: test_messy_...
def test_a_file_that_is_not_text_is_refused_in_one_line_without_its_bytes(tmp_path, content):
    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, content)
    assert str(refused.value) == "file: the file " + NOT_TEXT
    assert NOT_TEXT == "is not a CSV text file: save it as CSV UTF-8 or XLSX"
    assert not Batch.objects.exists() and not InboxMessage.objects.exists()


def test_an_xlsx_renamed_csv_is_refused_too():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(FileRefused, match="^is not a CSV text file"):
        import_bytes(out.getvalue())


def test_uk_dates_and_times_are_read_day_first_in_london_time():
    people = {"person_source_id": "C1", "person_given_name": "Sam",
              "person_family_name": "Taylor", "person_date_of_birth": "04/03/2010"}
    batch = import_bytes(csv_bytes([
        row(1, occurred_at="20/11/2026 21:30", **people),  # winter: London is UTC
        row(2, occurred_at="20/07/2026 21:30"),  # summer: London is UTC+1
        row(3, occurred_at="2026-11-20T21:30:00Z"),  # ISO stays ISO
        row(4, occurred_at="04/03/2026"),  # a date alone: midnight in London
    ]))
    found = ledger(batch)
    assert (found["accepted"], found["balanced"]) == (4, True)
    when = dict(EVENTS.values_list("source_reference", "occurred_at"))
    assert when["S1"] == dt.datetime(2026, 11, 20, 21, 30, tzinfo=dt.UTC)
    assert when["S2"] == dt.datetime(2026, 7, 20, 20, 30, tzinfo=dt.UTC)
    assert when["S3"] == dt.datetime(2026, 11, 20, 21, 30, tzinfo=dt.UTC)
    assert when["S4"] == dt.datetime(2026, 3, 4, 0, 0, tzinfo=dt.UTC)
    assert Identity.objects.get(source_id="C1").date_of_birth == dt.date(2010, 3, 4)


@pytest.mark.parametrize("written", ["11/20/2026", "31/02/2026", "20/11/26"])
def test_a_date_that_is_not_a_uk_date_is_quarantined_naming_the_field(written):
    batch = import_bytes(csv_bytes([row(1, occurred_at=written), row(2)]))
    found = ledger(batch)
    assert (found["accepted"], found["quarantined"], found["balanced"]) == (1, 1, True)
    bad = batch.messages.get(status="quarantined")
    assert [e["field"] for e in bad.errors] == ["occurred_at"]


def test_a_windows_1252_file_from_excel_is_read_as_written():
    people = {"person_source_id": "C1", "person_given_name": "Ren\u00e9e",
              "person_family_name": "O\u2019Brien"}
    content = csv_bytes([row(1, summary="Paid \u00a35 at Zo\u00eb\u2019s caf\u00e9", **people),
                         row(2, summary="na\u00efve \u2013 d\u00e9j\u00e0 vu")], "cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the file really is not UTF-8
    batch = import_bytes(content)
    found = ledger(batch)
    assert (found["accepted"], found["quarantined"], found["balanced"]) == (2, 0, True)
    summaries = set(EVENTS.values_list("summary", flat=True))
    assert summaries == {"Paid \u00a35 at Zo\u00eb\u2019s caf\u00e9",
                         "na\u00efve \u2013 d\u00e9j\u00e0 vu"}
    identity = Identity.objects.get(source_id="C1")
    assert (identity.given_name, identity.family_name) == ("Ren\u00e9e", "O\u2019Brien")


@pytest.mark.parametrize("content", [
    csv_bytes([row(1)]) + csv_bytes([row(2, summary="\u041f\u0440\u0438\u0432\u0435\u0442 "
                                             "\u043c\u0438\u0440")], "cp1251").split(b"\r\n", 1)[1],
    csv_bytes([row(1, summary="caf\u00e9")]) + csv_bytes(
        [row(2, summary="caf\u00e9")], "cp1252").split(b"\r\n", 1)[1],
    csv_bytes([row(1)]) + csv_bytes([row(2)]).split(b"\r\n", 1)[1].replace(
        b"antisocial", b"anti\x81\x8dsocial"),
], ids=["cyrillic", "utf-8 and windows-1252 mixed", "bytes windows-1252 does not use"])
def test_an_encoding_that_cannot_be_told_quarantines_its_rows_with_the_reason(content):
    batch = import_bytes(content)
    found = ledger(batch)
    assert found["received"] == 2 and found["balanced"]
    bad = batch.messages.get(row_number=3)
    assert bad.status == "quarantined"
    assert len(bad.errors) == 1 and bad.errors[0]["field"] in {"summary", "category"}
    assert bad.errors[0]["reason"].startswith(
        "is not UTF-8, and the file's encoding cannot be told for certain: ")
    assert bad.errors[0]["reason"].endswith("; save the file as CSV UTF-8")
    assert content.split(b"\r\n")[2] in bytes(bad.raw)  # the row's own bytes, kept
    assert batch.messages.get(row_number=2).status == "accepted"



def test_the_import_page_gives_the_same_one_line_reason_for_a_file_that_is_not_text():
    officer = UserFactory(role="police_officer", team=Team.objects.get(slug="police-missing"))
    client = Client()
    client.force_login(officer)
    garbage = b"\x89PNG\r\n\x1a\n<script>alert(1)</script>" + bytes(range(256))
    response = client.post("/feeds/import/", {
        "feed_type": "missing_episode",
        "file": SimpleUploadedFile("missing.csv", garbage, "text/csv")})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file is not a CSV text file: save it as CSV UTF-8 or XLSX." in page
    assert "alert(1)" not in page and "PNG" not in page
    assert not InboxMessage.objects.exists()


def test_a_batch_with_more_quarantined_rows_than_a_page_shows_them_fifty_at_a_time():
    # Sixty rows, each without its category: every one quarantined, one problem each.
    batch = import_bytes(csv_bytes([row(n, category="") for n in range(1, 61)]))
    assert ledger(batch)["quarantined"] == 60
    client = Client()
    client.force_login(UserFactory(role="system_administrator"))
    first = client.get(f"/feeds/batches/{batch.pk}/")
    second = client.get(f"/feeds/batches/{batch.pk}/?page=2")
    assert first.status_code == second.status_code == 200
    assert len(first.context["paged"].rows) == 50 and len(second.context["paged"].rows) == 10
    # Row 1 of the file is its header.
    assert [r["row"] for r in second.context["paged"].rows] == list(range(52, 62))
    assert 'class="govuk-pagination"' in first.content.decode()
    # A page that is no number is the first page, saying why, never an error page.
    odd = client.get(f"/feeds/batches/{batch.pk}/?page=x")
    assert odd.status_code == 200 and "is not a page number" in odd.content.decode()
    assert [r["row"] for r in odd.context["paged"].rows][:1] == [2]
