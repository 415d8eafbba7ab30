"""Information sharing agreements: proposed on a page, in force only once the DPO approves."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.access import policy
from saferoptions.access.models import InformationSharingAgreement
from saferoptions.access.partnership import ensure_partnership_agreements
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Role
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def police():
    return Agency.objects.get(slug="police")


@pytest.fixture
def social_care():
    return Agency.objects.get(slug="social-care")


@pytest.fixture
def administrator(social_care):
    return UserFactory(role=Role.SYSTEM_ADMINISTRATOR, agency=social_care, is_staff=True)


@pytest.fixture
def dpo(social_care):
    return UserFactory(role=Role.DATA_PROTECTION_OFFICER, agency=social_care)


@pytest.fixture
def reader(social_care):
    return UserFactory(role=Role.SOCIAL_WORKER, agency=social_care)


def _propose(client, police, social_care, **changes):
    form = {"name": "Police to children's social care", "provider": police.pk,
            "recipient": social_care.pk, "categories": ["police_incidents", "identity"],
            "purposes": ["direct_work"], "lawful_basis": "safeguarding",
            "starts_on": "01/01/2020", "ends_on": ""}
    form.update(changes)
    return client.post("/access/agreements/new/", form)


def _police_shared_with(reader) -> bool:
    return any(a.provider_id == Agency.objects.get(slug="police").pk
               for a in policy.agreements_for(policy.viewer_of(reader)))


def test_a_proposal_shares_nothing_until_the_dpo_approves(administrator, dpo, reader, police,
                                                          social_care):
    response = _propose(_client(administrator), police, social_care)
    assert response.status_code == 302
    agreement = InformationSharingAgreement.objects.get(name="Police to children's social care")
    assert agreement.state == "proposed" and agreement.proposed_by == administrator
    assert AuditEntry.objects.filter(actor=administrator, action="create",
                                     object_type="information_sharing_agreement").exists()
    assert not _police_shared_with(reader)

    _client(dpo).post(f"/access/agreements/{agreement.pk}/",
                      {"decision": "approve", "note": "Signed by both agencies"})
    agreement.refresh_from_db()
    assert agreement.state == "approved" and agreement.decided_by == dpo
    assert _police_shared_with(reader)
    assert AuditEntry.objects.filter(actor=dpo, action="update",
                                     object_ids=[str(agreement.pk)]).exists()


def test_only_the_dpo_approves(administrator, dpo, police, social_care):
    _propose(_client(administrator), police, social_care)
    agreement = InformationSharingAgreement.objects.get()
    page = _client(administrator).post(f"/access/agreements/{agreement.pk}/",
                                       {"decision": "approve", "note": "mine"}).content.decode()
    assert "Only the data protection officer can approve" in page
    agreement.refresh_from_db()
    assert agreement.state == "proposed"
    assert AuditEntry.objects.filter(actor=administrator, outcome="denied").exists()


def test_a_refused_agreement_shares_nothing(administrator, dpo, reader, police, social_care):
    _propose(_client(administrator), police, social_care)
    agreement = InformationSharingAgreement.objects.get()
    _client(dpo).post(f"/access/agreements/{agreement.pk}/",
                      {"decision": "refuse", "note": "No lawful basis given"})
    agreement.refresh_from_db()
    assert agreement.state == "refused" and not _police_shared_with(reader)


def test_ending_an_agreement_takes_effect_at_once(administrator, dpo, reader, police,
                                                  social_care):
    _propose(_client(administrator), police, social_care)
    agreement = InformationSharingAgreement.objects.get()
    _client(dpo).post(f"/access/agreements/{agreement.pk}/", {"decision": "approve",
                                                              "note": "Signed"})
    response = _client(administrator).post(f"/access/agreements/{agreement.pk}/end/",
                                           {"ends_on": "01/02/2021"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2021, 2, 1)
    page = _client(administrator).post(f"/access/agreements/{agreement.pk}/end/",
                                       {"ends_on": "01/02/2030"}).content.decode()
    assert "never extended" in page


def test_bad_input_names_the_field(administrator, police, social_care):
    page = _propose(_client(administrator), police, social_care, starts_on="31/02/2020",
                    categories=[], recipient=police.pk).content.decode()
    assert "Enter the start date as day/month/year" in page
    assert "Choose at least one data category" in page
    page = _propose(_client(administrator), police, police).content.decode()
    assert "An agency does not need an agreement with itself" in page
    assert not InformationSharingAgreement.objects.exists()


def test_others_get_404(reader, police, social_care):
    client = _client(reader)
    for url in ["/access/agreements/", "/access/agreements/new/"]:
        assert client.get(url).status_code == 404
    assert _propose(client, police, social_care).status_code == 404
    assert not InformationSharingAgreement.objects.exists()


def test_the_demo_partnership_agreement_is_approved():
    ensure_partnership_agreements(starts_on=dt.date(2020, 1, 1))
    assert set(InformationSharingAgreement.objects.values_list("state", flat=True)) == {
        "approved"}


def test_reading_the_list_is_audited(dpo):
    assert _client(dpo).get("/access/agreements/").status_code == 200
    assert AuditEntry.objects.filter(actor=dpo, action="list",
                                     object_type="information_sharing_agreement").exists()


def test_the_list_is_paged_and_filtered_and_audits_only_the_rows_shown(administrator, dpo,
                                                                       police):
    ensure_partnership_agreements(starts_on=dt.date(2020, 1, 1), proposed_by=administrator,
                                  decided_by=dpo)
    total = InformationSharingAgreement.objects.count()
    assert total > 50  # a partnership signs hundreds
    client = _client(dpo)
    first = client.get("/access/agreements/").content.decode()
    assert f"{total} agreements, proposals first: page 1 of {-(-total // 50)}" in first
    assert first.count('<tr class="govuk-table__row">') == 1 + 50  # the header and a page
    entry = AuditEntry.objects.filter(action="list",
                                      object_type="information_sharing_agreement").last()
    assert len(entry.object_ids) == 50
    from_police = client.get("/access/agreements/", {"provider": "police"}).content
    shown = InformationSharingAgreement.objects.filter(provider=police).count()
    assert f"{shown} agreements matching the filters".encode() in from_police
    approved = client.get("/access/agreements/", {"state": "approved", "page": 2}).content
    assert b"state=approved&amp;page=1" in approved  # the filter goes with the page
    wrong = client.get("/access/agreements/", {"provider": "atlantis"}).content
    assert b"From: &#x27;atlantis&#x27; is not one of the choices" in wrong


def test_an_agreement_names_its_categories_and_purposes_in_words(administrator, dpo, police,
                                                               social_care):
    # The DPO approving an agreement read 'police_incidents, identity' and 'direct_work'.
    _propose(_client(administrator), police, social_care)
    agreement = InformationSharingAgreement.objects.get(name="Police to children's social care")
    page = _client(dpo).get(f"/access/agreements/{agreement.pk}/").content.decode()
    assert "Identity (names, date of birth, sex), Police incidents and stop and search" in page
    assert "Direct work with the child" in page
    assert "police_incidents" not in page and "direct_work" not in page
