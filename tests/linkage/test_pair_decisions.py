"""A reviewer's decision on a pair takes effect now, and the reviewer is told what happened."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from saferoptions.linkage import review
from saferoptions.linkage.merges import undo_merge
from saferoptions.linkage.models import (
    PersonMerge,
    ReviewPair,
    ReviewStatus,
    UnmatchedIdentity,
    UnmatchedKind,
)
from saferoptions.people.models import Identity
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import AT, CONTRIBUTIONS, linkage_model

pytestmark = pytest.mark.django_db
NHS_A, NHS_B = "9434765919", "4010232137"  # both pass the modulus 11 check
REASON = "Same school, same address, same birthday"


def _record(agency, person, **fields) -> Identity:
    values = {"given_name": "Jayden", "family_name": "Smith", "nhs_number": "", **fields}
    return IdentityFactory(agency=agency, person=person, **values)


def _pair(a: Identity, b: Identity) -> ReviewPair:
    first, second = sorted((a, b), key=lambda i: i.pk)
    return ReviewPair.objects.create(identity_a=first, identity_b=second, model=linkage_model(),
                                     match_weight=2.0, match_probability=0.8,
                                     contributions=CONTRIBUTIONS, created_at=AT)


def _in_my_work(hub, *people):
    for person in people:
        TeamMemberFactory(person=person, user=hub)


def _decide(client, hub, pair, status, reason=REASON):
    client.force_login(hub)
    return client.post(reverse("linkage:review-pair", args=[pair.pk]),
                       {"status": status, "reason": reason}, follow=True)


def _banner(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_match_on_two_people_merges_them_now_keeping_the_one_with_more_records(
        client, hub, police):
    smaller, larger = PersonFactory(), PersonFactory()
    _in_my_work(hub, smaller, larger)
    a = _record(police, smaller)
    b = _record(police, larger, nhs_number=NHS_A)
    _record(police, larger, source_id="SECOND")
    pair = _pair(a, b)
    response = _decide(client, hub, pair, "match")
    smaller.refresh_from_db(), a.refresh_from_db()
    assert smaller.merged_into_id == larger.pk and a.person_id == larger.pk
    assert "merged now" in _banner(response)
    assert reverse("linkage:changes", args=[larger.public_id]) in response.content.decode()
    pair.refresh_from_db()
    assert (pair.status, pair.reason, pair.reviewer) == (ReviewStatus.MATCH, REASON, hub)
    entry = AuditEntry.objects.get(object_type="review_pair", action="update")
    assert entry.detail["outcome"] == review.MERGED


def test_with_as_many_records_each_the_older_person_is_kept(hub, police):
    older, newer = PersonFactory(), PersonFactory()
    _in_my_work(hub, older, newer)
    pair = _pair(_record(police, newer), _record(police, older))
    outcome = review.decide_pair(actor=hub, pair=pair, status="match", reason=REASON)
    assert outcome.done == review.MERGED and outcome.person == older
    newer.refresh_from_db()
    assert newer.merged_into_id == older.pk


def test_undoing_the_merge_puts_the_pair_back_in_the_queue(hub, police):
    one, two = PersonFactory(), PersonFactory()
    _in_my_work(hub, one, two)
    pair = _pair(_record(police, one), _record(police, two))
    review.decide_pair(actor=hub, pair=pair, status="match", reason=REASON)
    undo_merge(actor=hub, merge=PersonMerge.objects.get(), reason="Two children after all")
    pair.refresh_from_db()
    two.refresh_from_db()
    assert pair.status == ReviewStatus.PENDING and two.merged_into_id is None


def test_a_refused_merge_keeps_the_decision_and_says_why(client, hub, police):
    one, two = PersonFactory(), PersonFactory()
    _in_my_work(hub, one, two)
    pair = _pair(_record(police, one, nhs_number=NHS_A), _record(police, two, nhs_number=NHS_B))
    response = _decide(client, hub, pair, "match")
    assert response.status_code == 200
    assert "not merged" in _banner(response)
    assert "different valid NHS numbers" in _banner(response)
    one.refresh_from_db(), two.refresh_from_db(), pair.refresh_from_db()
    assert one.merged_into_id is None and two.merged_into_id is None
    assert pair.status == ReviewStatus.MATCH


def test_a_reviewer_who_may_not_change_both_people_merges_nothing_now(client, hub, police):
    mine, stranger = PersonFactory(), PersonFactory()
    _in_my_work(hub, mine)
    pair = _pair(_record(police, mine), _record(police, stranger))
    response = _decide(client, hub, pair, "match")
    assert "next linkage run" in _banner(response)
    stranger.refresh_from_db(), mine.refresh_from_db()
    assert stranger.merged_into_id is None and mine.merged_into_id is None
    assert not PersonMerge.objects.exists()


def test_not_a_match_on_one_person_points_to_the_split_page_and_splits_nothing(client, hub,
                                                                                police):
    child = PersonFactory()
    _in_my_work(hub, child)
    a, b = _record(police, child), _record(police, child, given_name="Jaydon")
    pair = _pair(a, b)
    response = _decide(client, hub, pair, "not_match")
    assert "nothing was split" in _banner(response)
    assert reverse("linkage:split", args=[child.public_id]) in response.content.decode()
    assert Identity.objects.filter(person=child).count() == 2


def test_not_a_match_on_someone_elses_child_offers_no_split_link(client, hub, police):
    child = PersonFactory()
    pair = _pair(_record(police, child), _record(police, child, given_name="Jaydon"))
    response = _decide(client, hub, pair, "not_match")
    assert "someone who may change that person can split" in _banner(response)
    assert reverse("linkage:split", args=[child.public_id]) not in response.content.decode()


def _waiting(identity) -> UnmatchedIdentity:
    return UnmatchedIdentity.objects.create(identity=identity, kind=UnmatchedKind.REVIEW,
                                            reason="waiting for a review decision",
                                            created_at=AT)


def test_a_match_joins_a_record_with_no_person_to_the_others_now(client, hub, police):
    known = PersonFactory()
    arrived = _record(police, None)
    waiting = _waiting(arrived)
    response = _decide(client, hub, _pair(_record(police, known), arrived), "match")
    assert "joined the other record's person now" in _banner(response)
    arrived.refresh_from_db(), waiting.refresh_from_db()
    assert arrived.person_id == known.pk
    assert (waiting.decision, waiting.decided_by) == ("existing", hub)
    assert client.get(reverse("linkage:unmatched")).context["found"].total == 0


def test_not_a_match_gives_a_record_with_nothing_else_waiting_a_person_of_its_own(client, hub,
                                                                                 police):
    known = PersonFactory()
    arrived = _record(police, None)
    _waiting(arrived)
    response = _decide(client, hub, _pair(_record(police, known), arrived), "not_match")
    assert "has a person of its own now" in _banner(response)
    arrived.refresh_from_db()
    assert arrived.person_id not in (None, known.pk)
    assert UnmatchedIdentity.objects.get(identity=arrived).decision == "new"


def test_not_a_match_leaves_a_record_that_waits_on_another_pair_waiting(client, hub, police):
    arrived = _record(police, None)
    _waiting(arrived)
    first = _pair(_record(police, PersonFactory()), arrived)
    second = _pair(_record(police, PersonFactory(), source_id="OTHER"), arrived)
    response = _decide(client, hub, first, "not_match")
    assert "still waits for a decision on another pair" in _banner(response)
    arrived.refresh_from_db()
    assert arrived.person_id is None
    listed = client.get(reverse("linkage:unmatched")).content.decode()
    assert reverse("linkage:review-pair", args=[second.pk]) in listed


def test_not_sure_leaves_the_pair_in_the_queue(client, hub, police):
    pair = _pair(_record(police, PersonFactory()), _record(police, PersonFactory()))
    response = _decide(client, hub, pair, "not_sure", "Ask the school first")
    assert "stays in the queue" in _banner(response)
    assert f"pair {pair.pk}<" in response.content.decode()


def test_a_pair_decided_already_cannot_be_decided_again(client, hub, police):
    pair = _pair(_record(police, PersonFactory()), _record(police, PersonFactory()))
    review.decide_pair(actor=hub, pair=pair, status="not_match", reason=REASON)
    client.force_login(hub)
    response = client.post(reverse("linkage:review-pair", args=[pair.pk]),
                           {"status": "match", "reason": REASON})
    assert response.status_code == 400
    assert b"This pair has already been decided" in response.content
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.NOT_MATCH
    with pytest.raises(review.DecisionRefused, match="already been decided"):
        review.decide_pair(actor=hub, pair=pair, status="match", reason=REASON)


def test_a_team_manager_may_decide_too(client, police):
    manager = UserFactory(role=Role.TEAM_MANAGER, agency=police)
    pair = _pair(_record(police, PersonFactory()), _record(police, PersonFactory(
        date_of_birth=dt.date(2012, 1, 1))))
    response = _decide(client, manager, pair, "not_match")
    assert response.status_code == 200 and "keep them apart" in _banner(response)
