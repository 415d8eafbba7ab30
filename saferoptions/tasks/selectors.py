"""Reads for the task pages. A task names a child only as far as the access policy allows."""

from django.conf import settings

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.people.models import Person

from .models import Notification, Task, TaskRule, TaskStatus
from .rules import describe


def team_tasks(user):
    """Open tasks of the user's own team, soonest due first."""
    if not user.team_id:
        return Task.objects.none()
    return (Task.objects.filter(team_id=user.team_id, status=TaskStatus.OPEN)
            .select_related("rule", "event", "place", "team").order_by("due_at"))


def task_for(user, pk: int) -> Task | None:
    """One task of the user's team; another team's task is 'not found'."""
    return Task.objects.filter(pk=pk, team_id=user.team_id).select_related(
        "rule", "event", "place", "team").first()


def person_labels(user, person_ids) -> dict[int, str]:
    """How each person appears to this user: a name if the policy allows, else a reference."""
    people = Person.objects.filter(pk__in=set(person_ids))
    labels = {p.pk: f"Person {str(p.public_id)[:8]}" for p in people}
    for person in policy.restrict(user, "view", people):
        labels[person.pk] = person.display_name
    return labels


def clock_of(task: Task, now=None) -> dict:
    """The SLA clock: time left and its colour (amber at 75% of the time, red at breach)."""
    now = now or clock.now()
    left = task.due_at - now
    state = "red" if left.total_seconds() <= 0 else "amber" if now >= task.amber_at else "green"
    minutes = int(abs(left.total_seconds()) // 60)
    text = f"{minutes // 1440}d {minutes % 1440 // 60}h {minutes % 60}m"
    return {"state": state, "text": text if left.total_seconds() > 0 else f"{text} overdue"}


def inbox_rows(user) -> list[dict]:
    tasks = list(team_tasks(user)[:200])
    labels = person_labels(user, [t.person_id for t in tasks if t.person_id])
    now = clock.now()
    return [{"task": t, "clock": clock_of(t, now), "person": labels.get(t.person_id, "")}
            for t in tasks]


def unread_notifications(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).select_related("task")


def rules_for_reading() -> list[dict]:
    """Every rule version in plain words, newest version first."""
    out = []
    for rule in TaskRule.objects.all():
        sla = (f"{rule.sla_hours} hours" if rule.sla_hours is not None
               else f"{rule.sla_working_days} working days")
        out.append({"rule": rule, "when": describe(rule.conditions), "sla": sla,
                    "events": ", ".join(e.replace("_", " ") for e in rule.event_types)})
    return out


def refresh_seconds() -> int:
    return settings.TASKS_REFRESH_SECONDS
