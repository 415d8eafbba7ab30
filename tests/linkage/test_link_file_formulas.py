"""`link-file`'s output never hands a spreadsheet a formula, whatever the analyst's record ids."""

import csv

from django.core.management import call_command

from .test_link_file import COLUMNS, read_csv, write_csv

IDS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A9)"]


def test_formula_record_ids_come_back_as_text(tmp_path):
    records = [{"record_id": record_id, "source": "police", "first_name": f"Name{n}",
                "last_name": "Field", "dob": "2010-03-04", "postcode": "BS1 1AA"}
               for n, record_id in enumerate(IDS)]
    out = tmp_path / "out.csv"
    call_command("link_file", str(write_csv(tmp_path / "in.csv", records, COLUMNS)), str(out))
    assert [row["record_id"] for row in read_csv(out)] == ["'" + i for i in IDS]
    with out.open(newline="") as f:
        for row in csv.reader(f):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
