"""The clerical review queue: who may use it, what the pair page shows, and decisions."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from saferoptions.access import rules
from saferoptions.access.policy import viewer_of
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from saferoptions.linkage.models import ReviewStatus, UnmatchedIdentity
from saferoptions.linkage.roles import REVIEWERS
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import AT, review_pair

pytestmark = pytest.mark.django_db


TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def same_page(one, other) -> bool:
    """Two responses identical but for their per-request tokens."""
    return TOKEN.sub(b"", one.content) == TOKEN.sub(b"", other.content)


def _login(client, user):
    client.force_login(user)
    return client


def test_the_queue_lists_waiting_pairs_oldest_first_and_filters_by_agency(client, hub, police,
                                                                         school):
    newer = review_pair(police, school, created_at=AT + dt.timedelta(days=1))
    older = review_pair(school, police)
    other = review_pair(police, police)
    body = _login(client, hub).get(reverse("linkage:review-queue")).content.decode()
    assert body.index(f"pair {older.pk}<") < body.index(f"pair {newer.pk}<")
    assert f"pair {other.pk}<" in body
    filtered = client.get(reverse("linkage:review-queue"),
                          {"agency_a": school.pk, "agency_b": police.pk}).content.decode()
    assert f"pair {older.pk}<" in filtered and f"pair {newer.pk}<" in filtered
    assert f"pair {other.pk}<" not in filtered
    assert AuditEntry.objects.filter(action="list", object_type="review_pair").exists()


def test_a_half_filled_agency_filter_is_a_clear_error(client, hub, police):
    response = _login(client, hub).get(reverse("linkage:review-queue"), {"agency_a": police.pk})
    assert response.status_code == 400
    assert b"Choose both agencies, or neither." in response.content


@pytest.mark.parametrize("role", [r for r in Role.values if r not in REVIEWERS])
def test_other_roles_find_no_such_page(client, police, school, role):
    pair = review_pair(police, school)
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("linkage:review-queue")).status_code == 404
    forbidden = client.get(reverse("linkage:review-pair", args=[pair.pk]))
    absent = client.get(reverse("linkage:review-pair", args=[pair.pk + 100]))
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)


def test_the_pair_page_shows_each_fields_contribution_and_the_total(client, hub, police):
    pair = review_pair(police, police)
    body = _login(client, hub).get(reverse("linkage:review-pair", args=[pair.pk])).content
    for text in (b"Day and month transposed", b"9.250", b"3.21", b"-3.00", b"0.8000",
                 b"Jayden", b"Jaydon", b"9434765919", b"99 Zebra Row", b"-9.50"):
        assert text in body, text
    assert AuditEntry.objects.filter(action="view", object_type="identity",
                                     detail__review_pair=pair.pk).exists()


def test_the_pair_page_names_fields_in_the_reviewers_words(client, hub, police):
    pair = review_pair(police, police)
    body = _login(client, hub).get(reverse("linkage:review-pair", args=[pair.pk])).content
    assert b"NHS number" in body and b"Agency&#x27;s record number" in body
    assert b"Nhs number" not in body and b"Source id" not in body


def test_the_pair_page_hides_what_the_agency_does_not_share(client, hub, police, school):
    AgreementFactory(provider=school, recipient=police, categories=["identity"],
                     purposes=["data_quality"])
    pair = review_pair(school, school)
    body = _login(client, hub).get(reverse("linkage:review-pair", args=[pair.pk])).content
    assert b"Jaydon" in body  # identity is shared for data quality
    assert b"99 Zebra Row" not in body and b"9434765919" not in body  # address, health: not
    assert b"Not shared with you" in body


def test_an_agreement_for_direct_work_does_not_cover_data_quality(client, hub, police, school):
    AgreementFactory(provider=school, recipient=police, categories=["identity", "address"],
                     purposes=["direct_work"])
    pair = review_pair(school, school)
    body = _login(client, hub).get(reverse("linkage:review-pair", args=[pair.pk])).content
    assert b"Jaydon" not in body and b"Jayden" not in body
    assert b"cannot decide" not in body and b"must decide" in body


def test_a_decision_is_stored_and_audited(client, hub, police):
    pair = review_pair(police, police)
    response = _login(client, hub).post(reverse("linkage:review-pair", args=[pair.pk]), {
        "status": "not_match", "reason": "Different schools and birth years"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.reviewer, pair.reason) == (
        ReviewStatus.NOT_MATCH, hub, "Different schools and birth years")
    entry = AuditEntry.objects.get(action="update", object_type="review_pair")
    assert entry.object_ids == [str(pair.pk)] and entry.detail["status"] == "not_match"


@pytest.mark.parametrize(("data", "message"), [
    ({"status": "match", "reason": ""}, b"Enter a reason for your decision."),
    ({"reason": "Looks right to me"}, b"Choose match, not a match or not sure."),
    ({"status": "merge", "reason": "Looks right to me"}, b"Choose an option from the list"),
])
def test_a_decision_needs_a_choice_and_a_reason(client, hub, police, data, message):
    pair = review_pair(police, police)
    response = _login(client, hub).post(reverse("linkage:review-pair", args=[pair.pk]), data)
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content and message in response.content
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.PENDING


def test_no_decision_on_records_the_reviewer_may_not_see(client, hub, police, school):
    pair = review_pair(school, school)
    response = _login(client, hub).post(reverse("linkage:review-pair", args=[pair.pk]), {
        "status": "match", "reason": "Guessing from the probability"})
    assert response.status_code == 400
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.PENDING


def test_the_threshold_read_out_counts_decisions_per_band(client, hub, police):
    for probability, status in [(0.55, "match"), (0.56, "not_match"), (0.57, "not_match"),
                                (0.95, "match"), (0.96, "match")]:
        pair = review_pair(police, police, probability=probability)
        pair.status = status
        pair.save()
    analyst = UserFactory(role=Role.ANALYST)
    body = _login(client, analyst).get(reverse("linkage:thresholds")).content.decode()
    assert "33%" in body and "100%" in body
    assert "Jayden" not in body


def test_an_unmatched_record_can_be_made_a_new_person(client, hub, police):
    identity = IdentityFactory(agency=police, person=None, given_name="Kai", family_name="",
                               nhs_number="", date_of_birth=None)
    waiting = UnmatchedIdentity.objects.create(identity=identity, reason="too few details",
                                               created_at=AT)
    _login(client, hub)
    listed = client.get(reverse("linkage:unmatched")).content
    assert b"too few details" in listed
    page = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk])).content
    assert b"Kai" in page
    response = client.post(reverse("linkage:unmatched-decide", args=[waiting.pk]),
                           {"new_person": "on", "reason": "Nobody like this is known"})
    assert response.status_code == 302
    identity.refresh_from_db(), waiting.refresh_from_db()
    assert identity.person_id is not None and waiting.decision == "new"
    assert AuditEntry.objects.filter(object_type="unmatched_identity").exists()


def test_an_unmatched_record_can_join_only_a_person_the_user_may_change(client, hub, police):
    identity = IdentityFactory(agency=police, person=None, nhs_number="", date_of_birth=None)
    waiting = UnmatchedIdentity.objects.create(identity=identity, reason="no name",
                                               created_at=AT)
    stranger = PersonFactory()  # not in the hub practitioner's work
    response = _login(client, hub).post(
        reverse("linkage:unmatched-decide", args=[waiting.pk]),
        {"person": str(stranger.public_id), "reason": "Same child as the referral"})
    assert response.status_code == 400
    assert b"No person you may change has that reference." in response.content
    identity.refresh_from_db()
    assert identity.person_id is None


def test_the_data_quality_purpose_never_opens_a_childs_record(client, hub, police):
    pair = review_pair(police, police)
    child = pair.identity_a.person
    assert "data_quality" not in rules.scopes(viewer_of(hub), None)
    _login(client, hub)
    assert client.get(reverse("linkage:review-pair", args=[pair.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[child.public_id])).status_code == 404
    listed = client.get(reverse("people:search"), {"q": ""}).content
    assert str(child.public_id).encode() not in listed
