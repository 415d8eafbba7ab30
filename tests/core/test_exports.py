"""Export cells never start like a spreadsheet formula; numbers, dates and plain text are kept."""

import csv
import datetime as dt
import io
import uuid

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.core.exports import FORMULA_LEADS, csv_writer, safe_cell, xlsx_bytes

# What a partner's system (or an attacker's form entry) might send as a name or reference.
FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A9)", "=HYPERLINK(\"http://x\",\"y\")",
            "\t=1+1", "\r=1+1", "|calc", "%0A=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_leading_text_is_written_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ashanti", "O'Neil", "2010-03-04", "BS1 1AA", "", "a=b",
                                   12, -3, 0.25, dt.date(2010, 3, 4), None, True])
def test_ordinary_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_other_objects_are_written_as_their_text_and_checked_too():
    reference = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert safe_cell(reference) == str(reference)

    class Shouting:
        def __str__(self):
            return "=1+1"

    assert safe_cell(Shouting()) == "'=1+1"


def test_an_aware_time_is_written_as_iso_text():
    moment = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
    assert safe_cell(moment) == "2026-03-04T09:30:00+00:00"


@given(st.text())
def test_no_text_cell_starts_like_a_formula(text):
    assert not safe_cell(text).startswith(FORMULA_LEADS)


def test_the_csv_writer_neutralises_every_formula_cell():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["name", "count"])
    writer.writerows([[text, -5] for text in FORMULAS])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in FORMULAS]
    assert {row[1] for row in rows[1:]} == {"-5"}  # a real number stays a number


def test_the_workbook_holds_text_where_formulas_were_sent():
    content = xlsx_bytes(["reference", "name", "born"],
                         [[str(n), text, dt.date(2010, 3, 4)] for n, text in enumerate(FORMULAS)],
                         title="People")
    sheet = openpyxl.load_workbook(io.BytesIO(content), data_only=False)["People"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)  # no formula cell at all
    # XML keeps a carriage return as a line feed; the apostrophe is what matters.
    assert [cell.value for cell in cells] == [("'" + text).replace("\r", "\n") for text in FORMULAS]
    assert sheet.cell(row=2, column=3).value == dt.datetime(2010, 3, 4)
