"""link-file says a workbook whose sheet XML is damaged or hostile is damaged, in one line.

Found attacking the demo (the feeds' import met the same): a sheet cut short, or declaring an
entity bomb or an external entity, stopped link-file with the XML parser's traceback.
"""

import io
import zipfile

import openpyxl
import pytest

from saferoptions.linkage import workbook
from saferoptions.linkage.file_text import BadFile

SHEET = "xl/worksheets/sheet1.xml"
DAMAGED = {
    "cut short": lambda xml: xml[: len(xml) // 2],
    "an external entity": lambda xml: xml.replace(
        b"<worksheet", b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet', 1)
    .replace(b">Ann<", b">&x;<"),
}


def damaged_workbook(path, change_sheet):
    book = openpyxl.Workbook()
    book.active.append(["given_name", "family_name", "date_of_birth"])
    book.active.append(["Ann", "Smith", "01/02/2012"])
    made = io.BytesIO()
    book.save(made)
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change_sheet(data) if item.filename == SHEET else data)
    return path


@pytest.mark.parametrize("damage", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_or_hostile_sheet_is_a_bad_file_naming_the_workbook(tmp_path, damage):
    path = damaged_workbook(tmp_path / "people.xlsx", damage)
    # With defusedxml installed openpyxl refuses an entity on opening the workbook, before
    # any sheet is read; either way the one line names the workbook and what to do.
    with pytest.raises(BadFile, match="people.xlsx is (damaged|a zip file but not a readable)"):
        workbook.read(path, lambda values: "given_name" in values)
