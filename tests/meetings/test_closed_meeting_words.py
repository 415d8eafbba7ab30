"""What a closed meeting's pages say about items it did not discuss (seen walking the demo):
they read "Not yet" as if the meeting could still reach them, and the minutes said every one
was "Carried over to the next meeting" while the next agenda listed some as not carried."""

import pytest
from django.test import Client

from saferoptions.meetings import services

from .factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def _chair(world) -> Client:
    client = Client()
    client.force_login(world.users["chair"])
    return client


@pytest.fixture
def closed(world):
    item = AgendaItemFactory(meeting=world.meeting, person=world.known_to_police, kind="child",
                             position=1)
    chair = world.users["chair"]
    services.start_meeting(actor=chair, meeting=world.meeting)
    services.close_meeting(actor=chair, meeting=world.meeting)
    return item


def test_an_open_meeting_says_not_yet(world):
    AgendaItemFactory(meeting=world.meeting, person=world.known_to_police, kind="child",
                      position=1)
    page = _chair(world).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert ">Not yet</strong>" in page and ">Not discussed</strong>" not in page


def test_a_closed_meeting_says_not_discussed_and_never_promises_a_carry_over(world, closed):
    client = _chair(world)
    page = client.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert ">Not discussed</strong>" in page and ">Not yet<" not in page
    item = client.get(f"/meetings/{world.meeting.pk}/items/{closed.pk}/").content.decode()
    assert "Not yet" not in item
    minutes = client.get(f"/meetings/{world.meeting.pk}/minutes/").content.decode()
    assert "Carried over to the next meeting" not in minutes
    assert "carries an item over only while its reason still holds" in minutes


def test_the_minutes_label_an_items_actions(world, closed):
    closed.discussed, closed.decision = True, "Keep under review"
    closed.save()
    minutes = _chair(world).get(f"/meetings/{world.meeting.pk}/minutes/").content.decode()
    assert '<h4 class="govuk-heading-s govuk-!-margin-bottom-2">Actions</h4>' in minutes
