"""Review decisions on the next batch run, and feeds matching through the real-time path."""

import pytest
from django.db.models import Q

from saferoptions.feeds.mapping import upsert_identity
from saferoptions.linkage import matching, review
from saferoptions.linkage.intake import take
from saferoptions.linkage.merges import merge_persons, split_identities, undo_merge
from saferoptions.linkage.models import (
    LinkageModel,
    ReviewPair,
    ReviewStatus,
    UnmatchedIdentity,
    UnmatchedKind,
)
from saferoptions.linkage.services import link_all_identities
from saferoptions.people.models import Identity

from .factories import agency, identity_from, synthetic_identities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    matching._index.clear()
    yield
    matching._index.clear()


def _pair(a: Identity, b: Identity) -> ReviewPair:
    first, second = sorted((a, b), key=lambda i: i.pk)
    return ReviewPair.objects.create(
        identity_a=first, identity_b=second, model=LinkageModel.objects.first(),
        match_weight=0.0, match_probability=0.5, contributions={},
        created_at=LinkageModel.objects.first().created_at)


def test_a_reviewers_match_links_the_pair_on_the_next_run(hub):
    synthetic_identities(people=40, seed=3)
    alpha = identity_from({"record_id": "A1", "first_name": "Alphonse", "last_name": "Quarry",
                           "dob": "2012-01-02", "postcode": "BS3 1AA", "source": "school"})
    beta = identity_from({"record_id": "B1", "first_name": "Bertrand", "last_name": "Vane",
                          "dob": "2012-01-02", "postcode": "BS7 9ZZ", "source": "police"})
    link_all_identities()
    alpha.refresh_from_db(), beta.refresh_from_db()
    assert alpha.person_id != beta.person_id
    review.decide_pair(actor=hub, pair=_pair(alpha, beta), status=ReviewStatus.MATCH,
                       reason="Same child: known alias, confirmed by the school")
    link_all_identities()
    alpha.refresh_from_db(), beta.refresh_from_db()
    assert alpha.person_id == beta.person_id


def test_a_reviewers_not_a_match_keeps_the_pair_apart_on_the_next_run(hub):
    synthetic_identities(people=40, seed=3)
    twin = {"last_name": "Okafor", "dob": "2011-06-07", "postcode": "BS5 6XX",
            "address": "12 Mill Road", "sex": "M"}
    one = identity_from({**twin, "record_id": "T1", "first_name": "Jayden", "source": "school"})
    two = identity_from({**twin, "record_id": "T2", "first_name": "Jaydon",
                         "source": "police"})
    link_all_identities()
    one.refresh_from_db(), two.refresh_from_db()
    assert one.person_id == two.person_id  # the model thinks a nickname: one child
    review.decide_pair(actor=hub, pair=_pair(one, two), status=ReviewStatus.NOT_MATCH,
                       reason="Twins: the school knows both")
    link_all_identities()
    one.refresh_from_db(), two.refresh_from_db()
    assert one.person_id != two.person_id


def test_an_unmatched_decision_survives_the_next_run(hub):
    synthetic_identities(people=30, seed=5)
    thin = identity_from({"record_id": "THIN", "first_name": "Kai", "source": "health"})
    link_all_identities()
    waiting = UnmatchedIdentity.objects.get(identity=thin)
    review.decide_unmatched(actor=hub, unmatched=waiting, reason="A new child: the ED said so")
    thin.refresh_from_db()
    person = thin.person_id
    link_all_identities()
    thin.refresh_from_db()
    assert thin.person_id == person is not None


def _trained_city() -> Identity:
    truth = synthetic_identities(people=40, seed=3)
    link_all_identities()
    return Identity.objects.filter(pk__in=truth, person__isnull=False).exclude(
        nhs_number="").exclude(date_of_birth=None).first()


def _copy_of(known: Identity, record_id: str, **changes) -> dict:
    return {"record_id": record_id, "source": "health", "first_name": known.given_name,
            "last_name": known.family_name, "dob": known.date_of_birth.isoformat(),
            "nhs_number": known.nhs_number, "sex": known.sex, **changes}


def test_feeds_link_a_sure_match_through_the_real_time_path():
    known = _trained_city()
    arriving = identity_from(_copy_of(known, "FEED-1"))
    assert take(arriving).person.pk == known.person_id


def test_feeds_leave_an_unsure_match_in_the_review_queue():
    known = _trained_city()
    model = LinkageModel.objects.first()
    model.thresholds = {"auto_link": 1.01, "review": 0.5}  # nothing is sure enough
    model.save()
    arriving = identity_from(_copy_of(known, "FEED-2"))
    assert take(arriving).person is None
    pair = ReviewPair.objects.get(identity_b=arriving)
    assert pair.status == ReviewStatus.PENDING and pair.contributions["nhs_number"]["gamma"] > 0
    assert pair.identity_a.person_id is not None


def test_feeds_leave_a_thin_record_in_the_unmatched_queue_with_the_reason():
    _trained_city()
    person = upsert_identity(agency("health"), {"source_id": "ED-9", "given_name": "Kai"})
    assert person.person_id is None
    assert "too few details" in UnmatchedIdentity.objects.get(identity=person).reason


def test_feeds_through_the_mapping_use_the_real_time_person():
    known = _trained_city()
    identity = upsert_identity(agency("health"), {
        "source_id": "ED-10", "given_name": known.given_name.upper(),
        "family_name": known.family_name, "date_of_birth": known.date_of_birth,
        "nhs_number": known.nhs_number, "sex": known.sex})
    assert identity.person_id == known.person_id


def test_a_linked_record_is_never_its_own_candidate():
    known = _trained_city()
    assert str(known.pk) not in {str(c.identity_id) for c in matching.match_identity(known)}


def test_a_split_by_hand_survives_the_next_run_and_its_undo_too(hub):
    synthetic_identities(people=40, seed=3)
    twin = {"last_name": "Okafor", "dob": "2011-06-07", "postcode": "BS5 6XX",
            "address": "12 Mill Road", "sex": "M"}
    one = identity_from({**twin, "record_id": "T1", "first_name": "Jayden", "source": "school"})
    two = identity_from({**twin, "record_id": "T2", "first_name": "Jaydon", "source": "police"})
    link_all_identities()
    one.refresh_from_db(), two.refresh_from_db()
    split = split_identities(actor=hub, person=one.person, identities=[two],
                             reason="Twins: the school knows both of them")
    link_all_identities()
    one.refresh_from_db(), two.refresh_from_db()
    assert one.person_id != two.person_id
    undo_merge(actor=hub, merge=split, reason="Not twins: one child after all")
    assert not ReviewPair.objects.filter(identity_a=one, identity_b=two).exists()
    link_all_identities()
    one.refresh_from_db(), two.refresh_from_db()
    assert one.person_id == two.person_id


def test_a_merge_by_hand_survives_the_next_run(hub):
    synthetic_identities(people=40, seed=3)
    alpha = identity_from({"record_id": "A1", "first_name": "Alphonse", "last_name": "Quarry",
                           "dob": "2012-01-02", "postcode": "BS3 1AA", "source": "school"})
    beta = identity_from({"record_id": "B1", "first_name": "Bertrand", "last_name": "Vane",
                          "dob": "2012-01-02", "postcode": "BS7 9ZZ", "source": "police"})
    link_all_identities()
    alpha.refresh_from_db(), beta.refresh_from_db()
    merge_persons(actor=hub, survivor=alpha.person, absorbed=beta.person,
                  reason="Known alias, confirmed by the school")
    link_all_identities()
    alpha.refresh_from_db(), beta.refresh_from_db()
    assert alpha.person_id == beta.person_id


def test_an_ed_referral_by_first_name_and_postcode_waits_for_a_reviewer():
    truth = synthetic_identities(people=40, seed=3)
    link_all_identities()
    known = Identity.objects.filter(pk__in=truth, person__isnull=False).exclude(
        postcode="").exclude(address="").first()
    referral = upsert_identity(agency("health"), {
        "source_id": "ED-11", "given_name": known.given_name, "postcode": known.postcode,
        "sex": known.sex})
    assert referral.person_id is None, "never linked on a first name and postcode alone"
    pair = ReviewPair.objects.get(Q(identity_a=referral) | Q(identity_b=referral))
    assert known.person_id in (pair.identity_a.person_id, pair.identity_b.person_id)
    waiting = UnmatchedIdentity.objects.get(identity=referral)
    assert waiting.kind == UnmatchedKind.REVIEW


def test_the_index_never_offers_a_record_deleted_since_it_was_built():
    known = _trained_city()
    arriving = identity_from(_copy_of(known, "FEED-12"))
    assert {c.person_id for c in matching.match_identity(arriving)} == {known.person_id}
    Identity.objects.filter(person_id=known.person_id).delete()  # e.g. retention disposal
    assert matching.match_identity(arriving) == []


def test_the_index_offers_the_person_a_record_belongs_to_now(hub):
    known = _trained_city()
    with_nhs = set(Identity.objects.exclude(nhs_number="").values_list("person_id", flat=True))
    other = Identity.objects.filter(person__isnull=False).exclude(
        person_id__in=with_nhs | {known.person_id}).first()
    arriving = identity_from(_copy_of(known, "FEED-13"))
    matching.match_identity(arriving)  # the index is built now, before the merge
    merge_persons(actor=hub, survivor=other.person, absorbed=known.person,
                  reason="Known alias, confirmed by the school")
    assert {c.person_id for c in matching.match_identity(arriving)} == {other.person_id}
