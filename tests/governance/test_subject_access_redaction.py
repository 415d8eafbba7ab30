"""Subject access: other people's names and aliases never reach the export; free text is flagged.

Canary names are planted in third parties' identities (including aliases held by another
agency, a record merged away and a record not yet linked to anyone), in relationships from
either side, and in free text. None may appear in the file.
"""

import json

import pytest
from django.urls import reverse

from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

CANARIES = ["Thaddeus", "Otherperson", "Taddy", "Oddman", "Theo", "Mergedaway", "Marigold",
            "Kinsella", "Goldie", "Peregrine", "Canaryman", "Wolfram", "Unlinkedson",
            "07700 900123", "9 Canary Row"]


@pytest.fixture
def export(client):
    client.force_login(UserFactory(dpo=True))

    def download(person):
        response = client.post(reverse("governance:subject-access", args=[person.pk]))
        assert response.status_code == 200
        return response.content.decode()

    return download


@pytest.fixture
def subject():
    child = PersonFactory(given_name="Ayla", family_name="Subject")
    mine = IdentityFactory(person=child)
    # A suspect known to the police by one name and to the hospital by another, with a record
    # since merged into them that carries a third name.
    suspect = PersonFactory(given_name="Thaddeus", family_name="Otherperson")
    police_record = IdentityFactory(person=suspect, phone="07700 900123",
                                    address="9 Canary Row")
    IdentityFactory(person=suspect, given_name="Taddy", family_name="Oddman")
    merged = PersonFactory(given_name="Theo", family_name="Mergedaway", merged_into=suspect)
    IdentityFactory(person=merged)
    event = EventFactory(
        summary="Ayla seen with Taddy; Thaddeus Otherperson (also Theo) called 07700 900123",
        location_description="outside Oddman's flat at 9 Canary Row",
    )
    InvolvementFactory(event=event, person=child, identity=mine, role="victim")
    InvolvementFactory(event=event, person=suspect, identity=police_record, role="suspect")
    # A sibling with an alias, tied from the child's side; the detail names her by the alias.
    sister = PersonFactory(given_name="Marigold", family_name="Kinsella")
    IdentityFactory(person=sister, given_name="Goldie", family_name="Kinsella")
    RelationshipFactory(identity=mine, other_identity=IdentityFactory(person=sister),
                        detail="half-sister Goldie")
    # An associate who recorded the tie from their side (the child is the "other").
    associate = IdentityFactory(person=PersonFactory(given_name="Peregrine",
                                                     family_name="Canaryman"))
    RelationshipFactory(identity=associate, other_identity=mine, kind="associate",
                        detail="Peregrine's friend")
    # A cousin whose record no one has linked to a person yet.
    cousin = IdentityFactory(person=None, given_name="Wolfram", family_name="Unlinkedson")
    RelationshipFactory(identity=mine, other_identity=cousin, person=child, other=None,
                        detail="cousin Wolfram Unlinkedson")
    return child


def test_no_third_party_name_alias_or_identifier_reaches_the_export(export, subject):
    text = export(subject)
    for canary in CANARIES:
        assert canary.lower() not in text.lower(), canary
    body = json.loads(text)
    assert body["person"]["given_name"] == "Ayla"  # the subject's own data is all there
    assert len(body["relationships"]) == 3
    assert all(tie["other"] == "[third party]" for tie in body["relationships"])
    assert body["events"][0]["summary"]["free_text"] == (
        "Ayla seen with [third party]; [third party] [third party] (also [third party]) "
        "called [third party]")


def test_every_free_text_field_is_flagged_for_the_dpo(export, subject):
    body = json.loads(export(subject))
    expected = ["/events/0/location", "/events/0/summary"] + [
        f"/relationships/{n}/detail" for n in range(3)]
    assert sorted(body["free_text_for_review"]) == expected
    for pointer in expected:
        _, section, index, field = pointer.split("/")
        assert body[section][int(index)][field]["check_before_release"] is True


def test_empty_free_text_is_not_flagged(export):
    child = PersonFactory(given_name="Ayla", family_name="Subject")
    event = EventFactory(summary="", location_description="")
    InvolvementFactory(event=event, person=child, identity=IdentityFactory(person=child))
    body = json.loads(export(child))
    assert body["events"][0]["summary"] == {"free_text": "", "check_before_release": False}
    assert body["free_text_for_review"] == []


def test_the_childs_ethnicity_as_each_agency_recorded_it_is_in_the_export(export):
    child = PersonFactory(given_name="Ayla", family_name="Subject")
    IdentityFactory(person=child, ethnicity="mixed_white_black_caribbean")
    IdentityFactory(person=child, ethnicity="not_recorded")
    identities = json.loads(export(child))["identities"]
    assert sorted(i["ethnicity"] for i in identities) == ["mixed_white_black_caribbean",
                                                          "not_recorded"]
    described = {i["ethnicity_described"] for i in identities}
    assert any("Caribbean" in d for d in described)
