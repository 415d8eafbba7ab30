"""Outcome measures for a context: events and concerns before and after its case opened.

These are aggregates: they count every recorded event (not only those the viewer may see), so
they leave need-to-know. Small counts are suppressed with the governance rule, secondary
suppression included, so a hidden count cannot be worked out from the total beside it; a rate
or a trend is given only when neither count is suppressed.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from saferoptions.analytics.suppression import suppress_table
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.people.models import Identity

from .models import ContextCase, ContextKind, GroupMembership

RATE_DAYS = 30

# The children the Hub routes to a place at triage are concerns in cases, which sits above
# contexts: cases registers where to find them (`routed_children_from`, from its ready()).
RoutedChildren = Callable[[int], Iterable[int]]
_routed_children: list[RoutedChildren] = []


def routed_children_from(source: RoutedChildren) -> None:
    """Register `source(place_id)`: ids of the children routed to that place's pathway."""
    if source not in _routed_children:
        _routed_children.append(source)


def events_of(case: ContextCase) -> QuerySet:
    """Every event of the context: at the place or school, or involving a group member."""
    if case.kind == ContextKind.PLACE:
        return Event.objects.filter(place_id=case.place_id)
    if case.kind == ContextKind.SCHOOL:
        return Event.objects.filter(place_id=case.school.place_id)
    members = GroupMembership.objects.filter(group_id=case.group_id).values("person_id")
    involved = Involvement.objects.filter(person_id__in=members).values("event_id")
    return Event.objects.filter(pk__in=involved)


def people_of(case: ContextCase) -> QuerySet:
    """Ids of the people a context affects (for the case page, which masks through the policy)."""
    if case.kind == ContextKind.GROUP:
        return GroupMembership.objects.filter(group_id=case.group_id).values_list(
            "person_id", flat=True)
    place_id = case.place_id if case.kind == ContextKind.PLACE else case.school.place_id
    involved = Involvement.objects.filter(event__place_id=place_id, person__isnull=False)
    ids = set(involved.values_list("person_id", flat=True))
    if case.kind == ContextKind.SCHOOL:
        pupils = Identity.objects.filter(school_id=case.school_id, person__isnull=False)
        ids |= set(pupils.values_list("person_id", flat=True))
    return sorted(ids | _routed_by_triage(place_id))


def _routed_by_triage(place_id) -> set[int]:
    """Children the Hub put on this place's contextual pathway at triage."""
    return {pk for source in _routed_children for pk in source(place_id)}


def concern_q() -> Q:
    """Concerns: community and licensing reports, and events of a concern category."""
    return Q(event_type__in=settings.CONTEXTS_CONCERN_EVENT_TYPES) | Q(
        category__in=settings.CONTEXTS_CONCERN_CATEGORIES)


@dataclass(frozen=True)
class Measure:
    """One measure before and after: counts as shown (maybe suppressed), rates and the trend."""

    label: str
    before: object
    after: object
    before_rate: float | None
    after_rate: float | None
    trend: str


@dataclass(frozen=True)
class Outcomes:
    """The context's measures, the windows they cover, and the suppression threshold."""

    measures: list
    before_from: dt.datetime
    opened_at: dt.datetime
    after_to: dt.datetime
    after_days: int
    window_days: int
    threshold: int


def outcomes_for(case: ContextCase) -> Outcomes:
    """Events and concerns in equal windows before and after the case opened, suppressed."""
    window = settings.CONTEXTS_OUTCOME_WINDOW_DAYS
    opened = case.opened_at
    start = opened - dt.timedelta(days=window)
    end = min(opened + dt.timedelta(days=window), case.closed_at or clock.now(), clock.now())
    end = max(end, opened)
    after_days = max(1, (end - opened).days)
    events = events_of(case)
    measures = []
    for label, rows in (("Events", events), ("Concerns", events.filter(concern_q()))):
        before = rows.filter(occurred_at__gte=start, occurred_at__lt=opened).count()
        after = rows.filter(occurred_at__gte=opened, occurred_at__lt=end).count()
        measures.append(_measure(label, before, after, window, after_days))
    return Outcomes(measures, start, opened, end, after_days, window,
                    settings.CONTEXTS_SUPPRESSION_THRESHOLD)


def _measure(label: str, before: int, after: int, window: int, after_days: int) -> Measure:
    threshold = settings.CONTEXTS_SUPPRESSION_THRESHOLD
    shown = suppress_table([[before, after]], threshold)
    shown_before, shown_after = shown.cells[0]
    if not (isinstance(shown_before, int) and isinstance(shown_after, int)):
        return Measure(label, shown_before, shown_after, None, None, "too few to say")
    if after_days < settings.CONTEXTS_OUTCOME_MIN_DAYS:
        return Measure(label, before, after, None, None, "too early to say")
    before_rate = round(before * RATE_DAYS / window, 1)
    after_rate = round(after * RATE_DAYS / after_days, 1)
    return Measure(label, before, after, before_rate, after_rate,
                   _trend(before_rate, after_rate))


def _trend(before: float, after: float) -> str:
    # Within a tenth either way is noise at these sizes: say so rather than claim a change.
    if before == after or (before and abs(after - before) / before < 0.1):
        return "about the same"
    return "fewer since the case opened" if after < before else "more since the case opened"
