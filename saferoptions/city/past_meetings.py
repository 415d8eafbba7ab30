"""The recent locality meetings: held during the replay, so the demo has minutes and actions.

Without them the meetings page says "No past meetings" and next week's agenda has no
actions to chase. The replay holds each locality's meeting on two days (`meeting_days`): the
last meeting day at least `ACTIONS_DAYS` old, whose actions have had time to fall due, and
the most recent meeting day before today, if that is a later one, whose actions may still
be open (a chair's "Past" list that skipped last week's meeting would look broken). When
the replay's clock reaches a meeting, it is held through the meetings services the pages
use: the agenda built (which invites those who work with its children), the partners
invited, everyone recorded present, the first items discussed with a decision, a few
actions agreed (each becomes the owning team's task), the rest carried over to the next
meeting, and the meeting closed, which makes the minutes. The teams then settle the action
tasks like any other work (`settling.py`): most done, a few overdue for the next agenda.

Only active accounts can take part (the services refuse others): a locality's chair, else
its team manager, else the Hub (which may chair any locality). A locality with none is not
held. Discussion and decisions are stock phrases, never copied from a record.
"""

import datetime as dt
import random

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from saferoptions.access.policy import roles_with
from saferoptions.core.models import Locality, Role, Team, User
from saferoptions.meetings import order, services
from saferoptions.meetings.errors import NotAllowed, Refused
from saferoptions.meetings.models import MeetingStatus

ACTIONS_DAYS = 5  # the held meeting is at least this old: its actions have fallen due
DISCUSSED = 5  # items discussed; the rest are carried over to the next meeting
ACTIONS = 3  # actions agreed at each meeting (on the first items discussed)
# The partners in the room (journey 5): police, education, health, Barnardo's and housing.
PARTNER_ROLES = (Role.POLICE_OFFICER, Role.EDUCATION_INCLUSION_MANAGER,
                 Role.HEALTH_PRACTITIONER, Role.LEAD_WORKER, Role.HOUSING_OFFICER)
NOTES = [
    "Partners shared what they know since the last meeting. School attendance has dropped; "
    "police have no new reports this week.",
    "The lead professional gave an update. The family are engaging; partners agreed to keep "
    "watching for the signs discussed.",
    "Partners compared notes on who the child is seen with and where; housing and police to "
    "share anything new through the Hub.",
]
DECISIONS = [
    "Keep under review at the next meeting; the lead professional to update partners.",
    "Agreed a joint visit and a safety plan with the family.",
    "Refer for mentoring; partners to share new information through the Hub.",
    "No further multi-agency action for now; the school will raise any new concern.",
]
ACTION_WORDS = [
    "Joint visit to the family with the school's safeguarding lead",
    "Share the safety plan with the partners in the room",
    "Check the place with the neighbourhood policing team and report back",
    "Offer the child a mentor and tell the lead professional",
]


def meeting_day(today: dt.date) -> dt.date:
    """The last meeting weekday at least ACTIONS_DAYS before today."""
    day = today - dt.timedelta(days=(today.weekday() - settings.MEETINGS_WEEKDAY) % 7)
    while (today - day).days < ACTIONS_DAYS:
        day -= dt.timedelta(days=7)
    return day


def latest_meeting_day(today: dt.date) -> dt.date:
    """The most recent meeting weekday before today (today's meeting is still to come)."""
    return today - dt.timedelta(days=(today.weekday() - settings.MEETINGS_WEEKDAY - 1) % 7 + 1)


def meeting_days(today: dt.date) -> list[dt.date]:
    """The days the demo holds its meetings, oldest first: one whose actions have fallen due,
    and the latest, when it is a later day."""
    return sorted({meeting_day(today), latest_meeting_day(today)})


def meeting_moment(day: dt.date) -> dt.datetime:
    """When that day's meetings start, local time."""
    hours, minutes = (int(part) for part in settings.MEETINGS_START.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


def chair_for(locality: Locality) -> User | None:
    """Who chairs: the locality's chair, else its team manager, else the Hub (city-wide)."""
    found = User.objects.filter(Q(locality=locality) | Q(locality__isnull=True),
                                is_active=True, role__in=roles_with("chair_meetings"))
    preference = [Role.LOCALITY_CHAIR, Role.TEAM_MANAGER, Role.HUB_PRACTITIONER]
    ranked = sorted(found, key=lambda u: (
        preference.index(u.role) if u.role in preference else len(preference),
        u.locality_id is None, not u.username.startswith("demo-"), u.username))
    return ranked[0] if ranked else None


def partners() -> list[User]:
    """One active practitioner of each partner role, demo accounts first."""
    chosen = []
    for role in PARTNER_ROLES:
        users = User.objects.filter(is_active=True, role=role).order_by("username")
        pick = users.filter(username__startswith="demo-").first() or users.first()
        if pick is not None:
            chosen.append(pick)
    return chosen


def hold(locality: Locality, *, day: dt.date, seed: int) -> int:
    """Hold the locality's meeting on `day` (the clock at its start); how many actions agreed.

    0, and nothing held, where nobody may chair or the meeting is not planned any more."""
    chair = chair_for(locality)
    meeting = services.ensure_meeting(locality=locality, held_on=day)
    if chair is None or meeting.status != MeetingStatus.PLANNED:
        return 0
    rng = random.Random(f"{seed}:meeting:{locality.slug}:{day.isoformat()}")
    services.refresh_agenda(actor=chair, meeting=meeting)
    for partner in partners():
        services.invite(actor=chair, meeting=meeting, user=partner)
    meeting = services.start_meeting(actor=chair, meeting=meeting)
    services.record_attendance(actor=chair, meeting=meeting,
                               present=set(meeting.attendees.values_list("pk", flat=True)))
    items, _ = order.in_order(list(meeting.items.all()))
    agreed, discussed = 0, []
    for item in items[:DISCUSSED]:
        try:
            services.record_discussion(actor=chair, item=item, notes=rng.choice(NOTES),
                                       decision=rng.choice(DECISIONS))
            discussed.append(item)
            if agreed < ACTIONS:
                services.add_action(actor=chair, item=item, description=rng.choice(ACTION_WORDS),
                                    team=_owning_team(rng, locality),
                                    due_on=day + dt.timedelta(days=rng.randint(1, 4)))
                agreed += 1
        except (NotAllowed, Refused):
            continue  # an item the chair may not reach is left for the next meeting
    agreed += _report_back(chair, discussed, day)
    services.close_meeting(actor=chair, meeting=meeting)
    return agreed


REPORT_BACK = "Find what your agency knows and report back at the next meeting"


def _report_back(chair, discussed: list, day: dt.date) -> int:
    """Actions due at the next meeting, a week on: the partner teams' work stays open until
    then, whatever day of the week the demo is opened (their other actions, due within four
    days, were all settled by a weekend, so the housing officer's and the ED's lists were
    empty on a Saturday or Sunday). Each partner in the room takes one away from every
    meeting that discussed anything (a small city's quiet locality may discuss nothing)."""
    agreed = 0
    teams = Team.objects.filter(slug__in=PARTNER_TEAMS).order_by("slug")
    for n, team in enumerate(teams if discussed else []):
        item = discussed[n % len(discussed)]
        try:
            services.add_action(actor=chair, item=item, description=REPORT_BACK, team=team,
                                due_on=day + dt.timedelta(days=7))
            agreed += 1
        except (NotAllowed, Refused):
            continue
    return agreed


# The city-wide teams of the partners in the room, who take actions away as the locality does.
PARTNER_TEAMS = ("police-exploitation", "education-inclusion", "hospital-ed", "housing")


def _owning_team(rng: random.Random, locality: Locality) -> Team:
    """One of the locality's own teams, or a city-wide partner team."""
    teams = list(Team.objects.filter(Q(locality=locality) | Q(slug__in=PARTNER_TEAMS))
                 .order_by("slug"))
    return rng.choice(teams)
