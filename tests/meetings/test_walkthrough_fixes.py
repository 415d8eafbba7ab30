"""What a tester met walking journey 5 (issue 13): invited partners told honestly what opens
the children, no dead-end links, no second invitations, places named on the agenda, every
reason readable, and the owning team chosen by search-as-you-type."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from saferoptions.core import clock
from saferoptions.core.models import Agency, Role, Team
from saferoptions.meetings import selectors
from saferoptions.meetings.agenda import build_agenda
from saferoptions.meetings.models import Attendee, MeetingAction
from saferoptions.tasks.models import TaskStatus
from tests.core.factories import UserFactory

from .builders import flagged_child, place_case, place_review
from .factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

WAIT = ("You can open the children on this agenda once the chair records you as present at "
        "the meeting.")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agenda(world):
    return [AgendaItemFactory(meeting=world.meeting, person=world.known_to_police,
                              kind="child", position=1),
            AgendaItemFactory(meeting=world.meeting, person=world.health_only,
                              kind="child", position=2)]


def _item_links(page: str, meeting) -> set:
    return set(re.findall(rf'href="/meetings/{meeting.pk}/items/(\d+)/"', page))


def test_an_invited_officer_not_yet_present_is_told_what_opens_the_children(world, agenda):
    police = client_for(world.users["police"])
    page = police.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert page.count(WAIT) == 2
    assert "Not shown: you do not have access" not in page
    assert not _item_links(page, world.meeting)  # no link leads to a dead end
    for secret in ("Amara", "Okafor", "Zephyrine", "Quillfeather"):
        assert secret not in page
    # the item page, reached by its address, says the same and leads back to the agenda
    item = police.get(f"/meetings/{world.meeting.pk}/items/{agenda[0].pk}/").content.decode()
    assert WAIT in item and "Amara" not in item
    assert f'href="/meetings/{world.meeting.pk}/"' in item


def test_once_present_the_officer_opens_the_children_through_the_agenda(world, agenda):
    chair = client_for(world.users["chair"])
    assert chair.post(f"/meetings/{world.meeting.pk}/start/").status_code == 302
    police_row = Attendee.objects.get(meeting=world.meeting, user=world.users["police"])
    chair.post(f"/meetings/{world.meeting.pk}/attendance/", {"present": [str(police_row.pk)]})
    page = client_for(world.users["police"]).get(f"/meetings/{world.meeting.pk}/")
    body = page.content.decode()
    assert WAIT not in body and "Amara Okafor" in body
    assert _item_links(body, world.meeting) == {str(agenda[0].pk), str(agenda[1].pk)}


def test_an_officer_recorded_absent_at_a_closed_meeting_is_told_why(world, agenda):
    chair = client_for(world.users["chair"])
    chair.post(f"/meetings/{world.meeting.pk}/start/")
    chair.post(f"/meetings/{world.meeting.pk}/attendance/", {"present": []})
    chair.post(f"/meetings/{world.meeting.pk}/close/")
    body = client_for(world.users["police"]).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "You were not recorded as present at this meeting" in body
    assert WAIT not in body and not _item_links(body, world.meeting)


def test_people_already_invited_are_not_offered_again(world, agenda):
    chair = client_for(world.users["chair"])
    page = chair.get(f"/meetings/{world.meeting.pk}/").content.decode()
    form = page[page.index(f'action="/meetings/{world.meeting.pk}/attendees/"'):]
    options = set(re.findall(r'<option value="(\d+)"', form[:form.index("</select>")]))
    assert str(world.users["other_police"].pk) in options
    assert str(world.users["police"].pk) not in options  # already invited
    assert "People already invited are listed under Attendees" in page
    # invited by a hand-made POST all the same: refused on the field, not a second row
    response = chair.post(f"/meetings/{world.meeting.pk}/attendees/",
                          {"user": world.users["police"].pk})
    assert response.status_code == 400
    assert "People already invited are not offered again." in response.content.decode()
    assert Attendee.objects.filter(meeting=world.meeting, user=world.users["police"]).count() == 1


def test_a_place_item_is_titled_by_the_place_and_links_to_it_with_every_reason(world):
    case = place_case(world.north)
    review = place_review(world.north)
    # the review's place also has an open case: one item, two reasons
    review.place = case.place
    review.save(update_fields=["place"])
    build_agenda(world.meeting)
    item = world.meeting.items.get(key=f"place:{case.place_id}")
    body = client_for(world.users["chair"]).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert f"Place: {case.place.name}" in body
    assert f'href="{reverse("contexts:place", args=[case.place_id])}"' in body
    assert "(and 1 more reason)" in body
    details = body[body.index("(and 1 more reason)"):]
    details = details[:details.index("</details>")]
    assert "Open place case since" in details and "Place review for" in details
    # a viewer whose role may not see places: no name, no link, just why
    dpo = UserFactory(role=Role.DATA_PROTECTION_OFFICER,
                      agency=Agency.objects.get(slug="social-care"))
    view = selectors.item_view(dpo, item)
    assert not view.visible and not view.place_link and case.place.name not in view.title


def test_a_place_link_goes_to_the_places_own_page(world):
    case = place_case(world.north)
    build_agenda(world.meeting)
    item = world.meeting.items.get(key=f"place:{case.place_id}")
    view = selectors.item_view(world.users["chair"], item)
    assert view.visible and view.place_link
    assert client_for(world.users["chair"]).get(view.place_link).status_code == 200


def test_the_owning_team_is_a_search_as_you_type_picker_over_a_plain_select(world, agenda):
    chair = client_for(world.users["chair"])
    chair.post(f"/meetings/{world.meeting.pk}/start/")
    body = chair.get(f"/meetings/{world.meeting.pk}/items/{agenda[0].pk}/").content.decode()
    select = re.search(r'<select[^>]*name="team"[^>]*>', body).group(0)
    assert 'data-autocomplete="single"' in select
    assert "accessible-autocomplete.min.js" in body and "core/autocomplete.js" in body
    # the plain select still lists every team (the no-script fallback)
    assert body.count("<option value=") >= Team.objects.count()


def test_a_flagged_child_keeps_its_single_reason_without_a_details_box(world):
    flagged_child(world.north)
    build_agenda(world.meeting)
    body = client_for(world.users["chair"]).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "more reason" not in body and "Every reason" not in body


def test_each_action_shows_whether_its_task_is_done_or_overdue(world, agenda):
    chair = client_for(world.users["chair"])
    chair.post(f"/meetings/{world.meeting.pk}/start/")
    item = f"/meetings/{world.meeting.pk}/items/{agenda[0].pk}/"
    team = Team.objects.get(slug="early-help-north").pk
    for words in ("Visit the family", "Share the plan"):
        assert chair.post(f"{item}actions/", {"description": words, "team": team,
                                              "due_on": "2026-03-05"}).status_code == 302
    done, late = MeetingAction.objects.order_by("pk")
    done.task.status = TaskStatus.DONE
    done.task.save(update_fields=["status"])
    assert re.search(r"govuk-tag--blue\">Open<", chair.get(item).content.decode())
    with clock.frozen(dt.datetime(2026, 3, 9, 12, tzinfo=dt.UTC)):
        body = chair.get(item).content.decode()
    assert re.search(r"govuk-tag--green\">Done<", body)
    assert re.search(r"govuk-tag--red\">Overdue<", body)


def test_the_minutes_give_every_reason_an_item_was_on_the_agenda(world):
    """Minutes are the record each agency keeps and prints: they gave the first reason and
    '(and 1 more reason)', with no way to read the other (seen on the tour)."""
    case = place_case(world.north)
    review = place_review(world.north)
    review.place = case.place
    review.save(update_fields=["place"])
    build_agenda(world.meeting)
    body = client_for(world.users["chair"]).get(
        f"/meetings/{world.meeting.pk}/minutes/").content.decode()
    row = body[body.index(f"Place: {case.place.name}"):]
    row = row[:row.index("</tr>")]
    assert "Open place case since" in row and "Place review for" in row
    assert "more reason" not in row
