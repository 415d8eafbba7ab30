"""Batch linkage of stored identities into persons, its queues, and re-running it."""

import itertools
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from saferoptions.audit.models import AuditEntry
from saferoptions.linkage.models import (
    IdentityMatch,
    LinkageModel,
    ReviewPair,
    ReviewStatus,
    UnmatchedIdentity,
)
from saferoptions.linkage.services import link_all_identities
from saferoptions.people.models import Identity, Person, Relationship

from .factories import identity_from, involvement_of, synthetic_identities

pytestmark = pytest.mark.django_db

TWIN = {"last_name": "Okafor", "dob": "2012-05-06", "postcode": "BS5 6XX",
        "address": "4 Mill Road", "sex": "F", "source": "school"}


def pairs_of(groups):
    return {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}


def snapshot():
    return (
        sorted(Identity.objects.values_list("id", "person_id")),
        sorted(Person.objects.values_list("id", "given_name", "family_name", "date_of_birth",
                                          "sex", "kind")),
        sorted(ReviewPair.objects.values_list("identity_a", "identity_b", "status",
                                              "match_weight")),
        sorted(UnmatchedIdentity.objects.values_list("identity", "reason")),
        sorted(IdentityMatch.objects.values_list("identity", "person", "model",
                                                 "match_probability")),
    )


def make_city():
    truth = synthetic_identities(people=70, seed=21)
    twins = [identity_from({**TWIN, "record_id": f"T{n}", "first_name": name})
             for n, name in enumerate(["Grace", "Chidi"])]
    loner = identity_from({"record_id": "ED1", "first_name": "Jay", "source": "health"})
    return truth, twins, loner


@pytest.fixture(scope="module")
def trained(django_db_setup, django_db_blocker):
    """Train once for the module (training is the slow part), then reuse the model version."""
    with django_db_blocker.unblock(), transaction.atomic():
        make_city()
        link_all_identities()
        model = LinkageModel.objects.values().get()
        transaction.set_rollback(True)
    return model


@pytest.fixture
def city(trained):
    found = make_city()
    LinkageModel.objects.create(**trained)
    return found


@pytest.fixture
def untrained_city():
    return make_city()


def test_identities_become_persons_that_match_the_truth(city):
    truth, _, _ = city
    involvement = involvement_of(Identity.objects.get(pk=next(iter(truth))))
    run = link_all_identities()
    linked = dict(Identity.objects.filter(pk__in=truth).values_list("id", "person_id"))
    groups, true_groups = defaultdict(list), defaultdict(list)
    for pk, person in linked.items():
        groups[person].append(pk)
        true_groups[truth[pk]].append(pk)
    found, true = pairs_of(groups), pairs_of(true_groups)
    assert len(found & true) / len(found) >= 0.97
    assert len(found & true) / len(true) >= 0.85
    involvement.refresh_from_db()
    assert involvement.person_id == linked[involvement.identity_id]
    with_identities = Person.objects.filter(identities__isnull=False).distinct()
    assert run.counts["persons"] == with_identities.count()
    assert IdentityMatch.objects.filter(model=run.model).count() >= len(linked) - 10


def test_a_tie_between_two_agency_records_joins_the_two_people_they_become(city):
    truth, _, _ = city
    first, second = list(Identity.objects.filter(pk__in=truth).order_by("pk"))[:2]
    tie = Relationship.objects.create(identity=first, other_identity=second, kind="family",
                                      detail="sibling", source=first.agency)
    run = link_all_identities()
    tie.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (tie.person_id, tie.other_id) == (first.person_id, second.person_id)
    assert tie.person_id is not None and run.counts["relationships_updated"] >= 1


def test_person_takes_the_commonest_details_and_kind_from_age(city):
    link_all_identities()
    person = Identity.objects.filter(person__isnull=False).first().person
    names = list(person.identities.values_list("family_name", flat=True))
    assert person.family_name == max(set(names), key=names.count)
    assert person.kind == "child"


def test_first_run_trains_a_model_each_run_is_audited_and_retraining_versions_it(untrained_city):
    run = link_all_identities()
    entry = AuditEntry.objects.get(object_type="linkage_run")
    assert entry.object_ids == [str(run.pk)] and entry.action == "update"
    assert entry.detail["persons"] == run.counts["persons"]
    model = LinkageModel.objects.get()
    assert model.version == 1 and set(model.thresholds) == {"auto_link", "review"}
    assert model.splink_model["comparisons"] and model.level_weights["comparisons"]["dob"]
    assert IdentityMatch.objects.filter(model=model).exists()
    assert link_all_identities(retrain=True).model.version == 2


def test_second_run_on_unchanged_data_changes_nothing(city):
    link_all_identities()
    before, persons = snapshot(), Person.objects.count()
    run = link_all_identities()
    assert snapshot() == before
    assert Person.objects.count() == persons
    assert run.counts["persons_created"] == run.counts["identities_relinked"] == 0
    assert LinkageModel.objects.count() == 1


def test_record_with_too_little_goes_to_the_unmatched_queue(city):
    _, _, loner = city
    link_all_identities()
    loner.refresh_from_db()
    assert loner.person is None
    assert "too few details" in UnmatchedIdentity.objects.get(identity=loner).reason


def test_twins_go_to_review_not_into_one_person(city):
    _, (grace, chidi), _ = city
    link_all_identities()
    grace.refresh_from_db()
    chidi.refresh_from_db()
    assert grace.person_id != chidi.person_id
    pair = ReviewPair.objects.get(identity_a=grace, identity_b=chidi)
    assert pair.status == ReviewStatus.PENDING
    assert pair.contributions["given_name"]["label"] == "different"
    assert pair.contributions["dob"]["label"] == "exact"
    assert pair.contributions["dob"]["match_weight"] > 0 > pair.contributions["given_name"][
        "match_weight"]


@pytest.mark.parametrize(("status", "together"), [(ReviewStatus.MATCH, True),
                                                  (ReviewStatus.NOT_MATCH, False)])
def test_a_reviewers_decision_holds_on_the_next_run(city, status, together):
    _, (grace, chidi), _ = city
    link_all_identities()
    ReviewPair.objects.filter(identity_a=grace, identity_b=chidi).update(status=status)
    link_all_identities()
    grace.refresh_from_db()
    chidi.refresh_from_db()
    assert (grace.person_id == chidi.person_id) is together
    assert ReviewPair.objects.get(identity_a=grace, identity_b=chidi).status == status


def test_link_identities_command_reports_the_run(city):
    out = StringIO()
    call_command("link_identities", stdout=out)
    assert out.getvalue().startswith("Linkage run ") and "model v1" in out.getvalue()
