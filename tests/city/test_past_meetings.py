"""Last week's locality meetings in the demo (journey 5): held through the meetings services
during the replay, closed with minutes, their actions the teams' tasks, done or overdue."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from saferoptions.audit.verification import verify
from saferoptions.city.past_meetings import meeting_day
from saferoptions.core import clock
from saferoptions.core.models import Locality, User
from saferoptions.meetings.models import LocalityMeeting, MeetingAction, MeetingStatus
from saferoptions.tasks.models import TaskStatus

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=LONDON)  # a Wednesday morning


def run(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, tmp_path):
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    run("generate_city", "--children", "300", "--seed", "2", "--ending-today")
    run("create_demo_accounts")
    return run("bring_demo_to_life")


def test_the_meeting_day_held_is_old_enough_for_its_actions_to_fall_due():
    assert meeting_day(dt.date(2025, 3, 12)) == dt.date(2025, 3, 4)  # Wednesday: last week's
    assert meeting_day(dt.date(2025, 3, 11)) == dt.date(2025, 3, 4)  # Tuesday: a week ago
    assert meeting_day(dt.date(2025, 3, 10)) == dt.date(2025, 3, 4)  # Monday: six days ago


def test_last_weeks_meetings_are_closed_with_minutes_attendees_and_actions(demo):
    held = LocalityMeeting.objects.filter(held_on=dt.date(2025, 3, 4))
    assert held.count() == Locality.objects.count()
    assert all(m.status == MeetingStatus.CLOSED and m.chair_id for m in held)
    for meeting in held:
        assert meeting.attendees.filter(attended=True).exists()
        # the first items (up to five) discussed with a decision; a small city's quiet
        # locality may have had nothing on its agenda
        discussed = meeting.items.filter(discussed=True).exclude(decision="").count()
        assert discussed == min(5, meeting.items.count())
    assert sum(m.items.count() for m in held) > 0
    actions = MeetingAction.objects.filter(item__meeting__in=held).select_related("task")
    assert actions.exists() and all(a.task_id for a in actions)
    # the teams settled them like any other work: done, and (at most) a few still open
    statuses = {a.task.status for a in actions}
    assert TaskStatus.DONE in statuses
    assert verify().broken is None

    # the north chair finds last week's meeting and its minutes
    chair = User.objects.get(username="demo-locality-chair")
    north = held.get(locality=chair.locality)
    client = Client()
    client.force_login(chair)
    with clock.frozen(NOW):
        listing = client.get("/meetings/").content.decode()
        assert "No past meetings" not in listing and f"/meetings/{north.pk}/" in listing
        minutes = client.get(f"/meetings/{north.pk}/minutes/")
    assert minutes.status_code == 200 and "Minutes" in minutes.content.decode()
    # next week's agenda carries over what last week did not reach
    upcoming = LocalityMeeting.objects.get(locality=chair.locality, held_on__gt=NOW.date())
    if north.items.filter(discussed=False).exists():
        assert upcoming.items.filter(sources__has_key="carried_from").exists()
