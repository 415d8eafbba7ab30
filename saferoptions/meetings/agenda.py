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
from saferoptions.cases.models import Concern, ConcernSource
from saferoptions.contexts.models import CaseStatus, ContextCase
from saferoptions.core import clock
from saferoptions.tasks.models import Task, TaskStatus

from .attendance import sync_attendance
from .errors import Refused
from .models import AgendaItem, ItemKind, LocalityMeeting

CHAIR_REASON = "Added by the chair."
WHY_LENGTH = AgendaItem._meta.get_field("why").max_length


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
            self.sources[name] = sorted(set(self.sources.get(name, [])) | set(ids))
        for name, value in other.subject.items():
            self.subject.setdefault(name, value)


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
        sync_attendance(meeting)
        record(actor=actor, action="update", object_type="locality_meeting",
               object_ids=[meeting.pk], purpose="locality_meeting",
               detail={"agenda": "built", "added": result.added,
                       "refreshed": result.refreshed, "removed": result.removed})
    return result


def candidates(meeting: LocalityMeeting) -> dict[str, Candidate]:
    """Everything that belongs on the agenda today, one candidate per key, in agenda order."""
    previous = previous_meeting(meeting)
    start = since(meeting, previous)
    found: dict[str, Candidate] = {}
    for source in (_flagged(meeting, start), _accumulated(meeting, start),
                   _context_cases(meeting), _overdue_tasks(meeting),
                   _carried_over(previous)):
        for candidate in source:
            if candidate.key in found:
                found[candidate.key].merge(candidate)
            else:
                found[candidate.key] = candidate
    return found


def _ids(values) -> str:
    return ", ".join(str(v) for v in values)


def _concern_candidates(meeting, start, source, kind, words) -> list[Candidate]:
    rows = (Concern.objects.filter(source=source, outcome="", locality_id=meeting.locality_id,
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


def _overdue_tasks(meeting) -> list[Candidate]:
    """Open tasks about the locality's children that are past their due time."""
    tasks = Task.objects.filter(status=TaskStatus.OPEN, due_at__lt=clock.now(),
                                person__locality_id=meeting.locality_id).order_by("due_at", "pk")
    return [
        Candidate(key=f"task:{t.pk}", kind=ItemKind.OVERDUE_ACTION,
                  reasons=[f"Task {t.pk} was due on "
                           f"{timezone.localtime(t.due_at):%d %b %Y} and is not done."],
                  sources={"tasks": [t.pk]},
                  subject={"task_id": t.pk, "person_id": t.person_id})
        for t in tasks
    ]


def _carried_over(previous: LocalityMeeting | None) -> list[Candidate]:
    """Items the last meeting did not get to."""
    if previous is None:
        return []
    items = previous.items.filter(discussed=False).order_by("position", "pk")
    return [
        Candidate(key=item.key, kind=ItemKind.CARRIED_OVER,
                  reasons=[f"Not discussed at the meeting on {previous.held_on:%d %b %Y} "
                           f"(item {item.pk})."],
                  sources={"carried_from": [item.pk]},
                  subject={name: getattr(item, name) for name in SUBJECT_FIELDS
                           if getattr(item, name) is not None})
        for item in items
    ]


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
    if item.why == text and item.sources == sources:
        return False
    item.why, item.sources = text, sources
    item.save(update_fields=["why", "sources"])
    return True


def _remove_stale(meeting, stale: list[AgendaItem]) -> int:
    """Automatic items that no longer apply go, unless discussion or actions are recorded."""
    gone = [item.pk for item in stale
            if not item.sources.get("added_by_chair") and not item.has_discussion
            and not item.actions.exists()]
    AgendaItem.objects.filter(meeting=meeting, pk__in=gone).delete()
    return len(gone)
