"""`link-file` on an Excel workbook as analysts keep one: the sheet of records is found and
read as Excel shows it, and links exactly as the same records saved as CSV do."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from saferoptions.linkage import spreadsheet, synthetic, workbook
from saferoptions.linkage.spreadsheet import BadFile

from .test_link_file import COLUMNS, read_csv, write_csv

TODAY = dt.date(2026, 6, 1)


def records(people=30):
    return synthetic.generate(people=people, seed=11, today=TODAY)


def cell(column, value):
    """As Excel keeps it: a full date of birth as a date cell (others, typed as text, stay
    text), an NHS number as a number."""
    if column == "dob" and len(value) == 10 and value[4] == "-":
        return dt.date.fromisoformat(value)
    if column == "nhs_number" and value and not value.startswith("0"):
        return int(value)
    return value or None


def save_book(path, given, *, title=False, notes=True, extra=None):
    book = openpyxl.Workbook()
    if notes:
        book.active.title = "Read me"
        book.active.append(["Records from the school and youth offending systems"])
        book.active.append(["Do not share"])
        sheet = book.create_sheet("Records")
    else:
        sheet = book.active
    if title:
        sheet.append(["Children known to services, 1 June 2026"])
        sheet.append([])
    sheet.append(COLUMNS)
    for r in given:
        sheet.append([cell(c, r.get(c, "")) for c in COLUMNS])
    if extra:
        extra(book)
    book.save(path)
    return path


def test_the_records_sheet_is_read_as_the_same_records_saved_as_csv_would_be(tmp_path):
    given = records()
    from_csv = spreadsheet.read(write_csv(tmp_path / "in.csv", given))
    from_book = spreadsheet.read(save_book(tmp_path / "in.xlsx", given))
    strip = [{k: v for k, v in r.items() if k != "row"} for r in from_book.rows]
    assert strip == [{k: v for k, v in r.items() if k != "row"} for r in from_csv.rows]
    assert from_book.notes == ["read sheet \u201cRecords\u201d of the workbook"]
    assert from_book.rows[0]["row"] == 2  # the row Excel shows it on


def test_a_title_above_the_headings_is_skipped_and_rows_keep_the_sheet_s_numbers(tmp_path):
    given = records(people=5)
    sheet = spreadsheet.read(save_book(tmp_path / "in.xlsx", given, title=True, notes=False))
    assert [r["record_id"] for r in sheet.rows] == [r["record_id"] for r in given]
    assert sheet.rows[0]["row"] == 4  # title on 1, a blank row 2, headings 3
    assert "1 line above the headings skipped" in sheet.notes


def test_link_file_links_a_workbook_as_it_links_the_csv(tmp_path):
    given = records()
    write_csv(tmp_path / "in.csv", given)
    save_book(tmp_path / "in.xlsx", given)
    call_command("link_file", str(tmp_path / "in.csv"), str(tmp_path / "csv_out.csv"))
    call_command("link_file", str(tmp_path / "in.xlsx"), str(tmp_path / "book_out.csv"))

    def people(path):
        groups = {}
        for r in read_csv(path):
            groups.setdefault(r["person_id"], set()).add(r["record_id"])
        return sorted(sorted(g) for g in groups.values())

    assert people(tmp_path / "book_out.csv") == people(tmp_path / "csv_out.csv")
    assert len(read_csv(tmp_path / "book_out.csv")) == len(given)


def test_two_sheets_of_records_are_named_and_sheet_chooses_one(tmp_path):
    given = records(people=5)

    def copy(book):
        other = book.create_sheet("Last year")
        for values in book["Records"].iter_rows(values_only=True):
            other.append(values)

    path = save_book(tmp_path / "in.xlsx", given, extra=copy)
    with pytest.raises(BadFile, match="has 2 sheets of person records \\(\u201cRecords\u201d, "
                                      "\u201cLast year\u201d\\): choose one with --sheet"):
        spreadsheet.read(path)
    assert len(spreadsheet.read(path, sheet_name="last YEAR").rows) == len(given)
    with pytest.raises(BadFile, match="has no sheet \u201cJune\u201d \\(its sheets: "
                                      "\u201cRead me\u201d, \u201cRecords\u201d"):
        spreadsheet.read(path, sheet_name="June")


def test_sheet_on_a_csv_says_a_csv_has_no_sheets(tmp_path):
    write_csv(tmp_path / "in.csv", records(people=3))
    with pytest.raises(CommandError, match="is a CSV file, which has no sheets"):
        call_command("link_file", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"),
                     "--sheet", "Records")


def test_a_bad_row_in_a_workbook_is_rejected_naming_its_sheet_row(tmp_path):
    given = records(people=20)

    def blank_id(book):
        book["Records"]["A5"] = None  # the fourth record loses its record_id

    save_book(tmp_path / "in.xlsx", given, extra=blank_id)
    call_command("link_file", str(tmp_path / "in.xlsx"), str(tmp_path / "out.csv"))
    [reject] = read_csv(tmp_path / "out_rejects.csv")
    assert reject["row"] == "5"
    assert len(read_csv(tmp_path / "out.csv")) == len(given) - 1


def test_hidden_rows_and_columns_are_read_and_the_summary_says_so(tmp_path):
    # Rows an analyst had hidden (or filtered out) in Excel were linked with no word: they
    # thought they had linked only what they could see.
    given = records(people=20)

    def hide(book):
        sheet = book["Records"]
        for row in (5, 9):
            sheet.row_dimensions[row].hidden = True
        sheet.column_dimensions["I"].hidden = True  # phone
        sheet.column_dimensions["B"].hidden = True  # source: not read, so not named

    save_book(tmp_path / "in.xlsx", given, extra=hide)
    out = io.StringIO()
    call_command("link_file", str(tmp_path / "in.xlsx"), str(tmp_path / "out.csv"), stdout=out)
    said = out.getvalue()
    assert ("note: 2 rows hidden in Excel (rows 5, 9) read and linked like the others "
            "(hiding a row does not take it out)") in said
    assert "note: column I (phone) hidden in Excel, read like the others" in said
    assert len(read_csv(tmp_path / "out.csv")) == len(given)


def test_merged_cells_among_the_records_are_named(tmp_path):
    # A surname merged down over a family's rows is kept in the first cell only: the rows
    # below were read with no surname, and nothing said why.
    given = records(people=20)

    def merge(book):
        book["Read me"].merge_cells("A1:D1")  # a title above: no one's records
        book["Records"].merge_cells("D5:D7")

    save_book(tmp_path / "in.xlsx", given, extra=merge)
    sheet = spreadsheet.read(tmp_path / "in.xlsx")
    assert [r["last_name"] for r in sheet.rows[3:6]] == [given[3]["last_name"], "", ""]
    assert [n for n in sheet.notes if "merged" in n] == [
        "merged cells D5:D7: Excel keeps a merged value in its first cell only, so the other "
        "rows of the merge read it as empty (unmerge and fill them in to link on it)"]


def _zip(files: dict) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return data.getvalue()


@pytest.mark.parametrize(("content", "message"), [
    (_zip({"xl/workbook.xml": "<workbook/>"}), "is a zip file but not a readable Excel .xlsx"),
    (_zip({"records.csv": "record_id,first_name\n1,Amy\n"}),
     "is a zip file but not a readable Excel .xlsx"),
    (b"PK\x03\x04" + b"\x00" * 40, "is a damaged zip file"),
], ids=["workbook parts missing", "a zip of a CSV", "cut short"])
def test_a_zip_that_is_not_a_workbook_is_one_line(tmp_path, content, message):
    path = tmp_path / "in.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadFile, match=message.replace(".", r"\.")):
        spreadsheet.read(path)


def test_a_workbook_that_would_unpack_beyond_any_list_of_people_is_refused(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(workbook, "MOST_UNPACKED_BYTES", 10_000)
    path = save_book(tmp_path / "in.xlsx", records(people=60))
    with pytest.raises(BadFile, match="unpacks to more than"):
        spreadsheet.read(path)


def test_cells_read_as_excel_shows_them():
    assert workbook.text(dt.datetime(2011, 5, 3)) == "2011-05-03"
    assert workbook.text(dt.datetime(2011, 5, 3, 14, 30)) == "2011-05-03T14:30:00"
    assert workbook.text(9434765919.0) == "9434765919"
    assert workbook.text(2.5) == "2.5"
    assert workbook.text(True) == "true" and workbook.text(None) == ""


@pytest.mark.parametrize("name", ["records.csv", "records", "Records.XLSX", "records.xls"],
                         ids=["named .csv", "no suffix", "upper case", "named .xls"])
def test_a_workbook_is_read_whatever_its_file_is_called(tmp_path, name):
    # A workbook renamed .csv (or saved by a case system with no suffix) is still a workbook:
    # it was refused as "a zip file but not a readable Excel .xlsx workbook" because openpyxl
    # goes by the name, though link-file reads every file by what it holds.
    given = records(people=5)
    saved = save_book(tmp_path / "in.xlsx", given)
    path = tmp_path / name
    path.write_bytes(saved.read_bytes())
    sheet = spreadsheet.read(path)
    assert [r["record_id"] for r in sheet.rows] == [r["record_id"] for r in given]
