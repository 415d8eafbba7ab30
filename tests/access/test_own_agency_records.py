"""An agency sees its own records of a child it works with; another agency's only under an
agreement in force. Reported on the tour: "the housing officer cannot see their own agency's
housing reports on the child's page". The policy grants a user's own agency every category
(`rules.grants_for`); what was missing was not a grant but a place: the child's pathway
lists only the records that count as signs of risk ("What is known"), and a housing report is
not one of them. The housing officer reads them on the child's record and chronology; this
pins that, and that another agency's record stays hidden without an agreement."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.access import policy
from saferoptions.core.models import AgencyKind, Role
from saferoptions.events.models import Event
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, LocalityFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2026, 5, 28, 19, 48, tzinfo=dt.UTC)


@pytest.fixture
def world():
    housing = AgencyFactory(kind=AgencyKind.HOUSING, name="City Housing")
    police = AgencyFactory(kind=AgencyKind.POLICE, name="City Police")
    school = AgencyFactory(kind=AgencyKind.EDUCATION, name="City Schools")
    officer = UserFactory(username="housing", role=Role.HOUSING_OFFICER, agency=housing)
    child = PersonFactory(given_name="Colin", family_name="Skinner", locality=LocalityFactory())
    IdentityFactory(person=child, agency=housing)
    TeamMemberFactory(person=child, user=officer, role="member")
    own = EventFactory(event_type="housing_report", category="exploitation",
                       reporting_agency=housing, occurred_at=WHEN, source_reference="HSG1")
    theirs = EventFactory(event_type="police_incident", reporting_agency=police,
                          occurred_at=WHEN, source_reference="POL1")
    shared = EventFactory(event_type="school_incident", category="exclusion",
                          reporting_agency=school, occurred_at=WHEN, source_reference="SCH1")
    for event in (own, theirs, shared):
        InvolvementFactory(person=child, event=event)
    # Schools share their incidents with housing; the police share nothing with housing.
    AgreementFactory(provider=school, recipient=housing, categories=["education"],
                     purposes=["direct_work"])
    return officer, child, own, theirs, shared


def test_the_policy_gives_the_housing_officer_their_own_record_and_no_unshared_one(world):
    officer, child, own, theirs, shared = world
    decision = policy.decision_for(officer, child)
    seen = set(policy.record_rows(decision, Event.objects.all()))
    assert own in seen and shared in seen and theirs not in seen
    listed = set(policy.restrict(officer, "list", Event.objects.all()))
    assert own in listed and shared in listed and theirs not in listed


def test_the_housing_officer_reads_their_housing_report_on_the_childs_record(world):
    officer, child, *_ = world
    client = Client()
    client.force_login(officer)
    for address in (f"/people/{child.public_id}/",
                    f"/cases/children/{child.public_id}/chronology/"):
        page = client.get(address).content.decode()
        assert "Housing report" in page, address
        assert "Police incident" not in page, address
    assert client.get(f"/cases/children/{child.public_id}/").status_code == 200
