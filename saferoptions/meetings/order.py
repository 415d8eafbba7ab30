"""The agenda's order and each item's one-line summary (docs/meetings.md, shown on the page).

Items are stored in the order they arrived (`position`); the meeting reads them in this order:
what the law sets a deadline on first, then what a risk rule flagged, then small concerns
adding up (heaviest first), then peer group and place cases, then what the last meeting did not
reach, then what the chair added. Within a step, heaviest first, then the order they arrived.
The summary is written from the partnership's own rule text (read from the rule that made
the Hub's triage task for the concern's event, not from the concern), counts, kinds and dates,
never from a record's free text.
"""

from django.utils import timezone

from saferoptions.cases.models import Concern, ConcernSource, StatutoryClock
from saferoptions.cases.titles import accumulated_title, concern_weight, first_clause
from saferoptions.core import clock
from saferoptions.tasks.models import Task, TaskType

from .models import ItemKind

STEPS = (
    "A statutory deadline or an agreed action is overdue",
    "A risk rule flagged the child",
    "Small concerns are adding up (heaviest first)",
    "An open peer group or place case",
    "Not discussed at the last meeting",
    "Added by the chair",
)
DEADLINE, RULE, ADDING_UP, CONTEXT, CARRIED, CHAIR = range(len(STEPS))


class AgendaFacts:
    """What ordering needs about a meeting's items, read in three queries."""

    def __init__(self, items):
        ids = {pk for item in items for pk in item.sources.get("concerns", [])}
        self.concerns = Concern.objects.in_bulk(list(ids))
        people = {item.person_id for item in items if item.person_id}
        self.late_clocks = set(StatutoryClock.objects.filter(
            person_id__in=people, met_at__isnull=True, due_at__lt=clock.now())
            .values_list("person_id", flat=True))
        events = {c.event_id for c in self.concerns.values() if c.event_id}
        self.rules = dict(Task.objects.filter(event_id__in=events, task_type=TaskType.HUB_TRIAGE)
                          .values_list("event_id", "rule__description"))

    def title(self, concern) -> str:
        if concern.source == ConcernSource.ACCUMULATION and concern.contributions:
            return accumulated_title(concern.contributions)
        rule = self.rules.get(concern.event_id)
        return first_clause(rule) if rule else "A risk rule flagged the child"

    def concerns_of(self, item) -> list:
        return [self.concerns[pk] for pk in item.sources.get("concerns", [])
                if pk in self.concerns]


def step(item, facts: AgendaFacts) -> int:
    if item.kind == ItemKind.OVERDUE_ACTION or item.person_id in facts.late_clocks:
        return DEADLINE
    sources = {c.source for c in facts.concerns_of(item)}
    if ConcernSource.FEED_RULE in sources:
        return RULE
    if ConcernSource.ACCUMULATION in sources:
        return ADDING_UP
    if item.kind in (ItemKind.GROUP, ItemKind.PLACE):
        return CONTEXT
    if item.kind == ItemKind.CARRIED_OVER:
        return CARRIED
    return CHAIR if item.sources.get("added_by_chair") else CARRIED


def weight(item, facts: AgendaFacts) -> int:
    return sum(concern_weight(c.kind, c.contributions) for c in facts.concerns_of(item))


def sort_key(item, facts: AgendaFacts) -> tuple:
    return (step(item, facts), -weight(item, facts), item.position, item.pk)


def summary(item, facts: AgendaFacts) -> str:
    """One plain line: what the rule said, what is overdue, or why the item is back."""
    titles = list(dict.fromkeys(facts.title(c) for c in facts.concerns_of(item)))
    if item.kind == ItemKind.OVERDUE_ACTION and item.task_id:
        due = timezone.localtime(item.task.due_at)
        return (f"{item.task.get_task_type_display()} for {item.task.team} was due on "
                f"{due:%-d %b %Y} and is not done")
    if titles:
        more = f" (and {len(titles) - 1} more)" if len(titles) > 1 else ""
        return titles[0] + more
    if item.person_id in facts.late_clocks:
        return "A statutory deadline about the child has passed"
    if item.kind in (ItemKind.GROUP, ItemKind.PLACE):
        return f"An open {'peer group' if item.kind == ItemKind.GROUP else 'place'} case"
    if item.kind == ItemKind.CARRIED_OVER:
        return "Not reached at the last meeting"
    return "Added by the chair"
