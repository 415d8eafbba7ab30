"""Merging and splitting persons: everything follows, nothing is lost, and undo is exact."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from saferoptions.linkage import merges
from saferoptions.linkage.merges import MergeRefused, merge_persons, split_identities, undo_merge
from saferoptions.people.models import Identity, Person
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import AssessmentFactory, ConcernFactory, TeamMemberFactory
from tests.contexts.factories import MembershipFactory
from tests.core.factories import TeamFactory, UserFactory
from tests.events.factories import InvolvementFactory

from .factories import IdentityFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db
REASON = "Same child: school and police records agree on address and school"


@pytest.fixture
def hub():
    return UserFactory(role=Role.HUB_PRACTITIONER)


def _task(person) -> Task:
    rule, _ = TaskRule.objects.get_or_create(slug="test-rule", name="Test", task_type="review",
                                   team_slug="hub", sla_hours=24)
    return Task.objects.create(rule=rule, rule_version=1, dedupe_key=f"k{person.pk}",
                               task_type="review", team=TeamFactory(), person=person,
                               created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                               due_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))


def _record_of(person) -> dict:
    """Every row that names the person, by model field: what a merge must carry across."""
    return {
        f"{model._meta.label_lower}.{f.name}": sorted(
            model._base_manager.filter(**{f.name: person}).values_list("pk", flat=True))
        for model, f in merges.person_fields()
    }


def _full_person(nhs="9434765919"):
    person = PersonFactory()
    identity = IdentityFactory(person=person, nhs_number=nhs)
    InvolvementFactory(person=person, identity=identity)
    TeamMemberFactory(person=person)
    ConcernFactory(person=person)
    MembershipFactory(person=person)
    RelationshipFactory(identity=identity, person=person)
    _task(person)
    return person


def test_a_merge_moves_everything_and_undo_restores_exactly(hub):
    survivor, absorbed = _full_person(), _full_person()
    before = {"survivor": _record_of(survivor), "absorbed": _record_of(absorbed)}
    merge = merge_persons(actor=hub, survivor=survivor, absorbed=absorbed, reason=REASON)
    after = _record_of(survivor)
    for key, ids in before["absorbed"].items():
        assert set(ids) <= set(after[key]), key
    assert all(not ids for ids in _record_of(absorbed).values())
    absorbed.refresh_from_db()
    assert absorbed.merged_into_id == survivor.pk
    moved = merge.moved
    for key in ("people.identity.person", "events.involvement.person",
                "cases.teamaroundchildmember.person", "cases.concern.person",
                "tasks.task.person", "contexts.groupmembership.person"):
        assert moved[key] == before["absorbed"][key], key
    assert AuditEntry.objects.filter(object_type="person", detail__person_merge=merge.pk).exists()

    undo_merge(actor=hub, merge=merge, reason="Different children after all: checked with school")
    assert _record_of(survivor) == before["survivor"]
    assert _record_of(absorbed) == before["absorbed"]
    absorbed.refresh_from_db()
    assert absorbed.merged_into_id is None
    with pytest.raises(MergeRefused, match="already been undone"):
        undo_merge(actor=hub, merge=merge, reason="Trying again to undo the same thing")


def test_no_source_identity_is_ever_lost(hub):
    survivor, absorbed = _full_person(), _full_person()
    identities, people = set(Identity.objects.values_list("pk", "agency_id", "source_id")), \
        Person.objects.count()
    merge = merge_persons(actor=hub, survivor=survivor, absorbed=absorbed, reason=REASON)
    assert set(Identity.objects.values_list("pk", "agency_id", "source_id")) == identities
    undo_merge(actor=hub, merge=merge, reason="Undone after checking the records")
    assert set(Identity.objects.values_list("pk", "agency_id", "source_id")) == identities
    assert Person.objects.count() == people


def test_merging_a_person_into_themselves_is_refused(hub):
    person = _full_person()
    with pytest.raises(MergeRefused, match="themselves"):
        merge_persons(actor=hub, survivor=person, absorbed=person, reason=REASON)


def test_merging_into_an_already_merged_person_is_refused(hub):
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    merge_persons(actor=hub, survivor=a, absorbed=b, reason=REASON)
    with pytest.raises(MergeRefused, match="already been merged"):
        merge_persons(actor=hub, survivor=b, absorbed=c, reason=REASON)


def test_two_different_valid_nhs_numbers_are_two_children(hub):
    a, b = _full_person("9434765919"), _full_person("4010232137")
    with pytest.raises(MergeRefused, match="different valid NHS numbers"):
        merge_persons(actor=hub, survivor=a, absorbed=b, reason=REASON)
    b.refresh_from_db()
    assert b.merged_into_id is None


def test_an_invalid_nhs_number_is_no_obstacle(hub):
    a, b = _full_person("9434765919"), _full_person("9434765918")  # fails its check digit
    merge_persons(actor=hub, survivor=a, absorbed=b, reason=REASON)


def test_open_assessments_on_both_are_named_not_a_server_error(hub):
    a, b = PersonFactory(), PersonFactory()
    AssessmentFactory(person=a)
    AssessmentFactory(person=b)
    with pytest.raises(MergeRefused, match="one open assessment per child"):
        merge_persons(actor=hub, survivor=a, absorbed=b, reason=REASON)


def test_the_same_practitioner_in_both_teams_is_one_fact_and_stays_behind(hub):
    a, b = PersonFactory(), PersonFactory()
    member = TeamMemberFactory(person=a)
    duplicate = TeamMemberFactory(person=b, user=member.user)
    other = TeamMemberFactory(person=b)
    merge = merge_persons(actor=hub, survivor=a, absorbed=b, reason=REASON)
    duplicate.refresh_from_db(), other.refresh_from_db()
    assert (duplicate.person_id, other.person_id) == (b.pk, a.pk)
    assert merge.moved["cases.teamaroundchildmember.person"] == [other.pk]
    undo_merge(actor=hub, merge=merge, reason="Undone: two children after all")
    other.refresh_from_db()
    assert other.person_id == b.pk


def test_the_same_group_on_both_is_one_fact_and_stays_behind(hub):
    a, b = PersonFactory(), PersonFactory()
    mine = MembershipFactory(person=a)
    theirs = MembershipFactory(person=b, group=mine.group)
    merge_persons(actor=hub, survivor=a, absorbed=b, reason=REASON)
    theirs.refresh_from_db()
    assert theirs.person_id == b.pk


def test_a_reason_is_required(hub):
    with pytest.raises(MergeRefused, match="reason"):
        merge_persons(actor=hub, survivor=PersonFactory(), absorbed=PersonFactory(), reason=" ")


def test_a_split_moves_the_chosen_identities_and_what_hangs_on_them(hub):
    person = PersonFactory()
    keep = IdentityFactory(person=person)
    go = IdentityFactory(person=person, given_name="Kai", family_name="Other")
    kept_event = InvolvementFactory(person=person, identity=keep)
    moved_event = InvolvementFactory(person=person, identity=go)
    concern = ConcernFactory(person=person)
    split = split_identities(actor=hub, person=person, identities=[go], reason=REASON)
    new = split.to_person
    go.refresh_from_db(), keep.refresh_from_db(), moved_event.refresh_from_db()
    kept_event.refresh_from_db(), concern.refresh_from_db()
    assert (go.person_id, moved_event.person_id) == (new.pk, new.pk)
    assert (keep.person_id, kept_event.person_id, concern.person_id) == (person.pk,) * 3
    assert (new.given_name, new.family_name) == ("Kai", "Other")

    undo_merge(actor=hub, merge=split, reason="It was the same child after all")
    go.refresh_from_db(), moved_event.refresh_from_db(), new.refresh_from_db()
    assert (go.person_id, moved_event.person_id) == (person.pk, person.pk)
    assert new.merged_into_id == person.pk


@pytest.mark.parametrize("which", ["none", "all", "someone_elses"])
def test_a_split_must_leave_something_and_take_only_this_persons_records(hub, which):
    person = PersonFactory()
    mine = [IdentityFactory(person=person), IdentityFactory(person=person)]
    chosen = {"none": [], "all": mine, "someone_elses": [IdentityFactory()]}[which]
    with pytest.raises(MergeRefused):
        split_identities(actor=hub, person=person, identities=chosen, reason=REASON)
    assert Identity.objects.filter(person=person).count() == 2
