"""Building a meeting's agenda from what the system already knows (docs/meetings.md).

`build_agenda` is safe to run again and again: each thing to discuss has one key per meeting,
so a refresh adds what is new, updates why existing items are there, drops automatic items
that no longer apply and were not yet discussed, and never touches notes or decisions.
Why an item is on the agenda is written from source ids and dates only, never copied from a
record's free text.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from saferoptions.audit.services import record
from saferoptions.cases.models import Concern, ConcernSource, StatutoryClock
from saferoptions.contexts.models import CaseStatus, ContextCase
from saferoptions.core import clock
from saferoptions.core.calendar import working_days_between
from saferoptions.intelligence.selectors import link_weights, place_links_since
from saferoptions.tasks.models import Task, TaskStatus, TaskType

from .attendance import sync_attendance
from .errors import Refused
from .invitations import invite_childrens_practitioners
from .models import AgendaItem, ItemKind, LocalityMeeting

CHAIR_REASON = "Added by the chair."
WHY_LENGTH = AgendaItem._meta.get_field("why").max_length


# When two sources name the same subject, the item takes the most specific kind.
KIND_PRECEDENCE = (ItemKind.CHILD, ItemKind.GROUP, ItemKind.PLACE, ItemKind.OVERDUE_ACTION,
                   ItemKind.CARRIED_OVER, ItemKind.ADDED_BY_CHAIR)


@dataclass
class Candidate:
    """Something that should be on the agenda, and every reason it is there."""

    key: str
    kind: str
    reasons: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    subject: dict = field(default_factory=dict)  # person_id, group_id, place_id, ...

    def merge(self, other: "Candidate") -> None:
        self.reasons += [r for r in other.reasons if r not in self.reasons]
        for name, ids in other.sources.items():
            if isinstance(ids, list):
                self.sources[name] = sorted(set(self.sources.get(name, [])) | set(ids))
            else:  # a count or a flag (meetings_waited, chair_carried)
                self.sources[name] = ids
        for name, value in other.subject.items():
            self.subject.setdefault(name, value)
        self.kind = min(self.kind, other.kind, key=KIND_PRECEDENCE.index)


@dataclass(frozen=True)
class BuildResult:
    added: int
    refreshed: int
    removed: int


def previous_meeting(meeting: LocalityMeeting) -> LocalityMeeting | None:
    earlier = LocalityMeeting.objects.filter(locality_id=meeting.locality_id,
                                             held_on__lt=meeting.held_on)
    return earlier.order_by("-held_on").first()


def since(meeting: LocalityMeeting, previous: LocalityMeeting | None) -> dt.datetime:
    """New since the last meeting: since its agenda was last built (what it could have shown)."""
    if previous is not None and previous.agenda_built_at is not None:
        return previous.agenda_built_at
    if previous is not None:
        return timezone.make_aware(dt.datetime.combine(previous.held_on, previous.starts_at))
    return clock.now() - dt.timedelta(days=settings.MEETINGS_LOOKBACK_DAYS)


def build_agenda(meeting: LocalityMeeting, *, actor=None) -> BuildResult:
    """Build or refresh the agenda; a closed meeting is the record and is refused."""
    with transaction.atomic():
        meeting = LocalityMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_closed:
            raise Refused("meeting", "This meeting is closed: its agenda cannot change.")
        result = _apply(meeting, candidates(meeting))
        meeting.agenda_built_at = clock.now()
        meeting.save(update_fields=["agenda_built_at"])
        invited = invite_childrens_practitioners(meeting, actor=actor)
        sync_attendance(meeting)
        record(actor=actor, action="update", object_type="locality_meeting",
               object_ids=[meeting.pk], purpose="locality_meeting",
               detail={"agenda": "built", "added": result.added,
                       "refreshed": result.refreshed, "removed": result.removed,
                       **invited.audit_detail()})
    return result


def candidates(meeting: LocalityMeeting) -> dict[str, Candidate]:
    """Everything that belongs on the agenda today: one candidate per child, group or place,
    gathering every reason it is there.

    A deadline (an open task or statutory clock past due) joins a subject already on the
    agenda whatever its lateness; on its own it brings the subject on only once it is late by
    more than MEETINGS_OVERDUE_GRACE_WORKING_DAYS working days, so a deadline missed this
    morning does not fill the agenda.
    """
    previous = previous_meeting(meeting)
    start = since(meeting, previous)
    found: dict[str, Candidate] = {}
    for source in (_flagged(meeting, start), _accumulated(meeting, start),
                   _context_cases(meeting), _place_reviews(meeting, start),
                   _place_intelligence(meeting, start), _carried_over(previous)):
        for candidate in source:
            _gather(found, candidate)
    for candidate, late_enough in _overdue(meeting):
        if candidate.key in found or late_enough:
            _gather(found, candidate)
    return found


def _gather(found: dict[str, Candidate], candidate: Candidate) -> None:
    if candidate.key in found:
        found[candidate.key].merge(candidate)
    else:
        found[candidate.key] = candidate


def late_beyond_grace(due_at: dt.datetime) -> bool:
    """Overdue by more than the grace, counted in working days from the day it fell due."""
    days = working_days_between(timezone.localdate(due_at), clock.today())
    return days > settings.MEETINGS_OVERDUE_GRACE_WORKING_DAYS


def _ids(values) -> str:
    return ", ".join(str(v) for v in values)


def _concern_candidates(meeting, start, source, kind, words) -> list[Candidate]:
    rows = (Concern.objects.filter(source=source, outcome="", withdrawn_at__isnull=True,
                                   locality_id=meeting.locality_id,
                                   raised_at__gte=start, person__isnull=False)
            .values_list("pk", "person_id", "person__merged_into_id").order_by("pk"))
    by_person: dict[int, list[int]] = {}
    for pk, person_id, survivor_id in rows:
        by_person.setdefault(survivor_id or person_id, []).append(pk)
    return [
        Candidate(key=f"person:{person_id}", kind=kind,
                  reasons=[f"{words} (concern {_ids(pks)})."],
                  sources={"concerns": pks}, subject={"person_id": person_id})
        for person_id, pks in by_person.items()
    ]


def _flagged(meeting, start) -> list[Candidate]:
    """Children a rule on a partner's feed flagged for triage since the last meeting."""
    return _concern_candidates(meeting, start, ConcernSource.FEED_RULE, ItemKind.CHILD,
                               "Flagged by a rule on a partner's feed since the last meeting")


def _accumulated(meeting, start) -> list[Candidate]:
    """Children whose small concerns have added up past the threshold since the last meeting."""
    return _concern_candidates(meeting, start, ConcernSource.ACCUMULATION, ItemKind.CHILD,
                               "Small concerns have added up")


def _context_cases(meeting) -> list[Candidate]:
    """Open group, place and school cases in the locality."""
    loc = meeting.locality_id
    cases = ContextCase.objects.exclude(status=CaseStatus.CLOSED).filter(
        Q(group__locality_id=loc) | Q(place__ward__locality_id=loc)
        | Q(school__place__ward__locality_id=loc)
    ).select_related("school").order_by("opened_at", "pk")
    return [_context_candidate(case) for case in cases]


def _context_candidate(case: ContextCase) -> Candidate:
    sources = {"context_cases": [case.pk]}
    if case.group_id:
        return Candidate(key=f"group:{case.group_id}", kind=ItemKind.GROUP,
                         reasons=[f"Open peer group case (case {case.pk})."], sources=sources,
                         subject={"group_id": case.group_id, "context_case_id": case.pk})
    place_id = case.place_id or case.school.place_id
    words = "school" if case.school_id else "place"
    return Candidate(key=f"place:{place_id}", kind=ItemKind.PLACE,
                     reasons=[f"Open {words} case (case {case.pk})."], sources=sources,
                     subject={"place_id": place_id, "context_case_id": case.pk})


def _due(when: dt.datetime) -> str:
    return f"{timezone.localtime(when):%d %b %Y}"


def _place_reviews(meeting, start) -> list[Candidate]:
    """Places in the locality with an open place review raised since the last meeting (an
    overdue one comes through `_overdue`, like any other deadline)."""
    tasks = Task.objects.filter(status=TaskStatus.OPEN, task_type=TaskType.PLACE_REVIEW,
                                created_at__gte=start,
                                place__ward__locality_id=meeting.locality_id)
    return [
        Candidate(key=f"place:{t.place_id}", kind=ItemKind.PLACE,
                  reasons=[f"Place review (task {t.pk}) raised on {_due(t.created_at)}."],
                  sources={"tasks": [t.pk]}, subject={"place_id": t.place_id})
        for t in tasks.order_by("created_at", "pk")
    ]


def _place_intelligence(meeting, start) -> list[Candidate]:
    """Places in the locality that graded intelligence was linked to since the last meeting,
    if it weighs something by its grade (an item suspected false, E, brings nothing). Ids
    only: what may be read of it is decided on the place's own page, by handling code."""
    return [
        Candidate(key=f"place:{place_id}", kind=ItemKind.PLACE,
                  reasons=[f"Graded intelligence linked to the place (links {_ids(links)})."],
                  sources={"intelligence_links": links}, subject={"place_id": place_id})
        for place_id, links in place_links_since(meeting.locality_id, start).items()
    ]


def _overdue(meeting) -> list[tuple[Candidate, bool]]:
    """Open tasks and statutory clocks about the locality's children (and places) past due,
    each with whether it is late beyond the grace."""
    loc, now = meeting.locality_id, clock.now()
    tasks = Task.objects.filter(
        Q(person__locality_id=loc) | Q(person__isnull=True, place__ward__locality_id=loc),
        status=TaskStatus.OPEN, due_at__lt=now,
    ).values_list("pk", "due_at", "person_id", "person__merged_into_id", "place_id")
    clocks = StatutoryClock.objects.filter(
        person__locality_id=loc, met_at__isnull=True, due_at__lt=now,
    ).values_list("pk", "due_at", "person_id", "person__merged_into_id")
    found = []
    for pk, due_at, person_id, survivor_id, place_id in tasks.order_by("due_at", "pk"):
        reason = f"Task {pk} was due on {_due(due_at)} and is not done."
        found.append((_deadline(survivor_id or person_id, place_id, "tasks", pk, reason),
                      late_beyond_grace(due_at)))
    for pk, due_at, person_id, survivor_id in clocks.order_by("due_at", "pk"):
        reason = f"Statutory clock {pk} was due on {_due(due_at)} and is not met."
        found.append((_deadline(survivor_id or person_id, None, "clocks", pk, reason),
                      late_beyond_grace(due_at)))
    return found


def _deadline(person_id, place_id, source: str, pk: int, reason: str) -> Candidate:
    if person_id:
        key, subject = f"person:{person_id}", {"person_id": person_id}
    else:
        key, subject = f"place:{place_id}", {"place_id": place_id}
    return Candidate(key=key, kind=ItemKind.OVERDUE_ACTION, reasons=[reason],
                     sources={source: [pk]}, subject=subject)


def _carried_over(previous: LocalityMeeting | None) -> list[Candidate]:
    """Items the last meeting did not get to, under their subject (one item per child), while
    their reason still holds (`still_holds`): each says how many meetings it has waited, and
    brings back what is still open about it, so the reasons shown are today's."""
    if previous is None:
        return []
    items = previous.items.filter(discussed=False).order_by("position", "pk")
    found = []
    for item in items:
        still = still_holds(item, previous.locality_id)
        if not still:
            continue
        waited = item.sources.get("meetings_waited", 0) + 1
        found.append(Candidate(
            key=subject_key(item), kind=ItemKind.CARRIED_OVER,
            reasons=[f"Not discussed at the meeting on {previous.held_on:%d %b %Y} "
                     f"(item {item.pk}; waited {waited} meeting{'s' if waited > 1 else ''})."],
            sources={"carried_from": [item.pk], "meetings_waited": waited, **still},
            subject=_subject_of(item)))
    return found


def still_holds(item: AgendaItem, locality_id: int) -> dict:
    """What still keeps an undiscussed item on the agenda: its child's open concerns, its
    place's open reviews, intelligence that still weighs, or the chair having added it. An
    overdue deadline or an open case brings it back on its own (`_overdue`, `_context_cases`)
    and is counted here only so the item keeps its wait. Empty: it is not carried over, and
    the next agenda says why (`not_carried_over`)."""
    holds: dict = {}
    if item.sources.get("added_by_chair") or item.sources.get("chair_carried"):
        holds["chair_carried"] = True
    subject = _subject_of(item)
    person_id, place_id = subject.get("person_id"), subject.get("place_id")
    if person_id:
        concerns = list(Concern.objects.filter(
            person_id=person_id, locality_id=locality_id, outcome="",
            withdrawn_at__isnull=True).order_by("pk").values_list("pk", flat=True))
        if concerns:
            holds["concerns"] = concerns
    if place_id:
        reviews = list(Task.objects.filter(
            place_id=place_id, status=TaskStatus.OPEN, task_type=TaskType.PLACE_REVIEW,
        ).order_by("pk").values_list("pk", flat=True))
        if reviews:
            holds["tasks"] = reviews
        weighing = [pk for pk, (w, _) in link_weights(
            item.sources.get("intelligence_links", [])).items() if w > 0]
        if weighing:
            holds["intelligence_links"] = sorted(weighing)
    if not holds and _deadline_or_case_open(item, subject):
        holds["still_late_or_open"] = True
    return holds


def _deadline_or_case_open(item: AgendaItem, subject: dict) -> bool:
    now = clock.now()
    person_id, place_id = subject.get("person_id"), subject.get("place_id")
    if person_id and (
            Task.objects.filter(person_id=person_id, status=TaskStatus.OPEN,
                                due_at__lt=now).exists()
            or StatutoryClock.objects.filter(person_id=person_id, met_at__isnull=True,
                                             due_at__lt=now).exists()):
        return True
    if place_id and Task.objects.filter(person__isnull=True, place_id=place_id,
                                        status=TaskStatus.OPEN, due_at__lt=now).exists():
        return True
    cases = ContextCase.objects.exclude(status=CaseStatus.CLOSED)
    if subject.get("group_id") and cases.filter(group_id=subject["group_id"]).exists():
        return True
    return bool(place_id) and cases.filter(Q(place_id=place_id)
                                           | Q(school__place_id=place_id)).exists()


NOT_CARRIED = {
    "concerns": "its concerns have been decided or withdrawn",
    "tasks": "its tasks are done or closed",
    "clocks": "its statutory deadlines are met",
    "context_cases": "its case is closed",
    "intelligence_links": "its intelligence no longer weighs anything",
}


def not_carried_over(meeting: LocalityMeeting) -> list[tuple[AgendaItem, str]]:
    """The last meeting's undiscussed items this agenda does not carry, each with why (in
    words from its sources, never a record's text): nothing a partner raised goes silently."""
    previous = previous_meeting(meeting)
    if previous is None:
        return []
    here = set(meeting.items.values_list("key", flat=True))
    gone = []
    for item in previous.items.filter(discussed=False).order_by("closed_number", "position"):
        if subject_key(item) in here:
            continue
        words = [NOT_CARRIED[name] for name in NOT_CARRIED if item.sources.get(name)]
        gone.append((item, "; ".join(words) or "nothing about it is open or overdue now"))
    return gone


def _subject_of(item: AgendaItem) -> dict:
    subject = {name: getattr(item, name) for name in SUBJECT_FIELDS
               if getattr(item, name) is not None}
    if subject.keys() - {"task_id", "context_case_id"}:
        subject.pop("task_id", None)  # an older task item now belongs to its child or place
    return subject


def subject_key(item: AgendaItem) -> str:
    """What the item is about: the child, group or place (an older task item's child)."""
    for prefix, value in (("person", item.person_id), ("group", item.group_id),
                          ("place", item.place_id)):
        if value:
            return f"{prefix}:{value}"
    return item.key


SUBJECT_FIELDS = ("person_id", "group_id", "place_id", "context_case_id", "task_id")


def why(reasons: list[str], sources: dict) -> str:
    words = ([CHAIR_REASON] if sources.get("added_by_chair") else []) + reasons
    text = " ".join(words)
    return text if len(text) <= WHY_LENGTH else text[: WHY_LENGTH - 1] + "…"


def _apply(meeting: LocalityMeeting, found: dict[str, Candidate]) -> BuildResult:
    existing = {item.key: item for item in meeting.items.all()}
    position = (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1
    added = refreshed = 0
    now = clock.now()
    for key, candidate in found.items():
        item = existing.get(key)
        if item is None:
            AgendaItem.objects.create(
                meeting=meeting, key=key, kind=candidate.kind, position=position,
                why=why(candidate.reasons, candidate.sources), sources=candidate.sources,
                created_at=now, **candidate.subject)
            position, added = position + 1, added + 1
        elif _refresh(item, candidate):
            refreshed += 1
    removed = _remove_stale(meeting, [i for k, i in existing.items() if k not in found])
    return BuildResult(added, refreshed, removed)


def _refresh(item: AgendaItem, candidate: Candidate) -> bool:
    """Update why an item is there; its discussion, decision and position stay as they are."""
    sources = {**candidate.sources}
    if item.sources.get("added_by_chair"):
        sources["added_by_chair"] = True
    text = why(candidate.reasons, sources)
    kind = item.kind if item.kind == ItemKind.ADDED_BY_CHAIR else candidate.kind
    if (item.why, item.sources, item.kind) == (text, sources, kind):
        return False
    item.why, item.sources, item.kind = text, sources, kind
    item.save(update_fields=["why", "sources", "kind"])
    return True


def _remove_stale(meeting, stale: list[AgendaItem]) -> int:
    """Automatic items that no longer apply go, unless discussion or actions are recorded."""
    gone = [item.pk for item in stale
            if not item.sources.get("added_by_chair") and not item.has_discussion
            and not item.actions.exists()]
    AgendaItem.objects.filter(meeting=meeting, pk__in=gone).delete()
    return len(gone)
