"""A mistaken meeting action is corrected with a reason: the earlier wording stays on the
record, the owning team's task follows, and the audit log says who put it right."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role, Team
from saferoptions.meetings.models import MeetingAction
from saferoptions.tasks.models import Notification, TaskStatus
from tests.core.factories import UserFactory

from .factories import MeetingActionCorrectionFactory
from .test_pages import agenda, client_for, run_meeting  # noqa: F401 (agenda is a fixture)

pytestmark = pytest.mark.django_db


def _action(chair, world, item):
    team = Team.objects.get(slug="early-help-north")
    chair.post(f"/meetings/{world.meeting.pk}/items/{item.pk}/actions/",
               {"description": "Offer a return home interview", "team": team.pk,
                "due_on_day": "10", "due_on_month": "3", "due_on_year": "2026"})
    return MeetingAction.objects.get()


def _url(world, action):
    return f"/meetings/{world.meeting.pk}/items/{action.item_id}/actions/{action.pk}/correct/"


def _other_team(action):
    return Team.objects.exclude(pk=action.team_id).order_by("pk").first()


def _correction(team, reason="The wrong team and date were chosen"):
    return {"description": "Offer a return home interview with a youth worker",
            "team": team.pk, "due_on_day": "12", "due_on_month": "3", "due_on_year": "2026",
            "reason": reason}


def test_a_correction_is_kept_audited_shown_and_the_task_follows(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    task = action.task
    task.assigned_to = UserFactory(team=action.team)
    task.save()
    new_team = _other_team(action)
    member = UserFactory(team=new_team)
    form = chair.get(_url(world, action))
    assert form.status_code == 200 and "Why the action is corrected" in form.content.decode()
    before = AuditEntry.objects.filter(action="correct_meeting_action").count()

    response = chair.post(_url(world, action), _correction(new_team))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Offer a return home interview with a youth worker"
    assert action.team == new_team and action.due_on == dt.date(2026, 3, 12)
    correction = action.corrections.get()
    assert correction.old_description == "Offer a return home interview"
    assert correction.old_due_on == dt.date(2026, 3, 10)
    assert correction.corrected_by == world.users["chair"]
    assert correction.reason == "The wrong team and date were chosen"
    entry = AuditEntry.objects.filter(action="correct_meeting_action").last()
    assert AuditEntry.objects.filter(action="correct_meeting_action").count() == before + 1
    assert entry.detail["changed"] == ["description", "team", "due_on"]
    task.refresh_from_db()
    assert task.description == action.description and task.team == new_team
    assert task.due_at.date() == dt.date(2026, 3, 12) and task.assigned_to is None
    assert Notification.objects.filter(user=member, task=task).exists()  # the new team is told
    body = chair.get(f"/meetings/{world.meeting.pk}/items/{action.item_id}/").content.decode()
    assert "Corrected" in body and "The wrong team and date were chosen" in body
    assert "Offer a return home interview →" in body  # the earlier wording, still shown


def test_a_correction_needs_a_reason_and_keeps_the_form(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    response = chair.post(_url(world, action), _correction(_other_team(action), reason=" "))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter why the action is corrected." in body
    assert "Why the action is corrected: Enter" not in body  # the message names the box
    assert "Offer a return home interview with a youth worker" in body  # what they typed
    action.refresh_from_db()
    assert action.description == "Offer a return home interview" and not action.corrections.all()


def test_a_correction_that_changes_nothing_is_refused_on_the_form(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    response = chair.post(_url(world, action), {
        "description": action.description, "team": action.team_id, "due_on_day": "10",
        "due_on_month": "3", "due_on_year": "2026", "reason": "Checking"})
    assert response.status_code == 400
    assert "Change the action, its owning team or its due date" in response.content.decode()


def test_only_the_chair_may_correct_and_others_see_the_common_404(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    stranger = client_for(UserFactory(role=Role.POLICE_OFFICER))
    assert stranger.get(_url(world, action)).status_code == 404
    assert stranger.post(_url(world, action),
                         _correction(_other_team(action))).status_code == 404
    wrong = f"/meetings/{world.meeting.pk}/items/{agenda['zeph'].pk}/actions/{action.pk}/correct/"
    assert chair.post(wrong, _correction(_other_team(action))).status_code == 404
    action.refresh_from_db()
    assert not action.corrections.exists()


def test_after_the_meeting_closes_an_action_can_still_be_put_right(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    action = _action(chair, world, agenda["amara"])
    chair.post(f"/meetings/{world.meeting.pk}/items/{action.item_id}/discussion/",
               {"notes": "", "decision": "Offer support", "discussed": "on"})
    assert chair.post(f"/meetings/{world.meeting.pk}/close/").status_code == 302
    assert chair.post(_url(world, action), _correction(action.team)).status_code == 302
    minutes = chair.get(f"/meetings/{world.meeting.pk}/minutes/").content.decode()
    assert "Corrected" in minutes and "The wrong team and date were chosen" in minutes
    response = chair.post(
        f"/meetings/{world.meeting.pk}/items/{action.item_id}/actions/{action.pk}/withdraw/",
        {"reason": "The family moved away"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.withdrawn_reason == "The family moved away"  # kept, not deleted
    assert action.task.status == TaskStatus.CANCELLED
    assert AuditEntry.objects.filter(action="withdraw_meeting_action").exists()
    # A withdrawn action takes no more corrections, and says so on the form.
    refused = chair.post(_url(world, action), _correction(_other_team(action)))
    assert refused.status_code == 400 and "was withdrawn" in refused.content.decode()


def test_the_correction_factory_makes_a_row():
    assert MeetingActionCorrectionFactory().changes[0][0] == "Action"
