"""The Serious Violence Duty needs-assessment table as CSV and XLSX: the suppressed table,
formula-safe, audited, and refused (404) to anyone outside the dashboards."""

import csv
import io

import openpyxl
import pytest

from saferoptions.analytics.suppression import round_table
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role

pytestmark = pytest.mark.django_db
URL = "/dashboard/violence-reduction/needs_assessment"
QUERY = {"period": "4w"}


def _shown(client):
    page = client.get("/dashboard/violence-reduction/", QUERY)
    return next(s for s in page.context["figures"] if s.figure.key == "needs_assessment")


def test_csv_and_xlsx_hold_the_same_table_as_the_page_formula_safe(client, city):
    city.here.name = "=HYPERLINK(\"http://x\")"  # a label a spreadsheet would run
    city.here.save()
    client.force_login(city.users[Role.ANALYST])
    shown = _shown(client)
    table = round_table(shown.figure.counts)  # the analyst reads aggregates: rounded
    assert shown.cells == table.cells
    assert any(not isinstance(v, int) for row in table.cells for v in row)  # small hidden
    rows = list(csv.reader(io.StringIO(client.get(f"{URL}.csv", QUERY).content.decode())))
    response = client.get(f"{URL}.xlsx", QUERY)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    width = len(shown.figure.columns)
    for found in (rows, cells):
        body = found[3:3 + len(shown.figure.rows)]
        assert [r[1:1 + width] for r in body] == [[str(v) for v in r] for r in shown.cells]
        labels = [r[0] for r in body]
        assert all(not label.startswith("=") for label in labels)
        assert "'=HYPERLINK(\"http://x\")" in labels or any(
            label.startswith("'=") for label in labels)
    exports = AuditEntry.objects.filter(action="export", object_type="dashboard")
    assert sorted(e.detail.get("format") for e in exports) == ["csv", "xlsx"]


def test_outside_the_dashboards_the_xlsx_is_not_found(client, city):
    client.force_login(city.users[Role.LEAD_WORKER])
    assert client.get(f"{URL}.xlsx", QUERY).status_code == 404
