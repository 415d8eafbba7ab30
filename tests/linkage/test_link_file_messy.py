"""`link-file` on spreadsheets as analysts really save them: it links them, or stops in one line.

Every input row comes back in OUT (linked, or as its own person) or in the rejects file the
summary names; a file it cannot read at all is one line naming the problem, exit status 1.
"""

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferoptions.linkage import file_fields, file_outputs, linkfile, spreadsheet, synthetic
from saferoptions.linkage.spreadsheet import BadFile

from .test_link_file import COLUMNS, read_csv

TODAY = dt.date(2026, 6, 1)
IRISH = [("Zoë", "Ó Briain"), ("Siobhán", "Ní Bhriain"), ("Seán", "Müller")]


def records(people=40, seed=7):
    return synthetic.generate(people=people, seed=seed, today=TODAY)


def as_text(rows, columns=COLUMNS, *, delimiter=",", newline="\r\n", header=None):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header or columns)
    writer.writerows([r.get(c, "") for c in columns] for r in rows)
    return out.getvalue()


def irish_rows():
    rows = [{"record_id": f"r{n}", "first_name": first, "last_name": last,
             "dob": "2010-03-04"} for n, (first, last) in enumerate(IRISH)]
    return rows, ["record_id", "first_name", "last_name", "dob"]


def run_plain(args, cwd):
    # Nothing but PATH and HOME: no DJANGO_SECRET_KEY, no settings module, no database.
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", "import sys; from saferoptions.cli import main; sys.exit(main())",
         "link-file", *map(str, args)],
        cwd=cwd, env={"PATH": os.environ.get("PATH", ""), "HOME": str(cwd)},
        capture_output=True, text=True, check=False, timeout=300)


def every_row_accounted_for(out, rejects, ids):
    back = [r["record_id"] for r in read_csv(out)]
    rejected = [r["row"] for r in read_csv(rejects)] if rejects.exists() else []
    assert len(back) + len(rejected) == len(ids)
    return back, rejected


# Reading: encodings, separators, line endings, quoting.

@pytest.mark.parametrize(("codec", "note"), [
    ("utf-8", None), ("utf-8-sig", None), ("cp1252", "read as Windows-1252"),
    ("latin-1", "read as Windows-1252"), ("utf-16", "read as UTF-16"),
    ("utf-16-le", "read as UTF-16"), ("utf-16-be", "read as UTF-16")])
def test_names_survive_every_encoding_a_spreadsheet_is_saved_in(tmp_path, codec, note):
    rows, columns = irish_rows()
    path = tmp_path / "in.csv"
    path.write_bytes(as_text(rows, columns).encode(codec))
    sheet = spreadsheet.read(path)
    assert [(r["first_name"], r["last_name"]) for r in sheet.rows] == IRISH
    assert sheet.rows[0]["record_id"] == "r0"  # no byte-order mark left on the first heading
    assert (note in sheet.notes) if note else not sheet.notes


def test_a_file_pasted_together_from_utf8_and_windows_lines_keeps_both(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes("record_id,first_name,last_name\r\n1,Zoë,Ó Briain\r\n".encode()
                     + "2,Siobhán,Ní Bhriain\r\n".encode("cp1252"))
    sheet = spreadsheet.read(path)
    assert [(r["first_name"], r["last_name"]) for r in sheet.rows] == IRISH[:2]
    assert "read as UTF-8 (1 line Windows-1252)" in sheet.notes


def test_heading_rows_repeated_where_exports_were_pasted_together_are_not_records(tmp_path):
    given = records(people=10)
    text = as_text(given[:15]) + as_text(given[15:])  # the second with its headings again
    path = tmp_path / "in.csv"
    path.write_text(text)
    sheet = spreadsheet.read(path)
    assert [r["record_id"] for r in sheet.rows] == [r["record_id"] for r in given]
    assert "1 repeated heading row skipped" in sheet.notes and not sheet.rejects


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_any_separator_and_line_ending(tmp_path, delimiter, newline):
    given = records(people=10)
    path = tmp_path / "in.csv"
    path.write_text(as_text(given, delimiter=delimiter, newline=newline), encoding="utf-8")
    sheet = spreadsheet.read(path)
    assert [r["record_id"] for r in sheet.rows] == [r["record_id"] for r in given]
    assert [r["postcode"] for r in sheet.rows] == [r["postcode"] for r in given]
    assert not sheet.rejects


def test_excels_sep_line_names_the_separator(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("sep=;\r\n" + as_text(records(people=5), delimiter=";"))
    sheet = spreadsheet.read(path)
    assert len(sheet.rows) == len(records(people=5)) and sheet.rows[0]["record_id"]
    assert "values separated by semicolons" in sheet.notes


def test_quoted_values_keep_their_commas_and_line_breaks(tmp_path):
    given = records(people=10)
    for r in given[::2]:
        r["address"] = f'{r["address"]},\nBristol, "Avon"'
    path = tmp_path / "in.csv"
    path.write_text(as_text(given), encoding="utf-8")
    sheet = spreadsheet.read(path)
    assert len(sheet.rows) == len(given)
    assert sheet.rows[0]["address"] == given[0]["address"]


def test_an_unclosed_quote_stops_with_its_row_not_a_lost_file(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('record_id,first_name,last_name\n1,Amy,Jones\n2,"Jay,Smith\n3,Ola,Nowak\n')
    with pytest.raises(BadFile, match=r"row 3: a quoted value opened there is never closed"):
        spreadsheet.read(path)


def test_a_stray_quote_inside_a_value_is_read_as_text(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('record_id,first_name,last_name\n1,"Jack" Jo,Jones\n2,Amy,O"Neil\n')
    sheet = spreadsheet.read(path)
    assert [r["last_name"] for r in sheet.rows] == ["Jones", 'O"Neil']


def test_blank_lines_empty_rows_and_trailing_empty_columns_are_not_records(tmp_path):
    text = as_text(records(people=5), COLUMNS + ["", ""], header=[*COLUMNS, "", ""])
    text = "\r\n" + text.replace("\r\n", "\r\n\r\n,,,,,,\r\n", 3) + ",,,,,,,,,,,,\r\n  \r\n"
    path = tmp_path / "in.csv"
    path.write_text(text)
    sheet = spreadsheet.read(path)
    assert len(sheet.rows) == len(records(people=5)) and not sheet.rejects


def test_title_lines_above_the_headings_are_skipped(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("Children known to services,,\nExported 01/06/2026,,\n,,\n"
                    + as_text(records(people=5)))
    sheet = spreadsheet.read(path)
    assert len(sheet.rows) == len(records(people=5))
    assert "2 lines above the headings skipped" in sheet.notes


# Headings.

def test_headings_in_other_words_case_and_spacing(tmp_path):
    header = ["Record ID", "First Name", "surname ", "DOB", "Gender", "Post Code",
              "Address Line 1", "Address Line 2", "Phone Number", "NHS No", "Notes"]
    path = tmp_path / "in.csv"
    path.write_text(as_text([], header=header) + "7,Amy,Jones,2010-03-04,F,BS1 1AA,"
                    "1 Mill Road,Easton,0117 496 0123,,likes football\n")
    sheet = spreadsheet.read(path)
    assert sheet.used == {"record_id": ["Record ID"], "first_name": ["First Name"],
                          "last_name": ["surname"], "dob": ["DOB"], "sex": ["Gender"],
                          "postcode": ["Post Code"],
                          "address": ["Address Line 1", "Address Line 2"],
                          "phone": ["Phone Number"], "nhs_number": ["NHS No"]}
    assert sheet.rows[0]["address"] == "1 Mill Road Easton"


def test_headings_with_whose_and_notes(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("Client ID,Child's Forename(s),Child Surname,DOB (dd/mm/yyyy),"
                    "YP Post Code [home],Student Number\n1,Amy,Jones,04/03/2010,BS1 1AA,77\n")
    assert spreadsheet.read(path).used == {
        "record_id": ["Client ID"], "first_name": ["Child's Forename(s)"],
        "last_name": ["Child Surname"], "dob": ["DOB (dd/mm/yyyy)"],
        "postcode": ["YP Post Code [home]"]}


def test_a_whole_name_in_one_column_is_split(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('ID,Name,DOB\n1,"Jones, Amy",2010-03-04\n2,Amy Louise Jones,2010-03-04\n'
                    "3,Jones,2010-03-04\n4,Mrs. Amy Jones,2010-03-04\n5,\"Jones, Miss Amy\",\n")
    rows = spreadsheet.read(path).rows
    assert [(r["first_name"], r["last_name"]) for r in rows] == [
        ("Amy", "Jones"), ("Amy", "Jones"), ("", "Jones"), ("Amy", "Jones"), ("Amy", "Jones")]


def test_two_headings_for_one_field_stop_and_say_which(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,Surname,Last Name,dob\n1,Jones,Jones,2010-03-04\n")
    with pytest.raises(BadFile, match="'Surname' and 'Last Name' could both be last_name"):
        spreadsheet.read(path)
    # and --columns settles it
    sheet = spreadsheet.read(path, file_fields.parse_column_map("last name=last_name"))
    assert sheet.used["last_name"] == ["Last Name"]


def test_a_column_map_naming_a_missing_heading_lists_the_headings_there_are(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("Record ID,First Name,Surname\n1,Amy,Jones\n")
    with pytest.raises(BadFile, match="has no column 'forename' named in --columns \\(its "
                                      "headings: 'Record ID', 'First Name', 'Surname'\\)"):
        spreadsheet.read(path, file_fields.parse_column_map("forename=first_name"))


def test_repeated_and_blank_headings_are_kept_apart(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("record_id,phone,,first_name,phone\n1,07700 900123,x,Amy,0117 496 0123\n")
    sheet = spreadsheet.read(path)
    assert sheet.header == ["record_id", "phone", "column 3", "first_name", "phone (2)"]
    assert sheet.rows[0]["phone"] == "07700 900123"  # the first of the two
    sheet = spreadsheet.read(path, file_fields.parse_column_map("phone (2)=phone"))
    assert sheet.rows[0]["phone"] == "0117 496 0123"


def test_twenty_irrelevant_columns_and_a_column_of_blanks_change_nothing(tmp_path):
    given = records(people=30)
    extra = [f"extra {n}" for n in range(20)]
    for r in given:
        r.update({e: f"{e} value" for e in extra}, phone="")
    plain, messy = tmp_path / "plain.csv", tmp_path / "messy.csv"
    plain.write_text(as_text(given, [c for c in COLUMNS if c != "phone"]))
    messy.write_text(as_text(given, extra[:10] + COLUMNS + extra[10:]))
    call_command("link_file", str(plain), str(tmp_path / "a.csv"), stdout=io.StringIO())
    call_command("link_file", str(messy), str(tmp_path / "b.csv"), stdout=io.StringIO())
    assert read_csv(tmp_path / "a.csv") == read_csv(tmp_path / "b.csv")


def test_no_record_id_column_names_each_record_by_its_row(tmp_path):
    given = records(people=30)
    path = tmp_path / "in.csv"
    path.write_text(as_text(given, COLUMNS[1:]))
    out = io.StringIO()
    call_command("link_file", str(path), str(tmp_path / "out.csv"), stdout=out)
    ids = [r["record_id"] for r in read_csv(tmp_path / "out.csv")]
    assert ids == [str(n) for n in range(2, len(given) + 2)]
    assert "no record_id column: each record is named by its row number" in out.getvalue()


# Rows that cannot be used: kept, with their reason, never lost.

def test_rows_it_cannot_use_go_to_a_rejects_file_the_summary_names(tmp_path):
    given = records(people=40)
    given[5]["record_id"] = given[2]["record_id"]  # a repeat
    given[8]["record_id"] = " "  # a blank
    given[11]["address"] = "x" * 300_000  # far too long to be an address
    text = as_text(given).split("\r\n")
    text[15] += ",stray,values"  # more values than headings
    text[16] += ",,,"  # trailing empty values are fine
    path = tmp_path / "in.csv"
    path.write_text("\r\n".join(text))
    out = io.StringIO()
    call_command("link_file", str(path), str(tmp_path / "out.csv"), stdout=out)
    rejects = tmp_path / "out_rejects.csv"
    back, rejected = every_row_accounted_for(tmp_path / "out.csv", rejects, given)
    assert rejected == ["7", "10", "13", "16"]
    reasons = [r["reason"] for r in read_csv(rejects)]
    assert reasons == ["row 7 repeats the record_id on row 4", "row 10 has no record_id",
                       "row 13 has 300,000 characters in address (at most 1,000 are read)",
                       "row 16 has 12 values, the headings 10"]
    assert read_csv(rejects)[0]["first_name"] == given[5]["first_name"]  # kept as it was
    assert f"4 rows cannot be linked, written with the reason to {rejects}" in out.getvalue()
    # Which rows, not only how many: an analyst finds them in Excel by their numbers.
    assert "(rows 7, 10, 13, 16; first: row 7 repeats the record_id on row 4)" in out.getvalue()


def test_rows_shorter_than_the_headings_are_counted_and_named_in_the_summary(tmp_path):
    # A line break inside an unquoted address splits a row in two: both halves were read as
    # records with their last columns empty, and nothing said so.
    text = as_text(records(people=20)).split("\r\n")
    for line in (4, 9):
        text[line] = ",".join(text[line].split(",")[:4])
    text[6] += ",,,"  # trailing empty values (Excel's separators) are no short row
    path = tmp_path / "in.csv"
    path.write_text("\r\n".join(text))
    out = io.StringIO()
    call_command("link_file", str(path), str(tmp_path / "out.csv"), stdout=out)
    assert ("note: 2 rows with fewer values than the headings (rows 5, 10): the missing values "
            "read as empty") in out.getvalue()
    assert len(read_csv(tmp_path / "out.csv")) == len(records(people=20))


def test_values_under_a_blank_or_repeated_heading_are_named_by_column_letter(tmp_path):
    # A column of values under a blank heading, or under a second "phone", was not read and
    # nothing said so: an analyst believed the second phone numbers were linked on.
    given = records(people=20)
    for r in given:
        r.update(note="seen at school", phone2=r["phone"] or "0117 496 0000")
    header = [*COLUMNS, "", "Phone"]
    path = tmp_path / "in.csv"
    path.write_text(as_text(given, [*COLUMNS, "note", "phone2"], header=header))
    out = io.StringIO()
    call_command("link_file", str(path), str(tmp_path / "out.csv"), stdout=out)
    said = out.getvalue()
    assert ("note: column K has values but no heading: not read (give it a heading, or "
            "--columns 'column 11=FIELD')") in said
    assert ("note: column L repeats the heading \u201cPhone\u201d of column I, which is read as "
            "phone: its values are not (--columns 'phone (2)=phone' reads it instead)") in said


def test_a_blank_heading_over_an_empty_column_says_nothing(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records(people=5), [*COLUMNS, "x"], header=[*COLUMNS, ""]))
    assert not [n for n in spreadsheet.read(path).notes if "column" in n]


def test_a_file_mostly_unusable_stops_instead_of_linking_a_fraction(tmp_path):
    # An "ID" that is the person's, not the record's: linking the first of each would mislead.
    given = records(people=20)
    path = tmp_path / "in.csv"
    path.write_text(as_text(given, ["true_person_key", *COLUMNS[1:]],
                            header=["ID", *COLUMNS[1:]]))
    with pytest.raises(CommandError, match=r"rows cannot be used, the first because row \d+ "
                                           r"repeats the record_id on row \d+; --row-ids"):
        call_command("link_file", str(path), str(tmp_path / "out.csv"))
    call_command("link_file", str(path), str(tmp_path / "out.csv"), row_ids=True,
                 stdout=io.StringIO())
    assert len(read_csv(tmp_path / "out.csv")) == len(given)


def test_one_row_of_one_unusable_stops(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("record_id,first_name\n,Amy\n")
    with pytest.raises(CommandError, match="1 of 1 rows cannot be used"):
        call_command("link_file", str(path), str(tmp_path / "out.csv"))


# Files that are not CSVs at all.

def _xlsx():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    return data.getvalue()


@pytest.mark.parametrize(("content", "message"), [
    (_xlsx(), "is a zip file but not a readable Excel .xlsx workbook: open it in Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50,
     "is an old Excel .xls workbook, a password-protected workbook or another Office file, "
     "not a CSV or .xlsx workbook: save it as an .xlsx workbook or as CSV"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF, not a CSV"),
    (b"<html><body><table><tr><td>record_id</td></tr></table>", "is a web page or XML"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "is an image"),
    (b"\xef\xbb\xbf\r\n", "is empty"),
    (b"\xff\xfe" + "record_id,dob\r\n".encode("utf-16-le"), "has a header but no records"),
])
def test_a_file_that_is_not_a_csv_gets_one_line(tmp_path, content, message):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(BadFile, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("?", r"\?").replace(".", r"\.")):
        spreadsheet.read(path)


def test_one_record_links_to_no_one(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records()[:1]))
    call_command("link_file", str(path), str(tmp_path / "out.csv"), stdout=io.StringIO())
    assert [r["person_id"] for r in read_csv(tmp_path / "out.csv")] == ["P1"]


def test_the_input_is_never_overwritten(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records()[:3]))
    with pytest.raises(CommandError, match="is named as an output too"):
        call_command("link_file", str(path), str(path))
    assert len(read_csv(path)) == 3
    with pytest.raises(CommandError, match="must be different files"):
        call_command("link_file", str(path), str(tmp_path / "out.csv"),
                     review=tmp_path / "out.csv")


# Values: dates, phones.

@pytest.mark.parametrize(("text", "day_first", "month_first"), [
    ("1990-03-04", "1990-03-04", "1990-03-04"),
    ("04/03/1990", "1990-03-04", "1990-04-03"),
    ("04/03/1990 00:00", "1990-03-04", "1990-04-03"),
    ("1990-03-04 00:00:00", "1990-03-04", "1990-03-04"),
    ("4 March 1990", "1990-03-04", "1990-03-04"),
    ("4th March 1990", "1990-03-04", "1990-03-04"),
    ("March 4th, 1990", "1990-03-04", "1990-03-04"),
    ("04-Mar-1990", "1990-03-04", "1990-03-04"),
    ("04-Mar-90", "1990-03-04", "1990-03-04"),
    ("32936", "1990-03-04", "1990-03-04"),  # Excel's serial for 4 March 1990
    ("04/23/1990", "1990-04-23", "1990-04-23"),
    ("13/13/1990", None, None), ("4 Marchember 1990", None, None), ("99999", None, None),
])
def test_dates_written_any_unambiguous_way(text, day_first, month_first):
    def read(**kw):
        found = file_fields.date_of_birth(text, today=TODAY, **kw)
        return found.isoformat() if found else None
    assert (read(), read(month_first=True)) == (day_first, month_first)


def test_a_file_of_us_dates_is_read_month_first_and_says_so(tmp_path):
    us = ["03/04/2010", "12/25/2011", "01/02/2012", "07/30/2009"]
    month_first, note = file_fields.date_order(us)
    assert month_first and "read month first" in note
    assert file_fields.date_order(["04/03/2010", "25/12/2011"]) == (False, None)
    mixed, note = file_fields.date_order(["04/13/2010", "25/12/2011", "01/02/2012"])
    assert not mixed and "both day first (1) and month first (1)" in note


@pytest.mark.parametrize("written", ["+44 7700 900123", "07700 900123", "07700900123",
                                     "0044 7700 900123", "+44 (0)7700 900123",
                                     "(07700) 900123"])
def test_phone_numbers_however_written(written):
    assert file_fields.phone(written) == "+447700900123"


# Formula-leading cells: neutralised in every output.

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+44123", "-Smith", "@SUM(A1)", "=1+1"]


def test_formula_leading_names_are_text_in_review_rejects_and_report(tmp_path):
    given = records(people=30)
    for r, formula in zip(given, FORMULAS, strict=False):
        r["last_name"] = formula
    given[-1]["record_id"] = given[0]["record_id"]  # a reject carrying a formula name
    given[0]["first_name"] = "=cmd|' /C calc'!A0"
    path = tmp_path / "in.csv"
    path.write_text(as_text(given))
    call_command("link_file", str(path), str(tmp_path / "out.csv"), threshold=1.0,
                 review_threshold=0.01, report=tmp_path / "report.html", stdout=io.StringIO())
    for name in ("out.csv", "out_review.csv", "out_rejects.csv"):
        with (tmp_path / name).open(newline="", encoding="utf-8-sig") as f:
            cells = [c for row in csv.reader(f) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@") and not _number(c)], name
    review = (tmp_path / "out_review.csv").read_text()
    assert "'=HYPERLINK" in review or "'-Smith" in review
    page = (tmp_path / "report.html").read_text()
    assert "=HYPERLINK(&quot;" not in page.replace("'=HYPERLINK", "")
    assert "<script" not in page


def _number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_weights_in_the_review_file_are_numbers_not_guarded_text(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records(people=40)))
    call_command("link_file", str(path), str(tmp_path / "out.csv"), threshold=1.0,
                 review_threshold=0.01, stdout=io.StringIO())
    weights = [v for row in read_csv(tmp_path / "out_review.csv")
               for k, v in row.items() if k.endswith("_weight") and v]
    assert any(w.startswith("-") for w in weights)  # a negative weight, not "'-2.7"
    assert all(_number(w) for w in weights)


# The whole command, as a tester would run it.

def test_a_messy_windows_file_end_to_end_with_no_environment(tmp_path):
    given = records(people=60)
    for r, (first, last) in zip(given, IRISH * 3, strict=False):
        r["first_name"], r["last_name"] = first, last
    given.append({**given[1], "record_id": given[0]["record_id"]})  # a repeated id: rejected
    header = ["Record ID", "Agency", "First Name", "Surname", "D.O.B.", "Sex", "Post Code",
              "Address", "Phone Number", "NHS Number"]
    path = tmp_path / "export.csv"
    path.write_bytes(as_text(given, header=header, delimiter=";").encode("cp1252"))
    out = tmp_path / "out.csv"
    done = run_plain([path, out, "--report", tmp_path / "r.html", "--review",
                      tmp_path / "unsure.csv", "--link-unsure"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "note: read as Windows-1252" in done.stdout
    assert "note: values separated by semicolons" in done.stdout
    assert "D.O.B. -> dob" in done.stdout
    assert [r["record_id"] for r in read_csv(out)] == [r["record_id"] for r in given[:-1]]
    assert "1 row cannot be linked" in done.stdout
    assert (tmp_path / "r.html").exists()
    # The review and rejects files open in Excel with their accents: UTF-8 with its mark.
    assert (tmp_path / "unsure.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rejects = (tmp_path / "out_rejects.csv").read_bytes()
    assert rejects.startswith(b"\xef\xbb\xbf") and "Siobhán" in rejects.decode("utf-8-sig")


def test_names_alone_never_stop_the_run(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records(people=40), ["record_id", "first_name", "last_name"]))
    out = io.StringIO()
    call_command("link_file", str(path), str(tmp_path / "out.csv"), stdout=out)
    assert len(read_csv(tmp_path / "out.csv")) == len(records(people=40))
    assert "every record has too few details" in out.getvalue()


@pytest.mark.parametrize(("options", "message"), [
    (["--threshold", "1.5"], "argument --threshold: 1.5 is not a probability between 0 and 1"),
    (["--date-order", "ymd"], "argument --date-order: invalid choice: 'ymd'"),
    (["--phone-region", "XX"], "--phone-region 'XX' is not a country code"),
    (["--review", "/no/such/folder/r.csv"], "there is no folder /no/such/folder"),
])
def test_a_bad_option_is_one_line_and_exit_1(tmp_path, capsys, options, message):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records(people=5)))
    assert _exit_status([str(path), str(tmp_path / "out.csv"), *options]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and err[0].startswith("CommandError: ")
    assert not (tmp_path / "out.csv").exists()


def _exit_status(argv):
    try:
        return linkfile.main(argv)
    except SystemExit as exc:  # argparse's own errors exit from inside
        return exc.code


def test_an_unexpected_failure_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    path = tmp_path / "in.csv"
    path.write_text(as_text(records(people=5)))

    def broken(*args, **kwargs):
        raise KeyError("boom")
    monkeypatch.setattr(linkfile.file_linking, "link", broken)
    assert linkfile.main([str(path), str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["CommandError: link-file stopped on an unexpected KeyError: please report "
                   "it with the command used (not the file)"]


# Property: whatever the values hold, every row written by a spreadsheet comes back as written.

_CELL = st.text(alphabet=st.characters(codec="cp1252", exclude_characters="\x00"), max_size=30)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=15),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       newline=st.sampled_from(["\r\n", "\n"]))
def test_every_row_comes_back_as_written(tmp_path, values, delimiter, codec, newline):
    rows = [{"record_id": f"id{n}", "first_name": a, "last_name": b, "town": c}
            for n, (a, b, c) in enumerate(values)]
    path = tmp_path / "in.csv"
    path.write_bytes(as_text(rows, ["record_id", "first_name", "last_name", "town"],
                             delimiter=delimiter, newline=newline).encode(codec))
    sheet = spreadsheet.read(path)
    assert not sheet.rejects
    assert [(r["record_id"], r["first_name"], r["last_name"], r["town"]) for r in sheet.rows] \
        == [(r["record_id"], *(_as_read(r[f]) for f in ("first_name", "last_name", "town")))
            for r in rows]


def _as_read(value):
    # A lone carriage return is read as a space (spreadsheet._stray_returns); ends trimmed.
    return re.sub(r"\r(?!\n)", " ", value).strip()


def test_a_lone_carriage_return_in_a_value_does_not_split_the_row(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"record_id,first_name,town\n1,Amy,Easton\r0\n2,Jay,Bristol\n")
    sheet = spreadsheet.read(path)
    assert [(r["record_id"], r["town"]) for r in sheet.rows] == [("1", "Easton 0"),
                                                                 ("2", "Bristol")]
    assert "1 stray carriage return inside values read as spaces" in sheet.notes


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.sampled_from(["1", "2", "3", "4", "5", "6", "", " "]), min_size=1,
                    max_size=12),
       extra=st.lists(st.sampled_from(["", "x", None]), min_size=12, max_size=12))
def test_every_row_is_read_or_rejected_or_the_file_refused(tmp_path, ids, extra):
    lines = ["record_id,first_name,last_name"]
    for n, (record_id, more) in enumerate(zip(ids, extra, strict=False)):
        lines.append(f"{record_id},Amy{n},Jones" + ("" if more is None else f",{more}"))
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n")
    try:
        sheet = spreadsheet.read(path)
    except BadFile as exc:
        assert "rows cannot be used" in str(exc)
        return
    assert len(sheet.rows) + len(sheet.rejects) == len(ids)
    assert len({r["record_id"] for r in sheet.rows}) == len(sheet.rows)
    assert len(sheet.rejects) <= max(spreadsheet.MOST_REJECTS, len(ids) // 10)


def test_a_row_with_more_values_than_headings_is_rejected_with_every_value(tmp_path):
    # The rejects file kept only the values under the headings: the stray ones, which show
    # where the row went wrong (a comma that should have been quoted), were lost.
    text = as_text(records(people=12)).split("\r\n")
    text[3] += ",Flat 2,stray"
    path = tmp_path / "in.csv"
    path.write_text("\r\n".join(text))
    sheet = spreadsheet.read(path)
    rejects = tmp_path / "rejects.csv"
    file_outputs.write_rejects(rejects, sheet)
    with rejects.open(encoding="utf-8-sig", newline="") as written:
        rows = list(csv.reader(written))
    assert rows[1][:2] == ["4", f"row 4 has {len(COLUMNS) + 2} values, the headings "
                           f"{len(COLUMNS)}"]
    assert rows[1][2:] == next(csv.reader([text[3]]))


def test_a_few_nul_bytes_in_a_cell_are_dropped_not_a_binary_file(tmp_path):
    # One NUL in an address (an old case system's fixed-width field) refused the whole file
    # as "a binary file, not a CSV".
    given = records(people=12)
    text = as_text(given).split("\r\n")
    text[2] = text[2].replace(given[1]["last_name"], given[1]["last_name"][:2] + "\x00"
                              + given[1]["last_name"][2:])
    path = tmp_path / "in.csv"
    path.write_bytes("\r\n".join(text).encode())
    sheet = spreadsheet.read(path)
    assert [r["last_name"] for r in sheet.rows] == [r["last_name"] for r in given]
    path.write_bytes(b"\x00\x01\x02\x03IHDR\x00\x00" * 100)
    with pytest.raises(BadFile, match="is a binary file, not a CSV"):
        spreadsheet.read(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_excel_error_in_a_cell_is_empty_not_a_value(tmp_path, suffix):
    # A failed lookup saved "#N/A": it was read as the postcode "N A", which every record
    # with a failed lookup shared, as evidence that they were one child.
    given = records(people=12)
    for r in given[:3]:
        r["postcode"] = "#N/A"
    given[3]["last_name"] = "#REF!"
    path = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        path.write_text(as_text(given))
    else:
        book = openpyxl.Workbook()
        book.active.append(COLUMNS)
        for r in given:
            book.active.append([r.get(c, "") for c in COLUMNS])
        book.save(path)
    sheet = spreadsheet.read(path)
    assert [r["postcode"] for r in sheet.rows[:3]] == ["", "", ""]
    assert sheet.rows[3]["last_name"] == ""
    assert "4 cells holding an Excel error (#N/A, #REF! ...) read as empty" in sheet.notes
