"""Merge and split pages: only for people the user may change, refusals named, undo works."""

import pytest
from django.urls import reverse

from saferoptions.core.models import Role
from saferoptions.linkage.models import PersonMerge
from saferoptions.linkage.roles import MERGERS
from saferoptions.people.models import Identity
from tests.cases.factories import AssessmentFactory, TeamMemberFactory
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .test_review_pages import same_page

pytestmark = pytest.mark.django_db
REASON = "Same child: police and school records agree on everything"


@pytest.fixture
def children(hub):
    """Two records of one child, both in the hub practitioner's work."""
    a = PersonFactory(given_name="Ashanti", family_name="Morgan")
    b = PersonFactory(given_name="Ashanti", family_name="Morgan-Reid")
    for person in (a, b):
        TeamMemberFactory(person=person, user=hub)
        IdentityFactory(person=person, nhs_number="", agency=hub.agency)
    return a, b


def test_merge_from_search_to_confirmation(client, hub, children):
    a, b = children
    client.force_login(hub)
    detail = client.get(reverse("people:detail", args=[a.public_id])).content
    assert reverse("linkage:merge", args=[a.public_id]).encode() in detail
    found = client.get(reverse("linkage:merge", args=[a.public_id]), {"q": "Morgan-Reid"})
    confirm = reverse("linkage:merge-confirm", args=[a.public_id, b.public_id])
    assert confirm.encode() in found.content
    assert client.get(confirm).status_code == 200
    response = client.post(confirm, {"reason": REASON})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    assert Identity.objects.filter(person=a).count() == 2


def test_a_refused_merge_names_the_conflict_in_the_error_summary(client, hub, children):
    a, b = children
    AssessmentFactory(person=a)
    AssessmentFactory(person=b)
    client.force_login(hub)
    response = client.post(reverse("linkage:merge-confirm", args=[a.public_id, b.public_id]),
                           {"reason": REASON})
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert b"one open assessment per child" in response.content


def test_a_person_the_user_may_not_change_looks_absent(client, hub, children):
    a, _ = children
    stranger = PersonFactory()
    client.force_login(hub)
    forbidden = client.get(reverse("linkage:merge-confirm", args=[a.public_id,
                                                                  stranger.public_id]))
    absent = client.get(reverse("linkage:merge-confirm", args=[a.public_id,
                                                               PersonFactory.build().public_id]))
    assert forbidden.status_code == absent.status_code == 404
    assert client.post(reverse("linkage:merge-confirm", args=[a.public_id, stranger.public_id]),
                       {"reason": REASON}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.merged_into_id is None
    search = client.get(reverse("linkage:merge", args=[a.public_id]), {"q": stranger.given_name})
    assert str(stranger.public_id).encode() not in search.content


@pytest.mark.parametrize("role", [r for r in Role.values if r not in MERGERS])
def test_other_roles_find_no_merge_or_split_pages(client, children, role):
    a, b = children
    user = UserFactory(role=role)
    TeamMemberFactory(person=a, user=user)
    client.force_login(user)
    for name, args in [("linkage:merge", [a.public_id]), ("linkage:split", [a.public_id]),
                       ("linkage:merge-confirm", [a.public_id, b.public_id]),
                       ("linkage:changes", [a.public_id])]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    detail = client.get(reverse("people:detail", args=[a.public_id])).content
    assert reverse("linkage:merge", args=[a.public_id]).encode() not in detail


def test_split_then_undo_from_the_list_of_changes(client, hub, children):
    a, _ = children
    extra = IdentityFactory(person=a, nhs_number="", given_name="Kayden", agency=hub.agency)
    client.force_login(hub)
    page = client.get(reverse("linkage:split", args=[a.public_id]))
    assert f'value="{extra.pk}"'.encode() in page.content
    response = client.post(reverse("linkage:split", args=[a.public_id]),
                           {"identities": [extra.pk], "reason": REASON})
    assert response.status_code == 302
    extra.refresh_from_db()
    assert extra.person_id != a.pk
    change = PersonMerge.objects.get(kind="split")
    listed = client.get(reverse("linkage:changes", args=[a.public_id])).content
    assert reverse("linkage:undo", args=[change.pk]).encode() in listed
    assert client.post(reverse("linkage:undo", args=[change.pk]),
                       {"reason": "Same child after all"}).status_code == 302
    extra.refresh_from_db()
    assert extra.person_id == a.pk


def test_a_split_with_nothing_chosen_is_a_clear_error(client, hub, children):
    a, _ = children
    client.force_login(hub)
    response = client.post(reverse("linkage:split", args=[a.public_id]), {"reason": REASON})
    assert response.status_code == 400
    assert b"Choose at least one record to move." in response.content


def test_undo_of_someone_elses_change_looks_absent(client, hub, children):
    a, b = children
    client.force_login(hub)
    client.post(reverse("linkage:merge-confirm", args=[a.public_id, b.public_id]),
                {"reason": REASON})
    change = PersonMerge.objects.get()
    outsider = UserFactory(role=Role.HUB_PRACTITIONER, locality=hub.locality)
    client.force_login(outsider)
    forbidden = client.get(reverse("linkage:undo", args=[change.pk]))
    absent = client.get(reverse("linkage:undo", args=[change.pk + 100]))
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)
