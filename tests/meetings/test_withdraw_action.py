"""A mistaken meeting action is withdrawn with a reason: it stays on the record, audited."""

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role, Team
from saferoptions.meetings.models import MeetingAction
from saferoptions.tasks.models import TaskStatus
from tests.core.factories import UserFactory

from .test_pages import agenda, client_for, run_meeting  # noqa: F401 (agenda is a fixture)

pytestmark = pytest.mark.django_db


def _action(chair, world, item):
    team = Team.objects.get(slug="early-help-north")
    chair.post(f"/meetings/{world.meeting.pk}/items/{item.pk}/actions/",
               {"description": "Offer a return home interview", "team": team.pk,
                "due_on_day": "10", "due_on_month": "3", "due_on_year": "2026"})
    return MeetingAction.objects.get()


def _withdraw_url(world, action):
    return (f"/meetings/{world.meeting.pk}/items/{action.item_id}/actions/"
            f"{action.pk}/withdraw/")


def test_a_withdrawn_action_stays_on_record_with_its_reason(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    before = AuditEntry.objects.filter(object_type="locality_meeting").count()
    response = chair.post(_withdraw_url(world, action), {"reason": "Meant for the other child"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.withdrawn_at and action.withdrawn_by == world.users["chair"]
    assert action.withdrawn_reason == "Meant for the other child"
    assert action.task.status == TaskStatus.CANCELLED  # the team is not left doing it
    assert AuditEntry.objects.filter(object_type="locality_meeting").count() == before + 1
    page = chair.get(f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/")
    body = page.content.decode()
    assert "Offer a return home interview" in body and "Meant for the other child" in body
    assert "Withdrawn" in body


def test_withdrawing_needs_a_reason_and_comes_back_to_the_page(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    response = chair.post(_withdraw_url(world, action), {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why the action is withdrawn." in response.content.decode()
    action.refresh_from_db()
    assert action.withdrawn_at is None and action.task.status == TaskStatus.OPEN


def test_only_the_chair_may_withdraw_and_others_see_the_common_404(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    stranger = UserFactory(role=Role.POLICE_OFFICER)
    assert client_for(stranger).post(_withdraw_url(world, action),
                                     {"reason": "x"}).status_code == 404
    wrong = f"/meetings/{world.meeting.pk}/items/{agenda['zeph'].pk}/actions/{action.pk}/withdraw/"
    assert chair.post(wrong, {"reason": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.withdrawn_at is None


def test_an_items_actions_page_fifty_at_a_time(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    first = _action(chair, world, agenda["amara"])
    MeetingAction.objects.bulk_create(
        MeetingAction(item=first.item, description=f"Action {n:02}", team=first.team,
                      due_on=first.due_on, created_by=first.created_by,
                      created_at=first.created_at) for n in range(52))
    url = f"/meetings/{world.meeting.pk}/items/{agenda['amara'].pk}/"
    page, last = chair.get(url), chair.get(url + "?page=2")
    assert len(page.context["actions"]) == 50 and len(last.context["actions"]) == 3
    assert 'class="govuk-pagination"' in page.content.decode()
    odd = chair.get(url + "?page=-1")
    assert odd.status_code == 200 and "is not a page number" in odd.content.decode()
