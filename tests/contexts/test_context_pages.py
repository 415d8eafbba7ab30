"""A place's and a group's page: people and events each paged, neither list longer than a page."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.core.models import Role
from tests.access.factories import AgreementFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .conftest import HIDDEN_GIVEN
from .factories import ContextCaseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_large_groups_people_and_events_are_paged_apart(client, world):
    AgreementFactory(provider=world.police, recipient=world.users[Role.HUB_PRACTITIONER].agency,
                     categories=["identity", "police_incidents"], purposes=["triage"])
    for i in range(55):
        person = PersonFactory(family_name=f"Member{i:02d}", locality=world.known.locality)
        MembershipFactory(person=person, group=world.group, source=world.police)
        InvolvementFactory(person=person, event=EventFactory(reporting_agency=world.police))
    # The Hub practitioner triages the locality's children.
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    address = reverse("contexts:group", args=[world.group.pk])
    first = client.get(address).content.decode()
    assert "56 people you may see, by family name: page 1 of 2." in first  # not the hidden one
    assert "events you may see, most recent first: page 1 of 2." in first
    assert first.count("/people/") - first.count('href="/people/"') >= 50
    later = client.get(address, {"people": 2, "events": 2}).content.decode()
    assert "page 2 of 2" in later and "Member54" in later and "Member00" not in later
    # Turning one list's page keeps the other's.
    assert "events=2&amp;people=1" in later and "people=2&amp;events=1" in later


def _names_in_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_people_are_listed_by_family_name_whatever_its_case(client, world):
    """'ALLEN' as one agency writes it sits beside 'Allen', not before 'Abdi', and someone
    known only by a first name comes after everyone with a family name: both pages listed
    upper-case names first and first-name-only people at the top (seen on the tour)."""
    names = {"Zed ALLEN": ("Zed", "ALLEN"), "Daniel Abdi": ("Daniel", "Abdi"),
             "Amy Allen": ("Amy", "Allen"), "Danielle": ("Danielle", ""),
             "Liam baker": ("Liam", "baker")}
    for given, family in names.values():
        person = PersonFactory(given_name=given, family_name=family,
                               locality=world.known.locality)
        MembershipFactory(person=person, group=world.group, source=world.police)
    case = ContextCaseFactory(kind="group", place=None, group=world.group)
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    expected = ["Daniel Abdi", "Amy Allen", "Zed ALLEN", "Liam baker", "Ashanti Mbeki",
                "Danielle"]
    for address in (reverse("contexts:group", args=[world.group.pk]),
                    reverse("contexts:case", args=[case.pk])):
        page = client.get(address).content.decode()
        assert _names_in_order(page, expected) == expected, address


def test_a_case_lists_the_children_it_affects_apart_from_the_adults_linked_to_it(client, world):
    # "Children this context affects" listed every person linked to the place, adults too
    # (Tanner House: 30+ names), so a practitioner could not see which were children.
    for given, born, kind in (("Kian", dt.date(2010, 5, 1), "child"),
                              ("Gary", dt.date(1988, 2, 2), "adult_of_concern"),
                              ("Leon", None, "young_adult")):
        person = PersonFactory(given_name=given, family_name="Tanner", date_of_birth=born,
                               kind=kind, locality=world.known.locality)
        MembershipFactory(person=person, group=world.group, source=world.police)
    case = ContextCaseFactory(kind="group", place=None, group=world.group)
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    page = client.get(reverse("contexts:case", args=[case.pk])).content.decode()
    children = page.split("Children this context affects")[1].split("Adults linked")[0]
    adults = page.split("Adults linked to this context")[1].split("<h2")[0]
    assert "Kian Tanner" in children and "Ashanti Mbeki" in children
    assert "Gary Tanner" not in children and "Leon Tanner" not in children
    assert "Gary Tanner" in adults and "Leon Tanner" in adults and "Kian" not in adults
    # Those the viewer may not see are still only a count (suppressed when small).
    assert HIDDEN_GIVEN not in page and "Not shown:" in page
