"""The demo's live week: the city's recent events go through the rules a feed would run.

The loader writes events straight into the database, so no rule has seen them: a demo would
open on empty inboxes, triage queues, clocks and agendas. `bring_demo_to_life` replays the
last few days' events, oldest first, through the same calls the feeds worker makes
(`apply_rules`, `name_child_on_tasks`, `event_arrived`), each with the clock at the moment
the partner's message would have arrived, so due times and escalations follow from the
events' own times. Then the task clock escalates and next week's agendas are built, as the
scheduled jobs would. Every row is made by the existing services; nothing is hand-made.

As the replay's clock moves on, the teams settle the past (`settling.py`): what fell due is
decided or done at its own moment, through the services the pages use, leaving live work
and a realistic few overdue.
"""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import Count, Prefetch

from saferoptions.audit.services import record
from saferoptions.cases.hooks import event_arrived
from saferoptions.cases.models import Concern, StatutoryClock
from saferoptions.core import clock
from saferoptions.core.models import Locality
from saferoptions.events.models import Event, EventType, Involvement
from saferoptions.meetings.models import AgendaItem, MeetingStatus
from saferoptions.meetings.services import build_upcoming_agendas
from saferoptions.people.ages import age_on, day_of
from saferoptions.tasks.models import Task
from saferoptions.tasks.services import apply_rules, escalate_due_tasks, name_child_on_tasks

from . import past_meetings
from .models import SyntheticCity
from .settling import Settled, Settler

EVENTS = Event.objects  # by name, as tasks.services does


def bring_demo_to_life(*, days: int = 14) -> tuple[int, Settled] | None:
    """Replay the last `days` days of events through the rules, once, settling the past.

    Returns how many events were replayed and what the teams settled, or None if an earlier
    run already did it.
    """
    now = clock.now()
    since = now - dt.timedelta(days=days)
    if Task.objects.filter(event__occurred_at__gte=since, event__occurred_at__lte=now).exists():
        return None  # a second `make demo`: the week is already alive
    events = sorted(recent_events(since, now), key=lambda e: (arrival(e, now), e.pk))
    teams = Settler(now=now, days=days, seed=city_seed())
    for held_on in past_meetings.meeting_days(clock.local(now).date()):
        for locality in Locality.objects.order_by("pk"):  # the recent meetings, with minutes
            teams.plan_meeting(past_meetings.meeting_moment(held_on), locality.pk)
    for event in events:
        teams.settle_until(arrival(event, now))
        with clock.frozen(arrival(event, now)), transaction.atomic():
            arrive(event)
        teams.notice()
    teams.settle_until(now)
    escalate_due_tasks()  # what the minute-by-minute schedule does first thing
    build_upcoming_agendas()  # what the nightly job does
    return len(events), teams.done


def city_seed() -> int:
    city = SyntheticCity.objects.order_by("-pk").first()
    return city.seed if city else 0


def recent_events(since: dt.datetime, now: dt.datetime) -> list[Event]:
    """Events that happened in the window, with their people and objects."""
    involvements = Involvement.objects.select_related("identity", "person")
    return list(EVENTS.filter(occurred_at__gte=since, occurred_at__lte=now)
                .prefetch_related(Prefetch("involvements", queryset=involvements),
                                  "pole_objects"))


def arrival(event: Event, now: dt.datetime) -> dt.datetime:
    """When the partner's message would have come: on a return, else when it was reported."""
    returned = event.event_type == EventType.MISSING_EPISODE and event.ended_at is not None
    return min(event.ended_at if returned else event.reported_at, now)


def arrive(event: Event) -> list[Task]:
    """What the feeds worker does with an accepted event (feeds.processing._accept)."""
    people = [{"date_of_birth": _date_of_birth(i), "role": i.role}
              for i in event.involvements.all() if i.identity_id]
    kinds = [o.kind for o in event.pole_objects.all()]
    tasks = apply_rules(event, feed_facts(event), people, object_kinds=kinds)
    name_child_on_tasks(event)
    event_arrived(event)
    if tasks:  # the feed's own audit row names the tasks its rules made
        record(actor=None, action="create", object_type="task", object_ids=[t.pk for t in tasks],
               purpose="partner feed", detail={"event": event.pk, "replay": "demo"})
    return tasks


def feed_facts(event: Event) -> dict:
    """The facts the event's feed schema would have given (feeds.schemas `facts(data)`)."""
    if event.event_type == EventType.MISSING_EPISODE:
        return {"returned": event.ended_at is not None}
    if event.event_type == EventType.ED_ASSAULT:
        # An ED record with an identified patient is a rapid-response referral; the patient's
        # age is on every ISTV record.
        patient = next((i for i in event.involvements.all() if i.identity_id), None)
        age = age_on(_date_of_birth(patient), day_of(event.occurred_at)) if patient else None
        return {"age": age, "referral": patient is not None}
    return {}


def _date_of_birth(involvement: Involvement) -> dt.date | None:
    """As the agency recorded it; the matched person's where the agency left it out."""
    found = involvement.identity.date_of_birth if involvement.identity_id else None
    if found is None and involvement.person_id:
        found = involvement.person.date_of_birth
    return found


def live_counts() -> dict:
    """What a practitioner signing in will find: open work, clocks and next week's agendas."""
    items = dict(AgendaItem.objects.filter(meeting__held_on__gte=clock.today(),
                                           meeting__status=MeetingStatus.PLANNED)
                 .values_list("meeting__locality__slug").annotate(n=Count("pk")))
    return {
        "tasks": Counter(dict(Task.objects.values_list("task_type").annotate(n=Count("pk")))),
        "concerns": Concern.objects.count(),
        "clocks": StatutoryClock.objects.count(),
        "agenda_items": {slug: items.get(slug, 0) for slug in
                         Locality.objects.order_by("slug").values_list("slug", flat=True)},
    }


def describe(counts: dict) -> str:
    """The counts on one line."""
    tasks = ", ".join(f"{kind} {n}" for kind, n in sorted(counts["tasks"].items())) or "none"
    agenda = ", ".join(f"{slug} {n}" for slug, n in counts["agenda_items"].items()) or "none"
    return (f"tasks {sum(counts['tasks'].values())} ({tasks}); concerns {counts['concerns']}; "
            f"clocks {counts['clocks']}; agenda items: {agenda}")
