"""One unmatched queue: every record a feed leaves without a person is in it, with why."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from saferoptions.linkage.intake import take
from saferoptions.linkage.models import ReviewPair, ReviewStatus, UnmatchedIdentity, UnmatchedKind
from saferoptions.linkage.realtime import Candidate
from saferoptions.linkage.roles import REVIEWERS
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import AT, linkage_model
from .factories import involvement_of
from .test_review_pages import same_page

pytestmark = pytest.mark.django_db
REASON = "The school confirmed who this is"


def _arrived(agency, **fields):
    values = {"given_name": "Kai", "family_name": "Brook", "nhs_number": "",
              "date_of_birth": dt.date(2013, 7, 9), "postcode": "BS5 6XY", **fields}
    return IdentityFactory(agency=agency, person=None, **values)


@pytest.fixture
def matcher(monkeypatch):
    """What the real-time matcher answers, set by the test."""
    answer = []
    monkeypatch.setattr("saferoptions.linkage.matching.match_identity", lambda identity: answer)
    return answer


def _candidate(identity, decision) -> Candidate:
    return Candidate(identity.person_id, identity.pk, 3.0, 0.9, decision, {})


# --- what the feeds leave, and why -----------------------------------------------------------

def test_before_any_model_a_record_nobody_matches_waits_saying_so(client, hub, police):
    arrived = _arrived(police)
    assert take(arrived).person is None
    waiting = UnmatchedIdentity.objects.get(identity=arrived)
    assert waiting.kind == UnmatchedKind.NO_MODEL
    client.force_login(hub)
    body = client.get(reverse("linkage:unmatched")).content.decode()
    assert "No linkage model has been trained yet" in body


def test_a_record_with_too_little_waits_with_the_reason(client, hub, police):
    linkage_model()
    arrived = _arrived(police, given_name="", family_name="")
    assert take(arrived).person is None
    assert UnmatchedIdentity.objects.get(identity=arrived).kind == UnmatchedKind.TOO_LITTLE
    client.force_login(hub)
    assert "Too little to match (no name)" in client.get(
        reverse("linkage:unmatched")).content.decode()


def test_a_record_the_model_is_unsure_of_waits_for_its_pair(client, hub, police, matcher):
    linkage_model()
    known = IdentityFactory(agency=police, person=PersonFactory())
    arrived = _arrived(police)
    matcher.append(_candidate(known, "review"))
    assert take(arrived).person is None
    pair = ReviewPair.objects.get(identity_a=known, identity_b=arrived)
    assert UnmatchedIdentity.objects.get(identity=arrived).kind == UnmatchedKind.REVIEW
    client.force_login(hub)
    body = client.get(reverse("linkage:unmatched")).content.decode()
    assert "Waiting for a review decision" in body
    assert reverse("linkage:review-pair", args=[pair.pk]) in body


def test_a_linkable_record_like_nobody_on_record_is_a_new_child_now(police, matcher):
    linkage_model()
    arrived = _arrived(police)
    involvement = involvement_of(arrived)
    person = take(arrived).person
    assert (person.given_name, person.date_of_birth) == ("Kai", dt.date(2013, 7, 9))
    arrived.refresh_from_db(), involvement.refresh_from_db()
    assert arrived.person == person == involvement.person
    assert not UnmatchedIdentity.objects.filter(identity=arrived).exists()
    entry = AuditEntry.objects.get(object_type="identity", action="update")
    assert entry.actor is None and entry.detail["new_person"] is True


def test_a_sure_match_takes_a_waiting_record_out_of_the_queue(police, matcher):
    linkage_model()
    known = IdentityFactory(agency=police, person=PersonFactory())
    arrived = _arrived(police, given_name="", family_name="")
    take(arrived)
    arrived.given_name = "Kai"  # the next message names the child
    matcher.append(_candidate(known, "link"))
    assert take(arrived).person == known.person
    assert not UnmatchedIdentity.objects.filter(identity=arrived).exists()


def test_the_matchers_decision_is_followed_even_when_it_is_sure(police, matcher):
    """A sparse record the matcher will only ever send to review is not linked."""
    linkage_model()
    known = IdentityFactory(agency=police, person=PersonFactory())
    matcher.append(Candidate(known.person_id, known.pk, 20.0, 0.9999, "review", {}))
    arrived = _arrived(police)
    assert take(arrived).person is None
    assert UnmatchedIdentity.objects.get(identity=arrived).kind == UnmatchedKind.REVIEW


def test_records_the_old_feeds_page_listed_join_the_queue():
    """The migration carries them over, each with the reason that fits it."""
    migration = importlib.import_module("saferoptions.linkage.migrations.0003_unmatched_kind")
    known = IdentityFactory()
    in_review, nobody, thin = (_arrived(known.agency, source_id=s) for s in ("R", "N", "T"))
    for identity in (in_review, nobody, thin):
        involvement_of(identity)
    ReviewPair.objects.create(identity_a=known, identity_b=in_review, model=linkage_model(),
                              match_weight=1.0, match_probability=0.6, contributions={},
                              created_at=AT)
    UnmatchedIdentity.objects.create(identity=thin, reason="no name", created_at=AT)
    migration.carry_over_feeds_queue(apps, None)
    kinds = dict(UnmatchedIdentity.objects.values_list("identity", "kind"))
    assert kinds == {in_review.pk: UnmatchedKind.REVIEW, nobody.pk: UnmatchedKind.NO_CANDIDATE,
                     thin.pk: UnmatchedKind.TOO_LITTLE}


# --- the page --------------------------------------------------------------------------------

def _waiting(identity, kind=UnmatchedKind.TOO_LITTLE, reason="no name") -> UnmatchedIdentity:
    return UnmatchedIdentity.objects.create(identity=identity, kind=kind, reason=reason,
                                            created_at=AT)


def test_the_queue_shows_one_reason_when_asked(client, hub, police):
    thin = _waiting(_arrived(police, source_id="T"))
    early = _waiting(_arrived(police, source_id="E"), UnmatchedKind.NO_MODEL, "")
    client.force_login(hub)
    found = client.get(reverse("linkage:unmatched"), {"kind": "no_model"}).context["found"]
    assert [u.pk for u in found.rows] == [early.pk]
    everything = client.get(reverse("linkage:unmatched")).context["found"]
    assert {u.pk for u in everything.rows} == {thin.pk, early.pk}


@pytest.mark.parametrize(("query", "message"), [
    ({"kind": "guess"}, b"Choose an option from the list"),
    ({"page": "two"}, b"Enter a whole number, like 12"),
    ({"page": "0"}, b"Enter a number of 1 or more"),
])
def test_a_malformed_filter_is_a_clear_error(client, hub, query, message):
    client.force_login(hub)
    response = client.get(reverse("linkage:unmatched"), query)
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content and message in response.content


@pytest.mark.parametrize("role", [r for r in Role.values if r not in REVIEWERS])
def test_other_roles_find_no_queue_and_no_record(client, police, role):
    waiting = _waiting(_arrived(police))
    client.force_login(UserFactory(role=role, agency=police))
    assert client.get(reverse("linkage:unmatched")).status_code == 404
    forbidden = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk]))
    absent = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk + 100]))
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)


def test_an_old_link_to_a_record_opens_its_entry_and_a_huge_number_the_queue(client, hub,
                                                                             police):
    # The feeds' old address takes any number; past 2**63 - 1 the identity's foreign key
    # overflowed SQLite, a 500 (found attacking the demo).
    waiting = _waiting(_arrived(police))
    client.force_login(hub)
    old = client.get(reverse("feeds:resolve-moved", args=[waiting.identity_id]))
    assert old["Location"] == reverse("linkage:unmatched-decide", args=[waiting.pk])
    huge = client.get(reverse("feeds:resolve-moved", args=[10**23]))
    assert huge.status_code == 301 and huge["Location"] == reverse("linkage:unmatched")


def test_the_system_administrator_never_sees_the_records(client, police):
    _waiting(_arrived(police))
    client.force_login(UserFactory(role=Role.SYSTEM_ADMINISTRATOR, is_staff=True))
    assert client.get(reverse("linkage:unmatched")).status_code == 404


def test_a_team_manager_uses_the_queue_too(client, police):
    waiting = _waiting(_arrived(police))
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, agency=police))
    page = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk]))
    assert page.status_code == 200 and b"Kai" in page.content


def test_the_decide_page_offers_likely_people_the_user_may_change(client, hub, police):
    paired = PersonFactory(given_name="Kye", family_name="Brooke")
    same_family = PersonFactory(given_name="Mia", family_name="Brook",
                                date_of_birth=dt.date(2009, 1, 1))
    stranger = PersonFactory(given_name="Ola", family_name="Brook")  # not in the hub's work
    unrelated = PersonFactory(given_name="Zed", family_name="Other",
                              date_of_birth=dt.date(2001, 1, 1))
    for person in (paired, same_family, unrelated):
        TeamMemberFactory(person=person, user=hub)
    other = IdentityFactory(agency=police, person=paired)
    arrived = _arrived(police)
    ReviewPair.objects.create(identity_a=other, identity_b=arrived, model=linkage_model(),
                              match_weight=1.0, match_probability=0.6, contributions={},
                              created_at=AT)
    waiting = _waiting(arrived, UnmatchedKind.REVIEW, "")
    client.force_login(hub)
    likely = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk])).context["likely"]
    assert likely == [paired, same_family]
    assert stranger not in likely and unrelated not in likely
    assert AuditEntry.objects.filter(action="search", object_type="person",
                                     detail__unmatched_identity=waiting.pk).exists()


def test_a_likely_person_is_chosen_and_the_choice_kept_for_the_next_run(client, hub, police):
    child = PersonFactory(family_name="Brook")
    TeamMemberFactory(person=child, user=hub)
    theirs = IdentityFactory(agency=police, person=child)
    arrived = _arrived(police)
    waiting = _waiting(arrived, UnmatchedKind.NO_CANDIDATE, "")
    linkage_model()
    client.force_login(hub)
    page = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk])).content.decode()
    assert f'value="{child.public_id}"' in page
    response = client.post(reverse("linkage:unmatched-decide", args=[waiting.pk]),
                           {"person": str(child.public_id), "reason": REASON}, follow=True)
    assert b"has joined that person now" in response.content
    arrived.refresh_from_db()
    assert arrived.person == child
    kept = ReviewPair.objects.get(identity_a=theirs, identity_b=arrived)
    assert (kept.status, kept.reviewer) == (ReviewStatus.MATCH, hub)


def test_no_decision_on_a_record_the_reviewer_may_not_see(client, hub, school):
    waiting = _waiting(_arrived(school))
    client.force_login(hub)
    page = client.get(reverse("linkage:unmatched-decide", args=[waiting.pk]))
    assert b"Kai" not in page.content and b"main-form" not in page.content
    response = client.post(reverse("linkage:unmatched-decide", args=[waiting.pk]),
                           {"new_person": "on", "reason": REASON})
    assert response.status_code == 400
    assert b"You may not see this record" in response.content
    assert UnmatchedIdentity.objects.get(pk=waiting.pk).decision == ""


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": REASON}, b"Choose a person, or say this is someone new"),
    ({"person": "not-a-reference", "reason": REASON}, b"Choose a person from the list."),
    ({"new_person": "on", "reason": ""}, b"Enter a reason for your decision."),
])
def test_a_malformed_decision_is_a_clear_error(client, hub, police, data, message):
    waiting = _waiting(_arrived(police))
    client.force_login(hub)
    response = client.post(reverse("linkage:unmatched-decide", args=[waiting.pk]), data)
    assert response.status_code == 400 and message in response.content
    assert UnmatchedIdentity.objects.get(pk=waiting.pk).decision == ""


def test_a_decided_record_says_so_and_cannot_be_decided_twice(client, hub, police):
    waiting = _waiting(_arrived(police))
    client.force_login(hub)
    url = reverse("linkage:unmatched-decide", args=[waiting.pk])
    client.post(url, {"new_person": "on", "reason": REASON})
    assert b"already decided who this record is" in client.get(url).content
    again = client.post(url, {"new_person": "on", "reason": REASON})
    assert again.status_code == 400
    assert client.get(reverse("linkage:unmatched")).context["found"].total == 0
