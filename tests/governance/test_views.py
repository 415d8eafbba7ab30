"""The DPO's governance screens: review list, holds, disposal and the subject access export."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.governance.models import DisposalTombstone, LegalHold
from saferoptions.people.models import Person
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(client):
    user = UserFactory(dpo=True)
    client.force_login(user)
    return user


@pytest.fixture
def subject():
    """A child with an identity, an event shared with a named third party, and a sibling."""
    child = PersonFactory(given_name="Ayla", family_name="Subject", kind="child")
    identity = IdentityFactory(person=child)
    other = PersonFactory(given_name="Thaddeus", family_name="Otherperson")
    event = EventFactory(summary="Ayla seen with Thaddeus Otherperson near the park")
    InvolvementFactory(event=event, person=child, identity=identity, role="victim")
    InvolvementFactory(
        event=event, person=other, identity=IdentityFactory(person=other), role="suspect"
    )
    sibling = IdentityFactory(person=PersonFactory(given_name="Marigold", family_name="Kin"))
    RelationshipFactory(identity=identity, other_identity=sibling)
    return child


def urls(person_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("governance:review")),
        ("post", reverse("governance:place-hold", args=[person_id])),
        ("post", reverse("governance:dispose", args=[person_id])),
        ("get", reverse("governance:dispose", args=[person_id])),
        ("get", reverse("governance:subject-access", args=[person_id])),
        ("post", reverse("governance:subject-access", args=[person_id])),
        ("post", reverse("governance:release-hold", args=[1])),
    ]


@pytest.mark.parametrize(
    "role", [Role.HUB_PRACTITIONER, Role.SYSTEM_ADMINISTRATOR, Role.STRATEGIC_LEAD]
)
def test_only_the_dpo_reaches_governance_screens(client, subject, role):
    client.force_login(UserFactory(role=role))
    for method, url in urls(subject.pk):
        assert getattr(client, method)(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert Person.objects.filter(pk=subject.pk).exists()
    assert not LegalHold.objects.exists()


def test_the_export_holds_the_subjects_data_and_redacts_third_parties(client, dpo, subject):
    response = client.post(reverse("governance:subject-access", args=[subject.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = json.loads(response.content)
    text = response.content.decode()
    assert body["person"]["given_name"] == "Ayla"
    assert len(body["identities"]) == 1 and body["identities"][0]["nhs_number"]
    event = body["events"][0]
    assert event["your_part"] == ["Victim"]
    assert event["others"] == [{"part": "Suspect", "person": "[third party]"}]
    assert event["summary"] == {
        "free_text": "Ayla seen with [third party] [third party] near the park",
        "check_before_release": True,
    }
    assert body["relationships"][0]["other"] == "[third party]"
    for name in ("Thaddeus", "Otherperson", "Marigold", "Kin"):
        assert name not in text


def test_the_export_is_audited_with_ids_only(client, dpo, subject):
    client.post(reverse("governance:subject-access", args=[subject.pk]))
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.purpose, entry.object_ids) == (
        dpo,
        "subject_access",
        [str(subject.pk)],
    )
    assert "Ayla" not in json.dumps(entry.detail)


def test_an_export_for_nobody_is_a_404(client, dpo):
    assert client.post(reverse("governance:subject-access", args=[987654])).status_code == 404


def test_the_review_list_shows_due_records_and_is_audited(client, dpo):
    due = PersonFactory(kind="adult_of_concern")
    with clock.frozen(dt.datetime(2045, 1, 1, tzinfo=dt.UTC)):
        response = client.get(reverse("governance:review"))
    assert response.status_code == 200
    assert [item.person_id for item in response.context["page"]] == [due.pk]
    assert AuditEntry.objects.get(action="list").object_ids == [str(due.pk)]


def test_hold_then_disposal_is_refused_through_the_screen(client, dpo, subject):
    client.post(reverse("governance:place-hold", args=[subject.pk]), {"reason": "INQ-9"})
    response = client.post(reverse("governance:dispose", args=[subject.pk]), {"confirm": "on"})
    assert response.status_code == 400
    assert b"legal hold" in response.content
    assert Person.objects.filter(pk=subject.pk).exists()


def _due_soon():
    return clock.frozen(dt.datetime(2045, 1, 1, tzinfo=dt.UTC))


def test_disposal_needs_confirmation(client, dpo, subject):
    with _due_soon():
        response = client.post(reverse("governance:dispose", args=[subject.pk]), {})
    assert response.status_code == 400
    # Back on the record's disposal page with its box marked, not a page that said "not done".
    page = response.content.decode()
    assert '<a href="#confirm">Confirm that you have reviewed the record.</a>' in page
    assert 'id="confirm-error"' in page and 'id="confirm"' in page
    assert "Dispose of Ayla Subject's record" in page
    assert Person.objects.filter(pk=subject.pk).exists()


def test_the_review_list_names_each_record_for_oversight(client, dpo):
    due = PersonFactory(given_name="Ayla", family_name="Subject", kind="adult_of_concern",
                        date_of_birth=dt.date(1990, 3, 4))
    IdentityFactory(person=due, agency__name="Avon Police")
    with _due_soon():
        response = client.get(reverse("governance:review"))
    page = response.content.decode()
    assert "Ayla Subject" in page and "Born 4 Mar 1990" in page
    assert "Adult of concern" in page and "Avon Police" in page
    assert f'href="{reverse("governance:dispose", args=[due.pk])}"' in page
    entry = AuditEntry.objects.get(action="list")
    assert (entry.purpose, entry.object_ids) == ("audit", [str(due.pk)])
    assert "Ayla" not in json.dumps(entry.detail)


def test_the_disposal_page_names_what_will_go_and_is_audited(client, dpo, subject):
    absorbed = PersonFactory(merged_into=subject)
    with _due_soon():
        response = client.get(reverse("governance:dispose", args=[subject.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    agency = subject.identities.get().agency.name
    assert "Dispose of Ayla Subject's record?" in page
    assert f"{agency}: 1 record" in page and "Child (under 18)" in page
    assert "Records merged into theirs" in page
    assert "kept for the others in them" in page
    assert "I have reviewed Ayla Subject's record and it is due for disposal" in page
    entry = AuditEntry.objects.get(action="view")
    assert entry.purpose == "audit" and entry.detail["page"] == "disposal"
    assert set(entry.object_ids) == {str(subject.pk), str(absorbed.pk)}
    assert Person.objects.filter(pk=subject.pk).exists()  # looking disposes of nothing


def test_the_disposal_page_of_a_held_record_offers_no_disposal(client, dpo, subject):
    client.post(reverse("governance:place-hold", args=[subject.pk]), {"reason": "INQ-9"})
    page = client.get(reverse("governance:dispose", args=[subject.pk])).content.decode()
    assert "under a legal hold" in page and 'name="confirm"' not in page


def test_the_disposal_page_of_nobody_or_a_merged_record_is_a_404(client, dpo, subject):
    absorbed = PersonFactory(merged_into=subject)
    for person_id in (987654, absorbed.pk):
        assert client.get(reverse("governance:dispose", args=[person_id])).status_code == 404
    assert client.get("/governance/people/abc/dispose/").status_code == 404


def test_disposal_through_the_screen_leaves_a_tombstone(client, dpo, subject):
    response = client.post(reverse("governance:dispose", args=[subject.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert DisposalTombstone.objects.get().record_id == subject.pk


def test_a_hold_without_a_reason_is_refused_naming_the_field(client, dpo, subject):
    with _due_soon():
        response = client.post(reverse("governance:place-hold", args=[subject.pk]),
                               {"reason": " "})
        too_long = client.post(reverse("governance:place-hold", args=[subject.pk]),
                               {"reason": "INQ-" + "9" * 300})
    assert response.status_code == 400
    page = response.content.decode()
    assert (f'<a href="#reason-{subject.pk}">Hold reason (Ayla Subject): Enter why the '
            "record is held") in page
    assert f'id="reason-{subject.pk}-error"' in page
    assert too_long.status_code == 400
    assert "Give a hold reason of 200 characters or fewer" in too_long.content.decode()
    assert 'value="INQ-999' in too_long.content.decode()  # what was typed stays in the box
    assert not LegalHold.objects.exists()
