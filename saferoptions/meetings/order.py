"""The agenda's order and each item's reasons in plain words (docs/meetings.md, shown on the page).

Items are stored in the order they arrived (`position`); the meeting reads them in this order:
what the law sets a deadline on first, then what a risk rule flagged, then small concerns
adding up (heaviest first), then peer group and place cases, then what the last meeting did not
reach, then what the chair added. An item gathers every reason its child, group or place is
there; it sits at the step of its most urgent reason. Within a step, heaviest first, then
what has waited longest (one carried over comes before new items that weigh the same), then
the order they arrived.
Peer groups and places are kept MEETINGS_CONTEXT_PLACES of the places the meeting reaches
(`keep_context_places`): without them every place fell below "If there is time", after every
child whose small concerns were adding up, week after week.
The reasons are written from the partnership's own rule text (read from the rule that made
the Hub's triage task for the concern's event, not from the concern), counts, kinds, team names
and dates, never from a record's free text.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from saferoptions.cases.models import Concern, ConcernSource, StatutoryClock
from saferoptions.cases.titles import accumulated_title, concern_weight, first_clause
from saferoptions.contexts.models import ContextCase
from saferoptions.core import clock
from saferoptions.intelligence.selectors import link_weights
from saferoptions.tasks.models import Task, TaskStatus, TaskType

from .models import AgendaItem, ItemKind

STEPS = (
    "A statutory deadline or an agreed action is overdue",
    "A risk rule flagged the child",
    "Small concerns are adding up (heaviest first)",
    "An open peer group or place case, or graded intelligence about a place",
    "Not discussed at the last meeting",
    "Added by the chair",
)
DEADLINE, RULE, ADDING_UP, CONTEXT, CARRIED, CHAIR = range(len(STEPS))


@dataclass(frozen=True)
class Reason:
    """One reason an item is on the agenda: which step of the order, in plain words, dated."""

    step: int
    text: str
    concern_id: int | None = None  # a concern's page, for those who may open it
    # The partner's event behind it (a rule's concern, a task made from an event): shown only
    # to a reader the access policy lets see that event (selectors.shown_reasons).
    event_id: int | None = None


def _day(when) -> str:
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when)
    return f"{when:%-d %b %Y}"


def _ids(items, name) -> set:
    return {pk for item in items for pk in item.sources.get(name, [])}


class AgendaFacts:
    """What ordering needs about a meeting's items, read once for all of them."""

    def __init__(self, items):
        self.concerns = Concern.objects.in_bulk(list(_ids(items, "concerns")))
        self.tasks = Task.objects.select_related("team").in_bulk(list(_ids(items, "tasks")))
        self.cases = ContextCase.objects.in_bulk(list(_ids(items, "context_cases")))
        self.carried = AgendaItem.objects.select_related("meeting").in_bulk(
            list(_ids(items, "carried_from")))
        # Graded intelligence about a place: each link's weight by its report's grade now.
        self.intelligence = link_weights(_ids(items, "intelligence_links"))
        people = {item.person_id for item in items if item.person_id}
        self.late_clocks: dict[int, list] = {}
        for late in StatutoryClock.objects.filter(
                person_id__in=people, met_at__isnull=True,
                due_at__lt=clock.now()).order_by("due_at", "pk"):
            self.late_clocks.setdefault(late.person_id, []).append(late)
        events = {c.event_id for c in self.concerns.values() if c.event_id}
        self.rules = dict(Task.objects.filter(event_id__in=events, task_type=TaskType.HUB_TRIAGE)
                          .values_list("event_id", "rule__description"))
        self._reasons: dict[int, list[Reason]] = {}
        # why an item is where it is, for items moved by the kept places (keep_context_places)
        self.placed: dict[int, str] = {}

    def title(self, concern) -> str:
        if concern.source == ConcernSource.ACCUMULATION and concern.contributions:
            return accumulated_title(concern.contributions)
        rule = self.rules.get(concern.event_id)
        return first_clause(rule) if rule else "A risk rule flagged the child"

    def concerns_of(self, item) -> list:
        return [self.concerns[pk] for pk in item.sources.get("concerns", [])
                if pk in self.concerns]

    def reasons(self, item) -> list[Reason]:
        """Every reason, most urgent first (the order of STEPS, then as they arrived)."""
        if item.pk not in self._reasons:
            found = [*self._deadlines(item), *self._concerns(item), *self._contexts(item),
                     *self._carried(item)]
            if item.sources.get("added_by_chair"):
                found.append(Reason(CHAIR, "Added by the chair"))
            self._reasons[item.pk] = sorted(found, key=lambda r: r.step)
        return self._reasons[item.pk]

    def _tasks_of(self, item) -> list:
        return [self.tasks[pk] for pk in item.sources.get("tasks", []) if pk in self.tasks
                and self.tasks[pk].status == TaskStatus.OPEN]

    def _deadlines(self, item):
        now = clock.now()
        for task in self._tasks_of(item):
            if task.due_at < now:
                yield Reason(DEADLINE, f"{task.get_task_type_display()} for {task.team} was "
                                       f"due on {_day(task.due_at)} and is not done",
                             event_id=task.event_id)
        for late in self.late_clocks.get(item.person_id, []):
            yield Reason(DEADLINE, f"{late.get_kind_display()} was due on {_day(late.due_at)} "
                                   "and is not done")

    def _concerns(self, item):
        for concern in self.concerns_of(item):
            if concern.source == ConcernSource.ACCUMULATION:
                yield Reason(ADDING_UP, f"{self.title(concern)} (by {_day(concern.raised_at)})",
                             concern.pk, concern.event_id)
            else:
                yield Reason(RULE, f"{self.title(concern)} (flagged {_day(concern.raised_at)})",
                             concern.pk, concern.event_id)

    def _contexts(self, item):
        for pk in item.sources.get("context_cases", []):
            case = self.cases.get(pk)
            if case is not None:
                what = ("school" if case.school_id else "peer group" if case.group_id
                        else "place")
                yield Reason(CONTEXT, f"Open {what} case since {_day(case.opened_at)}")
        now = clock.now()
        for task in self._tasks_of(item):
            if task.task_type == TaskType.PLACE_REVIEW and task.due_at >= now:
                yield Reason(CONTEXT, f"Place review for {task.team} raised on "
                                      f"{_day(task.created_at)}, due {_day(task.due_at)}")
        weighed = self.intelligence_of(item)
        if weighed:
            count, latest = len(weighed), max(at for _, at in weighed)
            yield Reason(CONTEXT, f"Graded intelligence about the place: {count} "
                                  f"item{'s' if count > 1 else ''} weighing "
                                  f"{sum(w for w, _ in weighed)} by grade (latest linked "
                                  f"{_day(latest)})")

    def intelligence_of(self, item) -> list[tuple[int, dt.datetime]]:
        """(weight, when linked) of the item's graded intelligence that weighs something."""
        found = (self.intelligence.get(pk) for pk in item.sources.get("intelligence_links", []))
        return [w for w in found if w is not None and w[0] > 0]

    def _carried(self, item):
        for pk in item.sources.get("carried_from", []):
            earlier = self.carried.get(pk)
            if earlier is not None:
                yield Reason(CARRIED, "Not discussed at the meeting on "
                                      f"{_day(earlier.meeting.held_on)}{_waited(item)}")


def _waited(item) -> str:
    """How many meetings a carried item has waited, so a chair sees what keeps slipping."""
    waited = item.sources.get("meetings_waited", 1)
    return f" (waited {waited} meeting{'s' if waited > 1 else ''})"


class StoredFacts:
    """A closed meeting's reasons as they stood when it closed (`AgendaItem.closed_reasons`):
    its minutes say what the meeting knew, not what is true on the day they are read."""

    placed: dict = {}

    def reasons(self, item) -> list[Reason]:
        return [Reason(r["step"], r["text"], r.get("concern_id"), r.get("event_id"))
                for r in item.closed_reasons or []]


def as_stored(reason: Reason) -> dict:
    return {"step": reason.step, "text": reason.text, "concern_id": reason.concern_id,
            "event_id": reason.event_id}


# Every reason is behind a record the reader may not see: said as the child's page says it of
# its list of concerns, the same whether there are hidden ones or none.
NONE_SHOWN = "None you may see"


def step(item, facts: AgendaFacts) -> int:
    """The step of the item's most urgent reason."""
    reasons = facts.reasons(item)
    if reasons:
        return reasons[0].step
    if item.kind in (ItemKind.GROUP, ItemKind.PLACE):
        return CONTEXT
    return CHAIR if item.sources.get("added_by_chair") else CARRIED


def weight(item, facts: AgendaFacts) -> int:
    """Concerns' weights, and graded intelligence about a place by its grade's weight."""
    return (sum(concern_weight(c.kind, c.contributions) for c in facts.concerns_of(item))
            + sum(w for w, _ in facts.intelligence_of(item)))


def waited(item) -> int:
    """How many meetings an item carried over has waited (0: new to this agenda)."""
    if not item.sources.get("carried_from"):
        return 0
    return item.sources.get("meetings_waited", 1)


def sort_key(item, facts: AgendaFacts) -> tuple:
    return (step(item, facts), -weight(item, facts), -waited(item), item.position, item.pk)


def in_order(items: list) -> tuple[list, AgendaFacts | StoredFacts]:
    """The items in the agenda's order; an item's number is its place here, from 1. A closed
    meeting's items keep the order and reasons they had when it closed."""
    if items and all(i.closed_number is not None for i in items):
        return sorted(items, key=lambda i: (i.closed_number, i.pk)), StoredFacts()
    facts = AgendaFacts(items)
    ordered = sorted(items, key=lambda i: sort_key(i, facts))
    return keep_context_places(ordered, facts), facts


def _is_context(item) -> bool:
    # by its subject, not its kind: a place carried over keeps the kind "carried over"
    return bool(item.group_id or item.place_id)


def keep_context_places(ordered: list, facts: AgendaFacts) -> list:
    """Keep MEETINGS_CONTEXT_PLACES of the first MEETINGS_AGENDA_TARGET places for peer groups
    and places. The best-placed ones waiting below the line move up; the room is made by the
    last items above it from "small concerns adding up" on, never by an overdue deadline or a
    rule's flag. Both are said on the agenda (`facts.placed`)."""
    target, kept = settings.MEETINGS_AGENDA_TARGET, settings.MEETINGS_CONTEXT_PLACES
    reached, rest = ordered[:target], ordered[target:]
    wanted = kept - sum(1 for i in reached if _is_context(i))
    if len(ordered) <= target or wanted <= 0:
        return ordered
    movable = [i for i in reversed(reached)
               if not _is_context(i) and step(i, facts) >= ADDING_UP][:wanted]
    rising = [i for i in rest if _is_context(i)][:len(movable)]
    if not rising:
        return ordered
    falling = movable[:len(rising)]
    for item in rising:
        facts.placed[item.pk] = (f"Moved up: {kept} of the first {target} items are kept for "
                                 "peer groups and places")
    for item in falling:
        facts.placed[item.pk] = ("Moved below the line to make room for a peer group or "
                                 "place")
    key = lambda i: sort_key(i, facts)  # noqa: E731
    return (sorted([i for i in reached if i not in falling] + rising, key=key)
            + sorted([i for i in rest if i not in rising] + falling, key=key))


def placed(item, facts) -> str:
    """Why the item is where it is within its step, in plain words ("" if nothing to add)."""
    parts = [facts.placed[item.pk]] if item.pk in facts.placed else []
    if isinstance(facts, AgendaFacts):
        count, heavy = waited(item), weight(item, facts)
        if heavy:
            parts.append(f"weighs {heavy} point{'s' if heavy > 1 else ''}, heaviest first")
        if count:
            parts.append(f"waited {count} meeting{'s' if count > 1 else ''}, so it comes "
                         "before new items that weigh the same")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def summary(item, facts: AgendaFacts, reasons: list | None = None) -> str:
    """One plain line: the most urgent reason, and how many more there are (of `reasons`, the
    ones the reader may see, when given)."""
    if reasons is None:
        reasons = facts.reasons(item)
    elif not reasons and facts.reasons(item):
        return NONE_SHOWN
    if not reasons:
        if item.kind in (ItemKind.GROUP, ItemKind.PLACE):
            return f"An open {'peer group' if item.kind == ItemKind.GROUP else 'place'} case"
        return "Not reached at the last meeting"
    more = len(reasons) - 1
    return reasons[0].text + (f" (and {more} more reason{'s' if more > 1 else ''})"
                              if more else "")
