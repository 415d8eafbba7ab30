"""A person's names, date of birth and sex show only where the policy grants identity.

A reader whose agreement gives them a child (on the team around them) but not the identity
category of the agency that holds the child's record sees the child in the list, the CSV and
the API as a reference and a kind only: the same as a child whose names nobody recorded.
"""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from saferoptions.core.models import AgencyKind, Role
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory

from .factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db

BORN = dt.date(2011, 3, 4)


@pytest.fixture
def reader_without_identity():
    """A Barnardo's worker on the child's team; the police share incidents, not identity."""
    police = AgencyFactory(kind=AgencyKind.POLICE)
    barnardos = AgencyFactory(kind=AgencyKind.BARNARDOS)
    reader = UserFactory(role=Role.LEAD_WORKER, agency=barnardos)
    child = PersonFactory(given_name="Amara", family_name="Okafor", date_of_birth=BORN,
                          sex="F")
    IdentityFactory(person=child, agency=police, date_of_birth=BORN, sex="F")
    TeamMemberFactory(person=child, user=reader, started_on=dt.date(2020, 1, 1))
    AgreementFactory(provider=police, recipient=barnardos, categories=["police_incidents"],
                     purposes=["direct_work", "triage"])
    return reader, child, police, barnardos


def _identity_shared(police, barnardos):
    AgreementFactory(provider=police, recipient=barnardos, categories=["identity"],
                     purposes=["direct_work", "triage"])


def test_the_list_hides_names_and_date_of_birth_without_the_identity_category(
        client, reader_without_identity):
    reader, child, *_ = reader_without_identity
    client.force_login(reader)
    page = client.get(reverse("people:search")).content.decode()
    assert str(child.public_id) in page
    assert "Okafor" not in page and "Amara" not in page
    assert "4 March 2011" not in page


def test_searching_a_hidden_name_finds_nobody(client, reader_without_identity):
    reader, child, *_ = reader_without_identity
    client.force_login(reader)
    # Otherwise a search would confirm the name the list hides.
    page = client.get(reverse("people:search"), {"q": "Okafor"}).content.decode()
    assert str(child.public_id) not in page
    assert client.get(reverse("people-api:list"), {"q": "Okafor"}).json()["total"] == 0


def test_the_csv_hides_them_the_same(client, reader_without_identity):
    reader, child, *_ = reader_without_identity
    client.force_login(reader)
    rows = list(csv.DictReader(io.StringIO(
        client.get(reverse("people:export")).content.decode())))
    assert rows == [{"reference": str(child.public_id), "given_name": "", "family_name": "",
                     "date_of_birth": "", "kind": "child"}]


def test_the_api_hides_them_the_same(client, reader_without_identity):
    reader, child, *_ = reader_without_identity
    client.force_login(reader)
    listed = client.get(reverse("people-api:list")).json()["results"]
    assert listed == [{"reference": str(child.public_id), "given_name": "",
                       "family_name": "", "date_of_birth": None, "kind": "child"}]
    one = client.get(reverse("people-api:detail", args=[child.public_id])).json()
    assert (one["given_name"], one["family_name"], one["date_of_birth"]) == ("", "", None)
    assert one["identities"] == []


def test_the_child_page_hides_them_the_same(client, reader_without_identity):
    reader, child, *_ = reader_without_identity
    client.force_login(reader)
    page = client.get(reverse("people:detail", args=[child.public_id])).content.decode()
    assert "Okafor" not in page and "Amara" not in page
    assert "4 March 2011" not in page and "Female" not in page


def test_with_the_identity_category_they_show_everywhere(client, reader_without_identity):
    reader, child, police, barnardos = reader_without_identity
    _identity_shared(police, barnardos)
    client.force_login(reader)
    assert "4 March 2011" in client.get(reverse("people:search"), {"q": "okafor"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(
        client.get(reverse("people:export")).content.decode())))
    assert rows[0]["date_of_birth"] == "2011-03-04"
    assert client.get(reverse("people-api:list")).json()["results"][0]["family_name"] == "Okafor"
    page = client.get(reverse("people:detail", args=[child.public_id])).content.decode()
    assert "Okafor" in page and "4 March 2011" in page
