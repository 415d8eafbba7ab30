"""Linking graded intelligence to children, places and groups; accumulating concern by grade."""

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import Concern, ConcernSource
from saferoptions.cases.selectors.accumulation import tally_for
from saferoptions.core import clock
from saferoptions.core.models import Locality
from saferoptions.intelligence import services
from tests.contexts.factories import GroupFactory
from tests.people.factories import PersonFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db


def _linked(world, person, *, assessment="B"):
    report = submitted(world)
    graded(world, report, assessment=assessment)
    sanitised(world, report)
    services.link(actor=world.users["hub"], report=report, person=person)
    return report


def test_a_linked_item_shows_on_the_childs_page_only_to_those_who_may_open_the_child(
        client, world):
    _linked(world, world.child)
    url = f"/intelligence/people/{world.child.public_id}/"
    signed_in(client, world.users["social_worker"])  # in the team around the child
    page = client.get(url)
    assert page.status_code == 200
    assert "Adults seen giving gifts to children at a takeaway." in page.content.decode()
    for persona in ("police", "licensing", "analyst"):  # not working with the child
        signed_in(client, world.users[persona])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(("assessment", "weight"), [("A", 3), ("B", 2), ("C", 2), ("D", 1),
                                                    ("E", 0)])
def test_a_linked_item_counts_in_accumulating_concern_by_its_grade(world, assessment, weight):
    _linked(world, world.child, assessment=assessment)
    tally = tally_for(world.child, today=clock.today())
    assert tally.score == weight
    assert tally_for(world.other_child, today=clock.today()).score == 0


def test_regrading_changes_the_weight_and_can_prompt_a_review(world, settings):
    settings.CASES_ACCUMULATION = {**settings.CASES_ACCUMULATION, "threshold": 3}
    report = _linked(world, world.child, assessment="E")
    assert not Concern.objects.filter(source=ConcernSource.ACCUMULATION).exists()
    graded(world, report, assessment="A")  # re-checked for every linked child
    assert Concern.objects.filter(person=world.child, source=ConcernSource.ACCUMULATION).exists()


def test_a_child_the_analyst_may_not_see_cannot_be_linked(world):
    south = Locality.objects.get(slug="south")
    hub = world.users["hub"]
    hub.locality = Locality.objects.get(slug="north")
    hub.save()
    elsewhere = PersonFactory(given_name="Ola", family_name="Far", locality=south)
    report = submitted(world)
    graded(world, report)
    with pytest.raises(services.Refused) as refused:
        services.link(actor=hub, report=report, person=elsewhere)
    assert refused.value.field == "person" and not report.links.exists()


def test_links_to_places_and_groups_through_the_page(client, world):
    report = submitted(world)
    signed_in(client, world.users["hub"])
    label = world.place.pk  # chosen in the shared picker
    early = client.post(f"/intelligence/reports/{report.pk}/link/", {"place": label})
    assert early.status_code == 400 and "Grade the intelligence" in early.content.decode()
    graded(world, report)
    sanitised(world, report)
    assert client.post(f"/intelligence/reports/{report.pk}/link/",
                       {"place": label}).status_code == 302
    group = GroupFactory()
    assert client.post(f"/intelligence/reports/{report.pk}/link/",
                       {"group": group.pk}).status_code == 302
    two = client.post(f"/intelligence/reports/{report.pk}/link/",
                      {"group": group.pk, "place": label})
    assert two.status_code == 400 and "Choose one" in two.content.decode()
    again = client.post(f"/intelligence/reports/{report.pk}/link/", {"group": group.pk})
    assert again.status_code == 400 and "already linked" in again.content.decode()
    assert report.links.count() == 2
    page = client.get(f"/intelligence/places/{world.place.pk}/")
    assert "Adults seen giving gifts" in page.content.decode()
    signed_in(client, world.users["social_worker"])  # sees places; the item is P, own agency
    assert "Adults seen giving gifts" in client.get(
        f"/intelligence/places/{world.place.pk}/").content.decode()
    signed_in(client, world.users["housing"])  # sees places, but no agreement: nothing listed
    assert "Adults seen giving gifts" not in client.get(
        f"/intelligence/places/{world.place.pk}/").content.decode()


def test_a_childs_and_a_places_intelligence_pages_show_fifty_items_a_page_and_audit_those(
        client, world):
    for _ in range(53):
        services.link(actor=world.users["hub"], report=_linked(world, world.child),
                      place=world.place)
    signed_in(client, world.users["social_worker"])
    for url in (f"/intelligence/people/{world.child.public_id}/",
                f"/intelligence/places/{world.place.pk}/"):
        first, second = client.get(url), client.get(url + "?page=2")
        assert len(first.context["items"]) == 50 and len(second.context["items"]) == 3
        assert 'class="govuk-pagination"' in first.content.decode()
        listed = AuditEntry.objects.filter(action__startswith="intelligence_about_").latest("pk")
        assert sorted(listed.object_ids) == sorted(str(s.pk) for s in second.context["items"])
        odd = client.get(url + "?page=nine")
        assert odd.status_code == 200 and "is not a page number" in odd.content.decode()
