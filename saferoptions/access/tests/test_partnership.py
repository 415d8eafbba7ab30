"""The demo partnership's agreement lets the Hub see partners' identity records, and no more."""

import datetime as dt

import pytest

from saferoptions.access import policy
from saferoptions.access.models import InformationSharingAgreement
from saferoptions.access.partnership import NAME, ensure_hub_agreements
from saferoptions.access.tests.factories import UserFactory
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Role, Team
from saferoptions.linkage.selectors import visible_identity_ids
from saferoptions.people.models import Identity

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)


def _hub_user(role=Role.HUB_PRACTITIONER):
    hub = Team.objects.get(slug="hub")
    return UserFactory(role=role, agency=hub.agency)


def _police_record():
    return Identity.objects.create(agency=Agency.objects.get(slug="police"), source_id="P-1",
                                   given_name="Kai", family_name="Okafor")


def test_every_other_agency_shares_identity_with_the_hub_once():
    made = ensure_hub_agreements(starts_on=START)
    hub_agency = Team.objects.get(slug="hub").agency
    assert made == Agency.objects.exclude(pk=hub_agency.pk).count()
    assert ensure_hub_agreements(starts_on=START) == 0, "running it again changes nothing"
    agreement = InformationSharingAgreement.objects.filter(name=NAME).first()
    assert agreement.categories == ["identity", "address"]
    assert set(agreement.purposes) == {"triage", "data_quality"}
    entry = AuditEntry.objects.get(object_type="information_sharing_agreement")
    assert len(entry.object_ids) == made


def test_the_hub_may_review_a_police_record_only_once_the_agreement_is_in_force():
    record = _police_record()
    reviewer = _hub_user()
    assert visible_identity_ids(reviewer, [record.pk]) == set()
    ensure_hub_agreements(starts_on=START)
    assert visible_identity_ids(reviewer, [record.pk]) == {record.pk}


def test_the_agreement_opens_no_childs_record_for_direct_work_and_nothing_for_police():
    record = _police_record()
    ensure_hub_agreements(starts_on=START)
    officer = UserFactory(role=Role.POLICE_OFFICER, agency=Agency.objects.get(slug="health"))
    assert visible_identity_ids(officer, [record.pk]) == set()
    reviewer = _hub_user()
    assert not policy.restrict(reviewer, "view", Identity.objects.all()).exists()
