"""The demo partnership's agreements: what the Hub decides on, what a child's team shares for
direct work, and what data quality review needs; approved by the DPO, and the policy still the
only gate."""

import datetime as dt

import pytest
from django.core.management import call_command

from saferoptions.access import policy
from saferoptions.access.models import InformationSharingAgreement
from saferoptions.access.partnership import NEVER, ensure_partnership_agreements
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Role, Team
from saferoptions.events.models import Event
from saferoptions.linkage.selectors import visible_identity_ids
from saferoptions.people.models import Identity
from tests.cases.factories import AssessmentFactory, TeamMemberFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)


def _agency(slug):
    return Agency.objects.get(slug=slug)


def _user(role, slug, team=None):
    return UserFactory(role=role, agency=_agency(slug),
                       team=Team.objects.get(slug=team) if team else None)


def _child_with_records():
    """A child with a police incident, a stop and search, a missing episode, an ED attendance,
    a school exclusion, and a sexual exploitation report."""
    child = PersonFactory()
    made = {}
    for name, slug, event_type, category in [
        ("incident", "police", "police_incident", "violence"),
        ("stop", "police", "stop_search", "weapon"),
        ("missing", "police", "missing_episode", "missing"),
        ("ed", "hospital-ed", "ed_assault", "violence"),
        ("exclusion", "education", "school_incident", "exclusion"),
        ("cse", "police", "police_incident", "sexual_exploitation"),
    ]:
        made[name] = EventFactory(reporting_agency=_agency(slug), event_type=event_type,
                                  category=category)
        InvolvementFactory(person=child, event=made[name])
    return child, made


def _seen(user, child, *, purpose=None):
    decision = policy.decision_for(user, child, purpose=purpose)
    assert decision is not None
    return set(policy.record_rows(decision, Event.objects.all()).values_list("pk", flat=True))


@pytest.fixture
def demo(settings, tmp_path):
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    call_command("create_demo_accounts")


def test_create_demo_accounts_records_the_agreements_approved_by_the_demo_dpo_once(demo):
    agreements = InformationSharingAgreement.objects.all()
    count = agreements.count()
    assert count > 0
    assert set(agreements.values_list("state", flat=True)) == {"approved"}
    assert set(agreements.values_list("decided_by__username", flat=True)) == {
        "demo-data-protection-officer"}
    assert set(agreements.values_list("proposed_by__username", flat=True)) == {
        "demo-system-administrator"}
    call_command("create_demo_accounts")
    assert InformationSharingAgreement.objects.count() == count, "running it again adds none"
    entries = AuditEntry.objects.filter(object_type="information_sharing_agreement",
                                        action="create")
    assert entries.count() == 1 and len(entries.get().object_ids) == count


def test_no_agreement_shares_intelligence_or_reaches_roles_without_records():
    ensure_partnership_agreements(starts_on=START)
    for agreement in InformationSharingAgreement.objects.all():
        assert not NEVER & set(agreement.categories), agreement.name
        assert len(agreement.purposes) == 1, agreement.name
    for slug in ("licensing", "community", "community-safety"):
        assert not InformationSharingAgreement.objects.filter(
            recipient__slug=slug).exists(), slug


def test_the_hub_triages_with_what_each_agency_decides_on_but_no_exploitation_detail():
    child, made = _child_with_records()
    hub = _user(Role.HUB_PRACTITIONER, "social-care", "hub")
    assert _seen(hub, child) == set()  # before the agreements: the Hub's own agency only
    ensure_partnership_agreements(starts_on=START)
    expected = {made[k].pk for k in ("incident", "stop", "missing", "ed", "exclusion")}
    assert _seen(hub, child, purpose="triage") == expected


def test_a_health_practitioner_on_the_team_sees_every_agencys_records_for_direct_work():
    child, made = _child_with_records()
    nurse = _user(Role.HEALTH_PRACTITIONER, "hospital-ed", "hospital-ed")
    worker = _user(Role.SOCIAL_WORKER, "social-care", "social-care-north")
    assessment = AssessmentFactory(person=child, worker=worker)
    TeamMemberFactory(person=child, user=nurse)
    assert _seen(nurse, child) == {made["ed"].pk}
    ensure_partnership_agreements(starts_on=START)
    decision = policy.decision_for(nurse, child)
    assert _seen(nurse, child) == {e.pk for e in made.values()}
    assert list(policy.record_rows(decision, assessment.__class__.objects.all())) == [assessment]
    # The agreement opens no other child: a child whose team she is not on is not hers.
    other, _ = _child_with_records()
    assert policy.decision_for(nurse, other) is None


def test_data_quality_shares_identity_records_and_hospital_locations_with_the_hub_only():
    record = Identity.objects.create(agency=_agency("police"), source_id="P-1",
                                     given_name="Kai", family_name="Okafor")
    hub = _user(Role.HUB_PRACTITIONER, "social-care", "hub")
    assert visible_identity_ids(hub, [record.pk]) == set()
    ensure_partnership_agreements(starts_on=START)
    assert visible_identity_ids(hub, [record.pk]) == {record.pk}
    ed = EventFactory(reporting_agency=_agency("hospital-ed"), event_type="ed_assault")
    where = policy.sharing_sources_q(hub, "health", purpose="data_quality")
    assert Event.objects.filter(where, pk=ed.pk).exists()
    # Data quality never widens a child's record: no child is opened by it.
    assert not policy.restrict(hub, "view", Identity.objects.all()).exists()
    officer = _user(Role.POLICE_OFFICER, "police", "police-exploitation")
    hospital = Identity.objects.create(agency=_agency("hospital-ed"), source_id="H-1")
    assert visible_identity_ids(officer, [hospital.pk]) == set()
