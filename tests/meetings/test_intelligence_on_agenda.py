"""Graded intelligence about a place brings it to the locality meeting, weighed by its grade.

The weights are the accumulating concern's (settings.CASES_ACCUMULATION): A 3, B 2, C 2, D 1,
E 0. An item suspected false (E) adds nothing and brings nothing; what may be read of the
intelligence is decided on the place's own page, never copied onto the agenda.
"""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.core import clock
from saferoptions.core.models import Agency, Role, Team, Ward
from saferoptions.intelligence import services
from saferoptions.meetings import order
from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.models import ItemKind
from tests.contexts.factories import PlaceFactory
from tests.core.factories import UserFactory

from .builders import place_case
from .factories import AT

pytestmark = pytest.mark.django_db

SECRET = "Two men hand out phones behind the counter"  # the original's words: never shown


@pytest.fixture
def hub(db):
    return UserFactory(username="hubanalyst", role=Role.HUB_PRACTITIONER,
                       agency=Agency.objects.get(slug="social-care"),
                       team=Team.objects.get(slug="hub"))


def _place(locality):
    return PlaceFactory(ward=Ward.objects.filter(locality=locality).first())


def _linked(hub, place, assessment, *, at=AT):
    with clock.frozen(at):
        report = services.submit(actor=hub, account=SECRET, place=place)
        services.grade(actor=hub, report=report, source_evaluation="2",
                       intelligence_assessment=assessment, handling_code="P",
                       source_risk="Low.")
        services.link(actor=hub, report=report, place=place)
    return report


def _page(world) -> str:
    client = Client()
    client.force_login(world.users["chair"])
    return client.get(f"/meetings/{world.meeting.pk}/").content.decode()


def test_a_place_with_graded_intelligence_is_one_item_weighed_by_grade(world, hub):
    place = _place(world.north)
    _linked(hub, place, "B")
    _linked(hub, place, "A", at=AT - dt.timedelta(days=1))
    _linked(hub, place, "E")  # suspected false: counted for nothing

    build_agenda(world.meeting)

    item = world.meeting.items.get(key=f"place:{place.pk}")
    assert item.kind == ItemKind.PLACE and len(item.sources["intelligence_links"]) == 2
    items, facts = order.in_order([item])
    assert order.weight(item, facts) == 5
    assert [r.text for r in facts.reasons(item)] == [
        "Graded intelligence about the place: 2 items weighing 5 by grade (latest linked "
        "3 Mar 2026)"]
    body = _page(world)
    assert "Graded intelligence about the place: 2 items weighing 5" in body
    assert SECRET not in body and SECRET not in item.why


def test_intelligence_suspected_false_or_elsewhere_brings_no_place(world, hub):
    false_only = _place(world.north)
    _linked(hub, false_only, "E")
    south = _place(world.south)
    _linked(hub, south, "A")
    before = _place(world.north)  # linked before the agenda's look-back: already discussed
    _linked(hub, before, "A", at=AT - dt.timedelta(days=60))

    build_agenda(world.meeting)

    keys = set(world.meeting.items.values_list("key", flat=True))
    assert not keys & {f"place:{p.pk}" for p in (false_only, south, before)}


def test_a_place_case_gathers_its_intelligence_and_heavier_places_come_first(world, hub):
    case = place_case(world.north)
    light = _place(world.north)
    _linked(hub, light, "D")
    _linked(hub, case.place, "A")
    _linked(hub, case.place, "C")

    build_agenda(world.meeting)

    reviewed = world.meeting.items.get(key=f"place:{case.place_id}")
    assert reviewed.sources["context_cases"] == [case.pk]
    ordered, facts = order.in_order(list(world.meeting.items.all()))
    assert [i.place_id for i in ordered] == [case.place_id, light.pk]  # 5 before 1
    assert len(facts.reasons(reviewed)) == 2  # the open case and the intelligence


def test_a_report_graded_again_weighs_by_its_new_grade(world, hub):
    place = _place(world.north)
    report = _linked(hub, place, "B")
    build_agenda(world.meeting)
    with clock.frozen(AT):
        services.grade(actor=hub, report=report, source_evaluation="3",
                       intelligence_assessment="E", handling_code="P", source_risk="Low.")
    item = world.meeting.items.get(key=f"place:{place.pk}")
    _, facts = order.in_order([item])
    assert order.weight(item, facts) == 0 and facts.reasons(item) == []
    build_agenda(world.meeting)  # the rebuild drops it: nothing brings it any more
    assert not world.meeting.items.filter(key=f"place:{place.pk}").exists()


def test_the_item_for_a_place_raised_by_intelligence_opens_the_places_page(world, hub):
    place = _place(world.north)
    _linked(hub, place, "B")
    build_agenda(world.meeting)
    item = world.meeting.items.get(key=f"place:{place.pk}")
    client = Client()
    client.force_login(world.users["chair"])
    body = client.get(f"/meetings/{world.meeting.pk}/items/{item.pk}/").content.decode()
    assert f'href="/contexts/places/{place.pk}/" id="place-page"' in body
    assert "Open the child's record" not in body and SECRET not in body
    # The chair follows it to the place's page, where the intelligence is read by handling code.
    assert client.get(f"/contexts/places/{place.pk}/").status_code == 200
