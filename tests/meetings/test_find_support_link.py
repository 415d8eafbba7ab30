"""A meeting action about a child offers find support for them (issue 14 §2), only to a viewer
the policy lets open the child; to anyone else the item stays a stub with no link."""

import html

import pytest
from django.urls import reverse

from saferoptions.core.models import Team

from .test_pages import agenda, client_for, run_meeting  # noqa: F401 (agenda is a fixture)

pytestmark = pytest.mark.django_db


def _support(person) -> str:
    return reverse("interventions:find-support", args=[person.public_id])


def _add_action(chair, world, item):
    team = Team.objects.get(slug="early-help-north")
    response = chair.post(f"/meetings/{world.meeting.pk}/items/{item.pk}/actions/",
                          {"description": "Broker mentoring for her", "team": team.pk,
                           "due_on": "2026-03-10"})
    assert response.status_code == 302


def test_the_chair_sees_find_support_on_the_childs_item_and_its_action(world,
                                                                       agenda):  # noqa: F811
    chair = run_meeting(world, present=())
    _add_action(chair, world, agenda["amara"])
    page = html.unescape(chair.get(
        f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/").content.decode())
    href = _support(world.known_to_police)
    assert f'id="find-support" href="{href}"' in page  # the item's summary
    assert f'class="govuk-link app-find-support" href="{href}"' in page  # the action
    assert "Find support for Amara Okafor" in page
    assert chair.get(href).status_code == 200  # the link never leads to the common 404


def test_an_officer_not_marked_present_sees_the_stub_and_no_link(world, agenda):  # noqa: F811
    chair = run_meeting(world, present=())
    _add_action(chair, world, agenda["amara"])
    police = client_for(world.users["police"])
    item = police.get(f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/")
    body = item.content.decode()
    assert item.status_code == 200 and 'id="not-shown"' in body
    assert "Find support" not in body and str(world.known_to_police.public_id) not in body
    assert police.get(_support(world.known_to_police)).status_code == 404


def test_attendance_opens_the_child_and_with_it_find_support(world, agenda):  # noqa: F811
    chair = run_meeting(world)  # the officer is marked present
    _add_action(chair, world, agenda["amara"])
    police = client_for(world.users["police"])
    body = police.get(f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/")
    assert _support(world.known_to_police) in body.content.decode()
    assert police.get(_support(world.known_to_police)).status_code == 200
