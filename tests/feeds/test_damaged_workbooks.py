"""An .xlsx whose sheet XML is damaged or hostile is refused in one line, never a server error.

Found attacking the demo: a workbook whose sheet was cut short, or that declared entities (an
entity bomb, an external entity naming /etc/passwd), answered the police officer's import
with a server error, because the XML parser's ParseError was not among the errors read as
"not a readable XLSX file".
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from saferoptions.core.models import Agency, Team
from saferoptions.feeds import services
from saferoptions.feeds.flat import HeaderError, columns
from saferoptions.feeds.models import InboxMessage
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db
FEED = "missing_episode"
SHEET = "xl/worksheets/sheet1.xml"
BOMB = (b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %c "%s">' % (bytes([98 + i]), (b"&%c;" % (97 + i)) * 10)
                   for i in range(7))
        + b"]><worksheet")
XXE = b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet'


def workbook(change_sheet) -> bytes:
    """A workbook of the feed's header and one row, its sheet's XML changed as given."""
    book = openpyxl.Workbook()
    book.active.append(columns(FEED))
    book.active.append(["k1"] + [""] * (len(columns(FEED)) - 1))
    made = io.BytesIO()
    book.save(made)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change_sheet(data) if item.filename == SHEET else data)
    return out.getvalue()


DAMAGED = {
    "cut short": lambda xml: xml[: len(xml) // 2],
    "an entity bomb": lambda xml: xml.replace(b"<worksheet", BOMB, 1).replace(b">k1<", b">&h;<"),
    "an external entity": lambda xml: xml.replace(b"<worksheet", XXE, 1)
    .replace(b">k1<", b">&x;<"),
}


@pytest.mark.parametrize("damage", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_or_hostile_sheet_is_refused_as_not_a_readable_xlsx(damage):
    with pytest.raises(HeaderError, match="is not a readable XLSX file"):
        services.import_file(agency=Agency.objects.get(slug="social-care"), feed_type=FEED,
                             filename="missing.xlsx", content=workbook(damage))
    assert not InboxMessage.objects.exists()


@pytest.mark.parametrize("damage", DAMAGED.values(), ids=DAMAGED.keys())
def test_the_import_page_answers_a_damaged_sheet_with_the_reason_on_the_file(damage):
    officer = UserFactory(role="police_officer", team=Team.objects.get(slug="police-missing"))
    client = Client()
    client.force_login(officer)
    response = client.post("/feeds/import/", {
        "feed_type": FEED, "file": SimpleUploadedFile("missing.xlsx", workbook(damage))})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file is not a readable XLSX file." in page
    assert "root:" not in page  # nothing of the named file is read, let alone shown
    assert not InboxMessage.objects.exists()
