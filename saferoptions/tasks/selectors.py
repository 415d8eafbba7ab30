"""Reads for the task pages. A task names a child only as far as the access policy allows.

A task belongs to its team, but the event that made it may be another agency's (an ED
assault, a police missing episode) about a child outside the viewer's scope: the task is
shown, its event and place only where the policy lets this viewer see them, and every read
writes its audit row in the same transaction.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.contexts.models import Place
from saferoptions.core import clock
from saferoptions.core.deadlines import time_left_text
from saferoptions.core.models import Team, User
from saferoptions.events.models import Event, EventType
from saferoptions.people.models import Person
from saferoptions.people.selectors import shown_people

from . import about
from .forms import NO_ACTION, NOT_EXCLUDED
from .models import (
    Notification,
    OutcomeState,
    Task,
    TaskOutcome,
    TaskRule,
    TaskStatus,
    TaskType,
)
from .rules import describe


def team_tasks(user):
    """Open tasks of the user's own team, soonest due first."""
    if not user.team_id:
        return Task.objects.none()
    return (Task.objects.filter(team_id=user.team_id, status=TaskStatus.OPEN)
            .select_related("rule", "event", "place", "team", "assigned_to").order_by("due_at"))


def task_for(user, pk: int) -> Task | None:
    """One task of the user's team; another team's task is 'not found'."""
    if not user.team_id:
        return None
    return Task.objects.filter(pk=pk, team_id=user.team_id).select_related(
        "rule", "event", "place", "team", "assigned_to").first()


@dataclass(frozen=True)
class MaskedEvent:
    """The event of a task the viewer may not see: that there is one, nothing about it."""

    label: str = "An event you do not have access to"
    is_masked: bool = True


def visible_event_ids(user, event_ids) -> set[int]:
    """The events among `event_ids` the policy lets the user see."""
    ids = {pk for pk in event_ids if pk}
    if not ids:
        return set()
    events = policy.restrict(user, "view", Event.objects.filter(pk__in=ids))
    return set(events.values_list("pk", flat=True))


def _visible_place_ids(user, place_ids) -> set[int]:
    ids = {pk for pk in place_ids if pk}
    if not ids:
        return set()
    return set(policy.restrict(user, "view", Place.objects.filter(pk__in=ids))
               .values_list("pk", flat=True))


def _shown(tasks, user) -> list[dict]:
    """Each task with what this viewer may see of its child, event and place."""
    labels = person_labels(user, [t.person_id for t in tasks if t.person_id])
    events = visible_event_ids(user, [t.event_id for t in tasks])
    places = _visible_place_ids(user, [t.place_id for t in tasks])
    masked = MaskedEvent()
    return [{"task": t, "person": labels.get(t.person_id, ""),
             "event": (t.event if t.event_id in events else masked) if t.event_id else None,
             "place": t.place if t.place_id in places else None} for t in tasks]


def _audit_detail(rows) -> dict:
    """Which events were shown and which masked: ids only, never a value."""
    with_event = [r for r in rows if r["event"] is not None]
    masked = [r["task"].event_id for r in with_event if isinstance(r["event"], MaskedEvent)]
    shown = [r["task"].event_id for r in with_event if not isinstance(r["event"], MaskedEvent)]
    return {"events_shown": shown, "events_masked": masked}


def task_page(*, user, pk: int) -> dict | None:
    """One task of the user's team as they may see it, audited (a miss is audited as denied).

    The child is named, linked and summarised only if the policy lets the viewer open their
    record; otherwise a reference, and nothing about the event (forbidden looks like absent).
    """
    with transaction.atomic():
        task = task_for(user, pk) if str(pk).isdigit() else None
        if task is None:
            record(actor=user, action="deny", object_type="task", outcome="denied",
                   detail={"reference": str(pk)})
            return None
        row = _shown([task], user)[0]
        child = about.child_on_task(user, task)
        where = about.place_on_task(user, task)
        shown_place = ({"place": where.place.pk, "people": where.person_ids,
                        "people_not_shown": where.not_shown} if where else {})
        record(actor=user, action="view", object_type="task", object_ids=[task.pk],
               purpose=child.purpose if child else "",
               detail={**_audit_detail([row]), **shown_place})
    visible = row["event"] if not isinstance(row["event"], MaskedEvent) else None
    return {**row, "event": visible, "child": child, "where": where, "clock": clock_of(task),
            "outcomes": list(task.outcomes.select_related("recorded_by", "withdrawn_by")),
            "members": team_members(task.team_id)}


def team_members(team_id) -> list:
    """Who a task may be given to: active members of its team."""
    return list(User.objects.filter(team_id=team_id, is_active=True)
                .order_by("first_name", "last_name", "username"))


def person_labels(user, person_ids) -> dict[int, str]:
    """How each person appears to this user: a name if the policy allows, else a reference."""
    people = Person.objects.filter(pk__in=set(person_ids))
    labels = {p.pk: f"Person {str(p.public_id)[:8]}" for p in people}
    seen = list(policy.restrict(user, "view", people))
    labels.update({pk: shown.display_name for pk, shown in
                   shown_people(user=user, people=seen).items()})
    return labels


def clock_of(task: Task, now=None) -> dict:
    """The SLA clock: time left and its colour (amber at 75% of the time, red at breach)."""
    now = now or clock.now()
    left = task.due_at - now
    state = "red" if left.total_seconds() <= 0 else "amber" if now >= task.amber_at else "green"
    return {"state": state, "text": time_left_text(task.due_at, now)}


PAGE_SIZE = 50
SORTS = {"due": ("due_at", "pk"), "urgency": ("-escalation", "due_at", "pk"),
         "newest": ("-created_at", "-pk")}


def _open_tasks(user, *, mine: bool):
    rows = team_tasks(user)
    return rows.filter(assigned_to=user) if mine else rows


def _filtered(rows, user, filters: dict):
    if filters.get("task_type"):
        rows = rows.filter(task_type=filters["task_type"])
    owner = filters.get("owner")
    if owner == "me":
        rows = rows.filter(assigned_to=user)
    elif owner == "unassigned":
        rows = rows.filter(assigned_to__isnull=True)
    elif owner:
        rows = rows.filter(assigned_to_id=owner)
    if filters.get("overdue"):
        rows = rows.filter(due_at__lt=clock.now())
    return rows


def task_counts(user) -> dict:
    """The one count of a user's open work, whichever page shows it (team tasks, my tasks, the
    home page): the team's open, overdue and nobody's-yet tasks, and the user's own open and
    overdue ones, from the same rows in one query (no filter applied)."""
    rows, now = team_tasks(user).order_by(), clock.now()
    late, own = Q(due_at__lt=now), Q(assigned_to=user)
    return rows.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=late),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        mine=Count("pk", filter=own), mine_overdue=Count("pk", filter=own & late))


def inbox_counts(user, *, mine: bool = False) -> dict:
    """The numbers above either list: the same for both pages (`mine` is kept for callers)."""
    return task_counts(user)


def inbox(user, *, mine: bool = False, filters=None, page=1) -> dict:
    """One page (50) of the team's open tasks, or the user's own, sorted and filtered as asked,
    as this viewer may see them; one audit row for the page."""
    filters = filters or {}
    rows = _filtered(_open_tasks(user, mine=mine), user, filters)
    rows = rows.select_related("assigned_to").order_by(*SORTS.get(filters.get("sort"),
                                                                  SORTS["due"]))
    with transaction.atomic():
        page_obj = Paginator(rows, PAGE_SIZE).get_page(page)
        tasks = list(page_obj.object_list)
        shown = _shown(tasks, user)
        record(actor=user, action="list", object_type="task", object_ids=[t.pk for t in tasks],
               detail={**_audit_detail(shown), "page": page_obj.number})
    now = clock.now()
    latest = _open_tasks(user, mine=mine).aggregate(m=Max("pk"))["m"] or 0
    return {"page": page_obj, "rows": [{**r, "clock": clock_of(r["task"], now)} for r in shown],
            "counts": inbox_counts(user, mine=mine), "latest": latest}


def new_since(user, *, after: int, mine: bool = False, filters=None) -> int:
    """How many tasks matching the list arrived after the newest one the reader was shown."""
    rows = _filtered(_open_tasks(user, mine=mine), user, filters or {})
    return rows.filter(pk__gt=after).count()


NOTICES_SHOWN = 20


def unread_notifications(user, *, limit: int = NOTICES_SHOWN) -> list[dict]:
    """The newest unread notice about each of the user's team's open tasks: the task type and
    link, and the child's name, or the place's, where the policy lets the user see it (never
    the event).

    A child or place the user may not see is not named, nor referred to: the notice reads as
    one about a task with no child or place (forbidden looks like absent). Naming children is
    a read of them: one audit row for the children named, in the same transaction.
    """
    unread = Notification.objects.filter(  # a task already done waits for no one
        user=user, read_at__isnull=True, task__team_id=user.team_id,
        task__status=TaskStatus.OPEN)
    # One line per task, its newest news: 'New task' then 'Task at 75%' about one task is
    # one thing to know, not two lines pushing the tasks off the screen.
    newest = unread.values("task_id").annotate(last=Max("pk")).values("last")
    with transaction.atomic():
        notes = list(Notification.objects.filter(pk__in=newest)
                     .select_related("task").order_by("-created_at", "-pk")[:limit])
        ids = {n.task.person_id for n in notes if n.task.person_id}
        seen = policy.restrict(user, "view", Person.objects.filter(pk__in=ids)) if ids else []
        named = {pk: shown.display_name for pk, shown in
                 shown_people(user=user, people=list(seen)).items()}
        if named:
            record(actor=user, action="list", object_type="person", object_ids=sorted(named),
                   detail={"shown_on": "task notifications",
                           "tasks": [n.task_id for n in notes if n.task.person_id in named]})
        places = _visible_place_ids(user, [n.task.place_id for n in notes])
        place_names = dict(Place.objects.filter(pk__in=places).values_list("pk", "name"))
        if place_names:
            record(actor=user, action="list", object_type="place",
                   object_ids=sorted(place_names),
                   detail={"shown_on": "task notifications",
                           "tasks": [n.task_id for n in notes if n.task.place_id in places]})
    return [{"note": n, "child": named.get(n.task.person_id, ""),
             "place": place_names.get(n.task.place_id, "")} for n in notes]


def rules_for_reading() -> list[dict]:
    """Every rule version in plain words, newest version first."""
    out = []
    teams = dict(Team.objects.values_list("slug", "name"))
    for rule in TaskRule.objects.all():
        sla = (_count(rule.sla_hours, "hour") if rule.sla_hours is not None
               else _count(rule.sla_working_days, "working day"))
        out.append({"rule": rule, "when": describe(rule.conditions), "sla": sla,
                    "events": ", ".join(_event_words(e) for e in rule.event_types),
                    "team": _team_words(rule, teams)})
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _event_words(event_type: str) -> str:
    return (EventType(event_type).label if event_type in EventType.values
            else event_type.replace("_", " "))


def _team_words(rule, teams: dict[str, str]) -> str:
    """The owning team by the name its members know, not its code: a rule whose team depends
    on the event's locality names each locality's team and the one used otherwise."""
    fallback = teams.get(rule.fallback_team_slug, rule.fallback_team_slug)
    if "{locality}" not in rule.team_slug:
        return teams.get(rule.team_slug, rule.team_slug)
    each = [teams[slug] for slug in sorted(teams)
            if _fits(rule.team_slug, slug)]
    named = ", ".join(each) if each else "no team yet"
    return f"the team of the event's locality ({named}); with no locality, {fallback}"


def _fits(pattern: str, slug: str) -> bool:
    head, _, tail = pattern.partition("{locality}")
    return slug.startswith(head) and slug.endswith(tail) and len(slug) > len(head) + len(tail)


def refresh_seconds() -> int:
    return settings.TASKS_REFRESH_SECONDS


# --- counting what was recorded (no personal data: codes and counts) -------------------------

def _current_outcomes(task_type: str):
    return TaskOutcome.objects.filter(task_type=task_type, state=OutcomeState.CURRENT)


def outcome_counts(task_type: str) -> dict[str, int]:
    """How the type's tasks ended, by outcome code (current versions only)."""
    rows = _current_outcomes(task_type).values("outcome").annotate(n=Count("pk"))
    return {r["outcome"]: r["n"] for r in rows}


def exclusions_avoided_with(programme_id: int) -> int:
    """Exclusions avoided where this catalogue programme was offered instead (the programme's
    report counts them; registered with the interventions app in `TasksConfig.ready`)."""
    return _current_outcomes(TaskType.RISK_ASSESSMENT).filter(
        outcome=NOT_EXCLUDED, answers__programme_instead="yes",
        answers__programme__id=programme_id).count()


def exclusions_avoided(*, since=None) -> int:
    """Risk assessments where a preventative programme was offered and the pupil was not
    excluded: the figure the partnership counts (journey 2)."""
    rows = _current_outcomes(TaskType.RISK_ASSESSMENT).filter(
        outcome=NOT_EXCLUDED, answers__programme_instead="yes")
    return rows.filter(happened_at__gte=since).count() if since else rows.count()


def place_review_figures(*, since=None) -> dict:
    """What place reviews found and agreed (current outcomes): how many, how many went to the
    locality meeting, and how often each action was agreed (codes and counts only)."""
    rows = _current_outcomes(TaskType.PLACE_REVIEW)
    if since:
        rows = rows.filter(happened_at__gte=since)
    actions: dict[str, int] = {}
    reviews = to_meeting = 0
    for answers in rows.values_list("answers", flat=True):
        reviews += 1
        to_meeting += answers.get("to_locality_meeting") == "yes"
        for code in answers.get("actions") or []:
            if code != NO_ACTION:
                actions[code] = actions.get(code, 0) + 1
    return {"reviews": reviews, "to_locality_meeting": to_meeting, "actions": actions}
