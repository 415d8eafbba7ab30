"""Partner files as partners really send them (built here as bytes): other separators and
encodings, untidy headings, blank and ragged rows, workbooks with notes sheets, lost date
formats, renamed and locked files. Each is read, or refused in one line that says why and what
to do; a row that cannot be read is quarantined naming its row and field, the good rows go
through, and the ledger balances."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.events.models import Event
from saferoptions.feeds import services
from saferoptions.feeds.flat import HeaderError, columns
from saferoptions.feeds.models import Batch, InboxMessage
from saferoptions.feeds.selectors import ledger
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


def csv_bytes(rows, encoding="utf-8", separator=",", header=None) -> bytes:
    header = header or columns(FEED)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns(FEED)])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, change=None, header=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header or columns(FEED))
    for values in rows:
        sheet.append([values.get(c, "") for c in columns(FEED)])
    if change:
        change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_bytes(content: bytes, name="feed.csv") -> Batch:
    with clock.frozen(NOW):
        return services.import_file(agency=Agency.objects.get(slug="community"),
                                    feed_type=FEED, filename=name, content=content)


def counts(batch) -> tuple:
    found = ledger(batch)
    assert found["balanced"]
    return found["received"], found["accepted"], found["quarantined"], found["duplicates"]


def problems(batch) -> list[tuple]:
    return sorted((e["row"], e["field"], e["reason"])
                  for m in batch.messages.filter(status="quarantined") for e in m.errors)


# --- separators and encodings ---------------------------------------------------------------

@pytest.mark.parametrize("separator", [";", "\t", "|"], ids=["semicolon", "tab", "pipe"])
def test_a_file_separated_by_semicolons_tabs_or_pipes_is_read_by_its_header(separator):
    # A decimal comma inside a semicolon file stays in its cell.
    batch = import_bytes(csv_bytes([row(1, summary="1,5 km, then left"), row(2)],
                                   separator=separator))
    assert counts(batch) == (2, 2, 0, 0)
    assert EVENTS.get(source_reference="S1").summary == "1,5 km, then left"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"],
                         ids=["with its mark", "little-endian, no mark", "big-endian, no mark"])
def test_excels_unicode_text_utf16_and_tab_separated_is_read(encoding):
    content = csv_bytes([row(1, summary="Zo\u00eb \u041c\u0430\u0440\u0438\u044f \u674e")],
                        encoding, separator="\t")
    batch = import_bytes(content, "feed.txt")
    assert counts(batch) == (1, 1, 0, 0)
    assert EVENTS.get().summary == "Zo\u00eb \u041c\u0430\u0440\u0438\u044f \u674e"


def test_latin1_and_a_utf8_byte_order_mark_are_read():
    latin = import_bytes(csv_bytes([row(1, summary="caf\u00e9 \u00a35")], "latin-1"))
    marked = import_bytes(b"\xef\xbb\xbf" + csv_bytes([row(2)]))
    assert counts(latin) == counts(marked) == (1, 1, 0, 0)
    assert EVENTS.get(source_reference="S1").summary == "caf\u00e9 \u00a35"


def test_a_quoted_cell_holding_line_breaks_and_separators_stays_one_cell():
    batch = import_bytes(csv_bytes([row(1, summary='seen at 9pm,\nthen "again";\nleft'),
                                    row(2)]))
    assert counts(batch) == (2, 2, 0, 0)
    assert EVENTS.get(source_reference="S1").summary == 'seen at 9pm,\nthen "again";\nleft'


@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"], ids=["lone CR", "LF", "CRLF"])
def test_any_line_ending_is_read(ending):
    # A "CSV (Macintosh)" save ends lines with a lone carriage return, and text pasted from
    # Windows can leave one inside a cell: the page answered 500 (the separator was looked
    # for in a "first line" that was the whole file; a stored row holding a lone carriage
    # return was read back as two rows).
    content = csv_bytes([row(1, summary="line one\r\nline two"),
                         row(2, summary="pasted\rfrom Windows")])
    content = content.replace(b"\r\n", ending)
    batch = import_bytes(content)
    assert problems(batch) == []
    assert counts(batch) == (2, 2, 0, 0)
    assert EVENTS.get(source_reference="S2").summary == "pasted\rfrom Windows"



@pytest.mark.parametrize("separator", [";", "\t", ","], ids=["semicolon", "tab", "comma"])
def test_excels_sep_line_names_the_separator_and_is_not_the_header(separator):
    # An export that starts "sep=;" (so Excel opens it in columns) was refused: its first
    # line was taken for the header.
    content = f"sep={separator}\r\n".encode() + csv_bytes(
        [row(1, summary="1,5 km"), row(2, category="")], separator=separator)
    batch = import_bytes(content)
    assert counts(batch) == (2, 1, 1, 0)
    assert problems(batch) == [(4, "category", "This field is required.")]

# --- headings ---------------------------------------------------------------------------------

def test_headings_in_another_case_with_spaces_and_a_marked_first_heading_are_read():
    header = [("\ufeff" if i == 0 else "") + f" {c.replace('_', ' ').title()}  "
              for i, c in enumerate(columns(FEED))]
    batch = import_bytes(csv_bytes([row(1)], header=header))
    assert counts(batch) == (1, 1, 0, 0)


def test_blank_headings_over_empty_columns_are_left_out():
    # Excel leaves trailing separators after the last column when cells beyond it were touched.
    content = csv_bytes([row(1)], header=columns(FEED) + ["", ""]).replace(
        b"\r\n", b",,\r\n")
    batch = import_bytes(content)
    assert counts(batch) == (1, 1, 0, 0)


@pytest.mark.parametrize("header, words", [
    (columns(FEED) + ["summary"], "repeated columns: summary"),
    (columns(FEED) + ["notes"], "unknown columns: notes"),
    ([c if c != "occurred_at" else "occured_at" for c in columns(FEED)],
     "missing columns: occurred_at; unknown columns: occured_at (did you mean occurred_at?)"),
    ([c for c in columns(FEED) if c != "category"], "missing columns: category"),
], ids=["repeated", "unknown", "misspelt", "missing"])
def test_a_header_that_cannot_be_read_safely_is_refused_naming_the_columns(header, words):
    with pytest.raises(HeaderError, match=words.replace("(", r"\(").replace(")", r"\)")
                       .replace("?", r"\?")):
        import_bytes(csv_bytes([row(1)], header=header))
    assert not InboxMessage.objects.exists()


def test_a_value_under_no_heading_refuses_the_file_naming_the_column():
    content = csv_bytes([row(1)], header=columns(FEED) + [""]).replace(
        b"\r\nrow-1", b"\r\nrow-1").replace(b"-2.59,", b"-2.59,", 1)
    content = content.rstrip(b"\r\n") + b",stray\r\n"
    with pytest.raises(HeaderError, match="columns without a heading that hold values: "
                                          f"column {len(columns(FEED)) + 1}"):
        import_bytes(content)


# --- rows ---------------------------------------------------------------------------------

def test_blank_lines_and_empty_rows_are_skipped_and_row_numbers_stay_the_files():
    body = csv_bytes([row(1), row(2, category="")]).split(b"\r\n", 1)
    content = b"\r\n,,,\r\n" + body[0] + b"\r\n\r\n" + body[1] + b",,,,,,,,\r\n\r\n"
    batch = import_bytes(content)
    assert counts(batch) == (2, 1, 1, 0)
    assert problems(batch) == [(6, "category", "This field is required.")]


def test_a_ragged_row_is_quarantined_and_trailing_blank_cells_are_not():
    lines = csv_bytes([row(1), row(2), row(3)]).split(b"\r\n")
    lines[1] += b",,"  # blank cells past the last column: nothing lost, read
    lines[2] += b",extra"  # a value past the last column
    lines[3] = b"row-3,S3,2026-11-20T10:00:00Z"  # too few
    batch = import_bytes(b"\r\n".join(lines))
    assert counts(batch) == (3, 1, 2, 0)
    found = {r: (f, reason) for r, f, reason in problems(batch)}
    width = len(columns(FEED))
    assert found[3] == ("row", f"has {width + 1} cells but the header has {width} columns: a "
                        "cell past the last column holds a value (perhaps a separator that "
                        "should be inside quotes)")
    assert found[4][0] == "row" and found[4][1].startswith(f"has 3 cells but the header has "
                                                          f"{width} columns")


def test_an_empty_file_and_a_header_alone_say_so():
    with pytest.raises(HeaderError, match="is empty: the first row must be the header"):
        import_bytes(b"")
    with pytest.raises(HeaderError, match="is empty"):
        import_bytes(b"\r\n \r\n")
    assert counts(import_bytes(csv_bytes([]))) == (0, 0, 0, 0)


# --- workbooks ------------------------------------------------------------------------------

def test_a_workbook_with_a_notes_sheet_and_empty_rows_above_the_header_is_read():
    def notes_first(book):
        data = book.active
        data.title = "Data"
        data.insert_rows(1, amount=2)
        notes = book.create_sheet("Read me", 0)
        notes.append(["How to fill in this sheet"])

    batch = import_bytes(xlsx_bytes([row(1), row(2, category="")], notes_first), "feed.xlsx")
    assert counts(batch) == (2, 1, 1, 0)
    assert problems(batch) == [(5, "category", "This field is required.")]


def test_two_sheets_of_rows_are_refused_rather_than_one_imported_and_one_lost():
    def second(book):
        other = book.create_sheet("March")
        other.append(columns(FEED))

    with pytest.raises(HeaderError, match="has 2 sheets with the feed's columns "
                                          "\\(\u201cSheet\u201d, \u201cMarch\u201d\\)"):
        import_bytes(xlsx_bytes([row(1)], second), "feed.xlsx")


def test_a_merged_cell_quarantines_the_rows_it_covers_naming_the_merge():
    # A category merged down over three rows is kept in the first cell only: the other two
    # rows were quarantined as "This field is required", naming no merge.
    def merge(book):
        book.active.merge_cells("K2:K4")  # category
        book.active.merge_cells("G6:H6")  # place name over place type

    rows = [row(n) for n in range(1, 6)]
    batch = import_bytes(xlsx_bytes(rows, merge), "feed.xlsx")
    assert counts(batch) == (5, 2, 3, 0)
    why = "whose value Excel keeps in the first cell only: unmerge the cells and fill in each row"
    assert problems(batch) == [
        (3, "category", f"is in the merged cells K2:K4, {why}"),
        (4, "category", f"is in the merged cells K2:K4, {why}"),
        (6, "place_type", f"is in the merged cells G6:H6, {why}")]


def test_dates_kept_as_numbers_text_or_date_cells_are_read():
    batch = import_bytes(xlsx_bytes([
        row(1, occurred_at=46115),  # a serial number whose date format was lost: 3 April 2026
        row(2, occurred_at=46115.5),  # noon
        row(3, occurred_at="03/07/2026 10:00"),  # text, UK order
        row(4, occurred_at=dt.datetime(2026, 7, 3, 10, 0)),  # a date cell, London time
        row(5, occurred_at=2026),  # a number too small to be a date: refused
    ]), "feed.xlsx")
    assert counts(batch) == (5, 4, 1, 0)
    when = dict(EVENTS.values_list("source_reference", "occurred_at"))
    assert when["S1"] == dt.datetime(2026, 4, 2, 23, 0, tzinfo=dt.UTC)  # midnight, summer time
    assert when["S2"] == dt.datetime(2026, 4, 3, 11, 0, tzinfo=dt.UTC)
    assert when["S3"] == when["S4"] == dt.datetime(2026, 7, 3, 9, 0, tzinfo=dt.UTC)
    assert [(r, f) for r, f, _ in problems(batch)] == [(6, "occurred_at")]


def test_blank_formatted_cells_far_to_the_right_are_not_data_but_a_stray_value_is():
    def wide(book):
        book.active.cell(row=2, column=5000).number_format = "0.00"  # formatting only
        book.active.cell(row=3, column=300, value="stray")

    batch = import_bytes(xlsx_bytes([row(1), row(2)], wide), "feed.xlsx")
    assert counts(batch) == (2, 1, 1, 0)
    assert [(r, f) for r, f, _ in problems(batch)] == [(3, "row")]


@pytest.mark.parametrize("content, name, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "feed.xlsx",
     "is password-protected or an old Excel 97-2003 workbook: remove the password"),
    (None, "feed.xlsx", "is not a readable XLSX file"),
], ids=["password-protected", "cut short"])
def test_a_locked_or_broken_workbook_is_refused_in_one_line(content, name, words):
    content = content or xlsx_bytes([row(1)])[:600]
    with pytest.raises(HeaderError, match=words):
        import_bytes(content, name)
    assert not Batch.objects.exists()


def test_a_file_is_read_by_what_it_holds_not_by_its_name():
    assert counts(import_bytes(csv_bytes([row(1)]), "feed.xlsx")) == (1, 1, 0, 0)
    assert counts(import_bytes(xlsx_bytes([row(2)]), "feed.csv")) == (1, 1, 0, 0)


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(settings):
    settings.FEEDS_MAX_UNPACKED_BYTES = 1024 * 1024
    with pytest.raises(HeaderError, match="holds more than 1 MB once unpacked: split it"):
        import_bytes(xlsx_bytes([row(n, summary="x" * 4000) for n in range(400)]), "f.xlsx")


def test_too_many_rows_or_bytes_are_refused_naming_the_limit(settings):
    settings.FEEDS_MAX_FILE_ROWS = 3
    with pytest.raises(HeaderError, match="has 4 rows; a file may hold at most 3: split it"):
        import_bytes(csv_bytes([row(n) for n in range(4)]))
    settings.FEEDS_MAX_FILE_BYTES = 1024
    with pytest.raises(HeaderError, match="KB; a file may be at most 1 KB: split it"):
        import_bytes(csv_bytes([row(1, summary="x" * 2000)]))
    assert not Batch.objects.exists()


# --- the page -------------------------------------------------------------------------------

@pytest.fixture
def officer():
    return UserFactory(role="police_officer", team=Team.objects.get(slug="police-missing"))


def test_the_page_names_the_size_limit_and_an_old_xls(officer, settings):
    settings.FEEDS_MAX_FILE_BYTES = 2 * 1024 * 1024
    client = Client()
    client.force_login(officer)
    big = SimpleUploadedFile("missing.csv", b"x" * (3 * 1024 * 1024), "text/csv")
    page = client.post("/feeds/import/", {"feed_type": "missing_episode", "file": big})
    assert page.status_code == 400  # sent back with the reason, as every form is
    assert "The file is 3 MB; a file may be at most 2 MB: split it" in page.content.decode()
    old = SimpleUploadedFile("missing.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel")
    page = client.post("/feeds/import/", {"feed_type": "missing_episode", "file": old})
    assert "old Excel 97-2003 workbook (.xls): save it as XLSX" in page.content.decode()
    assert not InboxMessage.objects.exists()



def test_the_page_says_what_is_wrong_with_a_header_in_a_sentence(officer):
    # It said "The file missing columns: ...; repeated columns: ...".
    client = Client()
    client.force_login(officer)
    header = columns("missing_episode")[:-1] + ["person_given_name"]
    upload = SimpleUploadedFile("missing.csv", ",".join(header).encode() + b"\r\n", "text/csv")
    page = client.post("/feeds/import/", {"feed_type": "missing_episode", "file": upload})
    assert ("The file has missing columns: person_postcode; repeated columns: "
            "person_given_name.") in page.content.decode()


def test_a_file_without_its_header_row_says_so_and_echoes_none_of_its_first_row():
    # Exported without headings, the first row (a child's record) was listed back as
    # "unknown columns: row-1, S1, ..., Jayden, Smith", after every column as missing.
    content = csv_bytes([row(1, summary="Jayden Smith was seen"), row(2)])
    content = content.split(b"\r\n", 1)[1]
    with pytest.raises(HeaderError) as refused:
        import_bytes(content)
    assert str(refused.value).startswith(
        "has none of the feed's columns in its first row, which must be the header (as in "
        "the feed's template): missing columns: idempotency_key, ")
    assert "Jayden" not in str(refused.value) and "unknown" not in str(refused.value)
    assert not InboxMessage.objects.exists()


@pytest.mark.parametrize("name", ["feed.csv", "feed.xlsx"])
def test_an_excel_error_in_a_cell_quarantines_its_row_naming_the_field(name):
    # A failed lookup's "#N/A" was stored as the value: a child named "#N/A", a place
    # called "#REF!".
    rows = [row(1, place_name="#REF!"), row(2), row(3, summary="#N/A")]
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    batch = import_bytes(content, name)
    assert counts(batch) == (3, 1, 2, 0)
    assert problems(batch) == [
        (2, "place_name", "is an Excel error (#REF!): send the value, or leave the cell empty"),
        (4, "summary", "is an Excel error (#N/A): send the value, or leave the cell empty")]

# --- dates and numbers as people type them into a spreadsheet -------------------------------

@pytest.mark.parametrize("written", [
    "3 Apr 2026 11:00", "03-Apr-2026 11:00", "Friday 3 April 2026 11:00", "3rd April 2026 11am",
    "3/4/2026 11:00:00 AM", "03.04.2026 11:00", "46115.4583333333",
], ids=["short month", "excel dd-mmm-yyyy", "weekday and month", "ordinal, 12-hour",
        "12-hour with seconds", "dotted", "serial kept as text"])
def test_a_date_written_the_ways_people_write_it_is_read_in_london_time(written):
    batch = import_bytes(csv_bytes([row(1, occurred_at=written)]))
    assert counts(batch) == (1, 1, 0, 0), problems(batch)
    assert EVENTS.get().occurred_at == dt.datetime(2026, 4, 3, 10, 0, tzinfo=dt.UTC)


def test_twelve_thirty_am_is_half_past_midnight_and_pm_is_after_noon():
    batch = import_bytes(csv_bytes([row(1, occurred_at="20/11/2026 12:30 am"),
                                    row(2, occurred_at="20/11/2026 12:30 pm")]))
    when = dict(EVENTS.values_list("source_reference", "occurred_at"))
    assert counts(batch) == (2, 2, 0, 0)
    assert when["S1"] == dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.UTC)
    assert when["S2"] == dt.datetime(2026, 11, 20, 12, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("written, words", [
    ("11/20/2026 10:00", "reads only month first (the American way): write it day first"),
    ("20/11/26 10:00", "has a two-digit year, so its century cannot be told"),
    ("31/02/2026 10:00", "is not a real date or time"),
    ("20/11/2026 13:00 pm", "is not a real date or time"),
    ("last Tuesday", "is not a date we can read: write it day first, as 20/11/2026 21:30"),
    ("1999", "is not a date we can read"),
], ids=["month first", "two-digit year", "no such day", "13 pm", "words", "a year alone"])
def test_a_date_that_cannot_be_read_is_quarantined_saying_how_to_write_it(written, words):
    batch = import_bytes(csv_bytes([row(1, occurred_at=written), row(2)]))
    assert counts(batch) == (2, 1, 1, 0)
    [(number, field, reason)] = problems(batch)
    assert (number, field) == (2, "occurred_at")
    assert reason.startswith(words)
    assert written not in reason  # a date of birth is never echoed into the error list


def test_a_person_s_date_of_birth_exported_at_midnight_and_a_spaced_nhs_number_are_read():
    person = {"person_source_id": "P1", "person_role": "subject", "person_given_name": "Ama",
              "person_family_name": "Osei", "person_date_of_birth": "2011-05-03 00:00:00",
              "person_nhs_number": "943 476 5919"}
    batch = import_bytes(csv_bytes([row(1, **person),
                                    row(2, **{**person, "person_nhs_number": "943-476-5919"})]))
    assert counts(batch) == (2, 2, 0, 0), problems(batch)


@pytest.mark.parametrize("value, field, words", [
    ({"person_nhs_number": "94347659"}, "person_nhs_number", "is not an NHS number: it must be 10"),
    ({"person_nhs_number": "943 476 5918"}, "person_nhs_number", "is not a valid NHS number"),
    ({"person_date_of_birth": "05/13/2011"}, "person_date_of_birth", "reads only month first"),
    ({"person_date_of_birth": "3/5/2011 14:00"}, "person_date_of_birth", "is a date, not a"),
], ids=["short NHS number", "check digit", "month-first birth date", "birth date and time"])
def test_a_person_field_that_cannot_be_read_is_named_as_the_file_s_column(value, field, words):
    person = {"person_source_id": "P1", "person_role": "subject", "person_given_name": "Ama",
              "person_family_name": "Osei", "person_date_of_birth": "03/05/2011", **value}
    batch = import_bytes(csv_bytes([row(1, **person)]))
    assert counts(batch) == (1, 0, 1, 0)
    [(number, named, reason)] = problems(batch)
    assert (number, named) == (2, field) and reason.startswith(words), reason
