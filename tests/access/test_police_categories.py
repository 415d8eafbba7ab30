"""Police incidents and police intelligence are separate categories: sharing one never shares
the other, and agreements made under the old combined name keep sharing incidents only."""

import importlib

import pytest
from django.apps import apps

from saferoptions.access import policy
from saferoptions.core.models import AgencyKind, Role
from saferoptions.events.models import Event
from saferoptions.intelligence.models import IntelligenceReport, SanitisedIntelligence
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module(
    "saferoptions.access.migrations.0003_police_incidents_category")


@pytest.fixture
def world():
    police = AgencyFactory(kind=AgencyKind.POLICE)
    social_care = AgencyFactory(kind=AgencyKind.SOCIAL_CARE)
    worker = UserFactory(role=Role.SOCIAL_WORKER, agency=social_care)
    member = TeamMemberFactory(user=worker)
    incident = EventFactory(reporting_agency=police, event_type="police_incident")
    stop = EventFactory(reporting_agency=police, event_type="stop_search", category="weapon")
    for event in (incident, stop):
        InvolvementFactory(person=member.person, event=event)
    report = IntelligenceReport.objects.create(
        reference="INT-1", channel="partner", account="Seen with older men", handling_code="P",
        source_evaluation="B", intelligence_assessment="2", grading_agency=police,
        submitter_agency=police)
    sanitised = SanitisedIntelligence.objects.create(original=report, summary="Seen with adults",
                                                     written_by=worker)
    return police, social_care, worker, member.person, {incident.pk, stop.pk}, sanitised


def test_an_incidents_agreement_shows_incidents_and_stop_search_but_never_intelligence(world):
    police, social_care, worker, child, events, sanitised = world
    AgreementFactory(provider=police, recipient=social_care, categories=["police_incidents"])
    seen = set(policy.restrict(worker, "view", Event.objects.all()).values_list("pk", flat=True))
    assert seen == events
    assert not policy.restrict(worker, "view", SanitisedIntelligence.objects.all()).exists()
    decision = policy.decision_for(worker, child)
    assert set(policy.record_rows(decision, Event.objects.all()).values_list("pk", flat=True)) \
        == events
    assert decision.grants.by_source[police.pk] == {"police_incidents"}
    # The same item is shared once an agreement names intelligence: the check above can fail.
    AgreementFactory(provider=police, recipient=social_care, categories=["intelligence"])
    assert list(policy.restrict(worker, "view", SanitisedIntelligence.objects.all())) == [
        sanitised]


def test_a_police_intelligence_agreement_shows_no_incident(world):
    police, social_care, worker, child, _, _ = world
    AgreementFactory(provider=police, recipient=social_care, categories=["police_intelligence"])
    assert not policy.restrict(worker, "view", Event.objects.all()).exists()
    assert not policy.record_rows(policy.decision_for(worker, child),
                                  Event.objects.all()).exists()


def test_the_migration_turns_the_old_combined_category_into_incidents_only(world):
    police, social_care, worker, _, events, _ = world
    old = AgreementFactory(provider=police, recipient=social_care,
                           categories=["identity", "police_intelligence"])
    untouched = AgreementFactory(provider=police, recipient=social_care, categories=["health"])
    MIGRATION.forwards(apps, None)
    old.refresh_from_db()
    untouched.refresh_from_db()
    assert old.categories == ["identity", "police_incidents"]
    assert untouched.categories == ["health"]
    seen = set(policy.restrict(worker, "view", Event.objects.all()).values_list("pk", flat=True))
    assert seen == events, "what the agreement shared before, it shares still"
    MIGRATION.backwards(apps, None)
    old.refresh_from_db()
    assert old.categories == ["identity", "police_intelligence"]


def test_renaming_keeps_one_of_each_category():
    assert MIGRATION.renamed(["police_incidents", "police_intelligence"],
                             "police_intelligence", "police_incidents") == ["police_incidents"]
    assert MIGRATION.renamed(["health"], "police_intelligence", "police_incidents") == ["health"]
