"""The people list pages fifty at a time: page 2 shows the rest, with the way back."""

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import PlaceFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    for n in range(51):  # sorted by family name: Family50 is alone on page 2
        TeamMemberFactory(person=PersonFactory(given_name="Ash", family_name=f"Family{n:02}"),
                          user=worker)
    return worker


def test_page_two_shows_the_last_child_with_a_link_back_to_page_one(client, worker):
    client.force_login(worker)
    first = client.get(reverse("people:search"), {"q": "ash"})
    assert len(first.context["found"].people) == 50
    assert "51 found, page 1 of 2." in first.content.decode()
    assert 'href="?q=ash&page=2" rel="next"' in first.content.decode()
    second = client.get(reverse("people:search"), {"q": "ash", "page": 2})
    body = second.content.decode()
    assert [p.family_name for p in second.context["found"].people] == ["Family50"]
    assert "51 found, page 2 of 2." in body and 'class="govuk-pagination"' in body
    assert 'href="?q=ash&page=1" rel="prev"' in body and 'rel="next"' not in body
    entry = AuditEntry.objects.filter(object_type="person", action="search").last()
    assert entry.detail == {"page": 2, "total": 51} and len(entry.object_ids) == 1


def test_a_page_past_the_end_shows_the_last_and_the_api_pages_the_same(client, worker):
    client.force_login(worker)
    past = client.get(reverse("people:search"), {"page": 9})
    assert past.context["found"].page == 2 and len(past.context["found"].people) == 1
    api = client.get(reverse("people-api:list"), {"page": 2}).json()
    assert (api["total"], api["page"], api["pages"]) == (51, 2, 2)
    assert [r["family_name"] for r in api["results"]] == ["Family50"]


def test_a_childs_record_shows_ethnicity_and_sex_in_words_not_codes(client):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    child = PersonFactory(given_name="Ash", family_name="Words")
    TeamMemberFactory(person=child, user=worker)
    IdentityFactory(person=child, agency=worker.agency, ethnicity="asian_bangladeshi", sex="F")
    client.force_login(worker)
    body = client.get(reverse("people:detail", args=[child.public_id])).content.decode()
    assert "Asian: Bangladeshi" in body and "asian_bangladeshi" not in body


def test_records_with_no_family_name_come_last_on_the_list_the_api_and_the_export(client):
    """Unmatched ED referrals (a first name only) sorted first filled page 1 of Find a child."""
    worker, stranger = UserFactory(role=Role.SOCIAL_WORKER), UserFactory(role=Role.SOCIAL_WORKER)
    for given, family in (("Zoe", ""), ("Amir", "Young"), ("Ben", ""), ("Cara", "Abbott"),
                          ("Ann", "Abbott"), ("Beth", "AHMED"), ("Adam", "Ahmed"),
                          ("ali", "Ahmed")):
        TeamMemberFactory(person=PersonFactory(given_name=given, family_name=family),
                          user=worker)
    # Capitals sort with the rest (an agency's AHMED beside Ahmed, not before Abbott).
    expected = ["Ann Abbott", "Cara Abbott", "Adam Ahmed", "ali Ahmed", "Beth AHMED",
                "Amir Young", "Ben ", "Zoe "]
    client.force_login(worker)
    page = client.get(reverse("people:search"))
    assert [f"{p.given_name} {p.family_name}" for p in page.context["found"].people] == expected
    api = client.get(reverse("people-api:list")).json()["results"]
    assert [f"{r['given_name']} {r['family_name']}" for r in api] == expected
    rows = client.get(reverse("people:export")).content.decode().splitlines()[1:]
    assert [" ".join(r.split(",")[1:3]) for r in rows] == expected
    assert client.get(reverse("people:search"), {"page": "²"}).status_code == 400
    client.force_login(stranger)  # nobody on their team: none of them, first or last
    assert client.get(reverse("people:search")).context["found"].people == []


def test_a_childs_record_links_a_place_only_for_whoever_may_open_it(client, settings):
    # The data protection officer reading a record met a link to every event's place, and
    # each link was a 404: places are open to roles whose rule names them, and hers does not.
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    child = PersonFactory(given_name="Ash", family_name="Where")
    TeamMemberFactory(person=child, user=worker)
    place = PlaceFactory(name="Tannery Arms")
    InvolvementFactory(event=EventFactory(reporting_agency=worker.agency, place=place),
                       person=child, role="subject")
    client.force_login(worker)
    url = reverse("people:detail", args=[child.public_id])
    link = f'href="{reverse("contexts:place", args=[place.pk])}"'
    body = client.get(url).content.decode()
    assert "Tannery Arms" in body and link in body
    rules = {**settings.ACCESS_ROLE_RULES}
    rules[Role.SOCIAL_WORKER] = {**rules[Role.SOCIAL_WORKER], "contexts": []}
    settings.ACCESS_ROLE_RULES = rules
    assert client.get(reverse("contexts:place", args=[place.pk])).status_code == 404
    body = client.get(url).content.decode()
    assert "Tannery Arms" in body and link not in body
