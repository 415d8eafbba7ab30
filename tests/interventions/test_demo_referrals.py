"""The demo's past has referrals: the Hub's "referral to an intervention" decisions are made
through the referral service, and the mentoring providers accept and start some of them."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import Concern
from saferoptions.core import clock
from saferoptions.interventions.models import CapacityMonth, Referral, RiskJudgement

NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def settled(settings, tmp_path):
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command("generate_city", "--children", "300", "--seed", "2", "--ending-today",
                     stdout=out)
        call_command("bring_demo_to_life", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_hubs_referral_decisions_become_mentoring_referrals(settled):
    referrals = list(Referral.objects.select_related("programme", "referred_by"))
    assert referrals, "the demo has referrals"
    line = next(x for x in settled.splitlines() if x.startswith("Settled the past: "))
    assert f"{len(referrals)} referrals to mentoring" in line
    decided = set(Concern.objects.filter(outcome="intervention_referral")
                  .values_list("person_id", flat=True))
    for r in referrals:
        # Each follows a Hub decision for that child, with the judgement recorded first.
        assert r.person_id in decided and r.programme.name == "Community mentoring"
        assert r.referred_by.team.slug == "hub" and r.young_person_consent == "given"
        assert RiskJudgement.objects.filter(person_id=r.person_id).exists()
        assert r.failed_rules == []  # only children who fit the programme are referred
    # Made through the service: a place counted on the month's row, and an audit row each.
    held = [r for r in referrals if r.holds_place]
    assert sum(CapacityMonth.objects.values_list("taken", flat=True)) == len(held)
    audited = set()
    for ids in AuditEntry.objects.filter(object_type="intervention_referral",
                                         action="refer").values_list("object_ids", flat=True):
        audited.update(ids)
    assert {str(r.pk) for r in referrals} <= audited  # ids are kept as text
    # The providers took up the older ones; nothing starts in the future.
    assert {r.status for r in referrals} & {"accepted", "started"}
    assert all(r.started_on <= NOW.date() for r in referrals if r.started_on)
