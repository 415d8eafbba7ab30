"""Legal holds block disposal; disposal removes personal data and leaves only a tombstone."""

import datetime as dt

import pytest
from django.core import serializers

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.governance import services
from saferoptions.governance.models import DisposalTombstone
from saferoptions.governance.selectors import records_due_for_review
from saferoptions.people.models import Identity, Person, Relationship
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

CANARY = {"given_name": "Zebedee", "family_name": "Quartermaine"}


@pytest.fixture
def dpo():
    return UserFactory(dpo=True)


@pytest.fixture
def child():
    person = PersonFactory(**CANARY, date_of_birth=dt.date(2001, 6, 1), kind="child")
    identity = IdentityFactory(person=person)
    event = EventFactory()
    InvolvementFactory(event=event, person=person, identity=identity)
    InvolvementFactory(event=event)  # someone else at the same event stays
    RelationshipFactory(identity=identity)
    return person


def test_disposal_removes_the_person_and_leaves_a_tombstone_without_personal_values(dpo, child):
    tombstone = services.dispose_person(actor=dpo, person_id=child.pk)
    assert not Person.objects.filter(pk=child.pk).exists()
    assert not Identity.objects.filter(person_id=child.pk).exists()
    assert not Involvement.objects.filter(person_id=child.pk).exists()
    assert Event.objects.count() == 1 and Involvement.objects.count() == 1
    assert Relationship.objects.count() == 0
    counts = dict(tombstone.removed)
    assert {kind: counts.pop(kind) for kind in ("relationships", "involvements", "identities",
                                                 "people")} == {
        "relationships": 1,
        "involvements": 1,
        "identities": 1,
        "people": 1,
    }
    assert not any(counts.values())  # nothing else held or named the child
    assert (tombstone.record_id, tombstone.category, tombstone.disposed_by) == (
        child.pk,
        "child",
        dpo,
    )
    assert "25" in tombstone.rule_summary
    stored = serializers.serialize("json", DisposalTombstone.objects.all())
    assert CANARY["given_name"] not in stored and CANARY["family_name"] not in stored
    assert "2001-06-01" not in stored


def test_disposal_is_audited(dpo, child):
    tombstone = services.dispose_person(actor=dpo, person_id=child.pk)
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.object_ids == [str(child.pk)] and entry.detail["tombstone"] == tombstone.pk
    assert entry.actor == dpo and entry.outcome == "ok"


def test_a_legal_hold_blocks_disposal_and_the_refusal_is_audited(dpo, child):
    services.place_legal_hold(actor=dpo, person_id=child.pk, reason="Inquiry INQ-7")
    with pytest.raises(services.LegalHoldInPlace):
        services.dispose_person(actor=dpo, person_id=child.pk)
    assert Person.objects.filter(pk=child.pk).exists()
    assert not DisposalTombstone.objects.exists()
    refusal = AuditEntry.objects.get(action="dispose")
    assert refusal.outcome == "denied" and refusal.detail == {"reason": "legal_hold"}


def test_a_released_hold_no_longer_blocks(dpo, child):
    hold = services.place_legal_hold(actor=dpo, person_id=child.pk, reason="Inquiry INQ-7")
    services.release_legal_hold(actor=dpo, hold_id=hold.pk)
    services.dispose_person(actor=dpo, person_id=child.pk)
    assert not Person.objects.filter(pk=child.pk).exists()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "legal_hold",
        "release_hold",
        "dispose",
    ]


def test_a_hold_on_an_absorbed_record_protects_the_merged_person(dpo, child):
    absorbed = PersonFactory(merged_into=child)
    services.place_legal_hold(actor=dpo, person_id=absorbed.pk, reason="Inquiry INQ-8")
    with pytest.raises(services.LegalHoldInPlace):
        services.dispose_person(actor=dpo, person_id=child.pk)


def test_merged_records_of_the_same_person_are_disposed_together(dpo, child):
    absorbed = PersonFactory(merged_into=child)
    IdentityFactory(person=absorbed)
    tombstone = services.dispose_person(actor=dpo, person_id=child.pk)
    assert not Person.objects.filter(pk__in=[child.pk, absorbed.pk]).exists()
    assert tombstone.removed["people"] == 2 and tombstone.removed["identities"] == 2


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"person_id": 999999, "reason": "x"}, "person: there is no person 999999"),
        ({"reason": "   "}, "reason: give the reason"),
    ],
)
def test_a_hold_needs_a_person_and_a_reason(dpo, child, kwargs, reason):
    with pytest.raises(services.GovernanceRefused, match=reason):
        services.place_legal_hold(actor=dpo, **{"person_id": child.pk, **kwargs})


def test_releasing_a_hold_that_is_not_active_is_refused(dpo, child):
    hold = services.place_legal_hold(actor=dpo, person_id=child.pk, reason="Inquiry INQ-7")
    services.release_legal_hold(actor=dpo, hold_id=hold.pk)
    with pytest.raises(services.GovernanceRefused, match="no active legal hold"):
        services.release_legal_hold(actor=dpo, hold_id=hold.pk)


def test_disposing_of_someone_absent_is_refused(dpo):
    with pytest.raises(services.GovernanceRefused, match="no person 424242"):
        services.dispose_person(actor=dpo, person_id=424242)


def test_records_reaching_review_are_listed_soonest_first(dpo):
    old = PersonFactory(kind="child", date_of_birth=dt.date(1990, 1, 1))
    young = PersonFactory(kind="child", date_of_birth=dt.date(2016, 6, 1))
    adult = PersonFactory(kind="adult_of_concern", date_of_birth=dt.date(1980, 1, 1))
    EventFactory()  # nobody's contact
    with clock.frozen(dt.datetime(2040, 1, 1, tzinfo=dt.UTC)):
        due = records_due_for_review()
    ids = [item.person_id for item in due]
    assert old.pk in ids and adult.pk in ids and young.pk not in ids
    assert [d.review_date for d in due] == sorted(d.review_date for d in due)


def test_a_recent_event_pushes_the_review_date_back(dpo):
    person = PersonFactory(kind="adult_of_concern", date_of_birth=dt.date(1980, 1, 1))
    InvolvementFactory(
        person=person, event=EventFactory(occurred_at=dt.datetime(2039, 6, 1, tzinfo=dt.UTC))
    )
    with clock.frozen(dt.datetime(2040, 1, 1, tzinfo=dt.UTC)):
        assert person.pk not in [d.person_id for d in records_due_for_review()]
