"""The people CSV export: partner text that looks like a formula reaches the file as text."""

import csv
import io

import pytest
from django.urls import reverse

from saferoptions.core.models import Role
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory

from .factories import PersonFactory

pytestmark = pytest.mark.django_db

NAMES = [("=cmd|' /C calc'!A0", "Smith"), ("+1", "Jones"), ("-1", "Khan"),
         ("@SUM(A1:A9)", "Okafor")]


def test_formula_names_from_partners_are_written_as_text(client):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    for given, family in NAMES:
        TeamMemberFactory(person=PersonFactory(given_name=given, family_name=family), user=worker)
    client.force_login(worker)
    response = client.get(reverse("people:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_family = {row["family_name"]: row["given_name"] for row in rows}
    assert by_family == {family: "'" + given for given, family in NAMES}
    # No cell of the file, whatever its column, starts a formula.
    for row in csv.reader(io.StringIO(response.content.decode())):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
