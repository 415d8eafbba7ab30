"""Assessments, plans and NRM referrals are their author's agency's records: another agency's
team member sees them only under an agreement covering case records."""

import pytest
from django.urls import reverse

from saferoptions.cases.models import NrmReferral

from .conftest import same_page, share_case_records
from .factories import AssessmentFactory, PlanFactory

pytestmark = pytest.mark.django_db
SECRET = "Disclosed the flat above the Easton takeaway"


def _records(world):
    author = world.users["social_worker"]
    assessment = AssessmentFactory(person=world.child, worker=author, peers=SECRET)
    plan = PlanFactory(person=world.child, worker=author, outcomes=SECRET)
    referral = NrmReferral.objects.create(person=world.child, referred_on=assessment.referral_on,
                                          recorded_by=author)
    return assessment, plan, referral


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_another_agencys_case_records_are_absent_without_an_agreement(client, world):
    assessment, plan, referral = _records(world)
    lead = world.users["lead"]  # Barnardo's, in the team around the child
    for name, pk in (("cases:assessment", assessment.pk), ("cases:plan", plan.pk)):
        forbidden = _get(client, lead, name, pk)
        absent = _get(client, lead, name, pk + 1000)
        assert forbidden.status_code == absent.status_code == 404, name
        assert same_page(forbidden, absent, pk, pk + 1000)
    for name in ("cases:child", "cases:chronology"):
        body = _get(client, lead, name, world.child.public_id).content.decode()
        assert SECRET not in body and "NRM referral made" not in body, name
        assert reverse("cases:assessment", args=[assessment.pk]) not in body, name
        assert reverse("cases:nrm-decision", args=[referral.pk]) not in body, name
    client.force_login(lead)
    decided = client.post(reverse("cases:nrm-decision", args=[referral.pk]), {
        "stage": "reasonable", "outcome": "positive", "decided_on": "2026-03-02"})
    assert decided.status_code == 404


def test_an_agreement_covering_case_records_shows_them(client, world):
    assessment, plan, _ = _records(world)
    share_case_records(world)
    lead = world.users["lead"]
    assert _get(client, lead, "cases:assessment", assessment.pk).status_code == 200
    assert SECRET in _get(client, lead, "cases:plan", plan.pk).content.decode()
    chronology = _get(client, lead, "cases:chronology", world.child.public_id).content.decode()
    assert "NRM referral made" in chronology


def test_the_authors_agency_sees_its_own_records(client, world):
    assessment, _, _ = _records(world)
    author = world.users["social_worker"]
    assert _get(client, author, "cases:assessment", assessment.pk).status_code == 200
    page = _get(client, author, "cases:child", world.child.public_id).content.decode()
    assert reverse("cases:assessment", args=[assessment.pk]) in page
