"""Disposal and the work done for a child: open work stops it, closed work goes with them.

Tasks, concerns, assessments, plans, clocks, meetings and NRM referrals refer to the child
with a protected key, so the person cannot be deleted while they exist. Each `Kind` says
which of its rows are still open (disposal is refused, naming them) and which are also about
other people (kept, the child detached and their names scrubbed); the rest are the child's
alone and are deleted with everything Django cascades from them, counted by kind.

`relations` walks the model graph from `people.Person`, so a model added later that refers
to the child (or to a row deleted with them) is covered: its key cascades, or is classified
here or in `services._remove`; otherwise its rows that cascade from the child anyway are
deleted first, and any other row on it makes disposal refuse with its name
(`unclassified_rows`). Nothing is silently left pointing at a deleted record.
"""

import dataclasses
import re
from collections.abc import Callable

from django.apps import apps
from django.db import models
from django.db.models import CASCADE, Q
from django.db.models.deletion import Collector

from saferoptions.cases.models import (
    OPEN_STATUSES,
    Assessment,
    CaseMeeting,
    Concern,
    NrmOutcome,
    NrmReferral,
    Plan,
    PlanAction,
    PlanReview,
    PlanStatus,
    Revision,
    StatutoryClock,
)
from saferoptions.people.models import Person
from saferoptions.tasks.models import RuleScope, Task, TaskStatus

from . import scrub


@dataclasses.dataclass(frozen=True)
class Kind:
    """One kind of work about a child, and how disposal treats its rows."""

    name: str  # the tombstone and audit key, in partners' words
    model: type[models.Model]
    open: Q | None  # rows still in use: disposal waits for them (None: never open)
    open_words: tuple[str, str] = ("", "")  # one, several
    shared: Callable[[scrub.Traces], Q] | None = None  # also about others: kept, detached
    revisions: str = ""  # the `cases.Revision` object type holding earlier versions' text
    # Rows that go with this kind's rows and keep their own corrections (a plan's actions and
    # reviews): (Revision object type, model, the field naming this kind's row).
    part_revisions: tuple = ()
    field: str = "person"

    def theirs(self, person_ids):
        return self.model._base_manager.filter(**{f"{self.field}__in": person_ids})


def _task_about_others(traces: scrub.Traces) -> Q:
    """A task about a place, or about an event someone else was in too."""
    return Q(rule__scope=RuleScope.PLACE) | Q(rule__scope=RuleScope.EVENT,
                                               event__in=traces.shared_events)


def _concern_about_others(traces: scrub.Traces) -> Q:
    """A concern decided onto a group's or a place's case is part of that case's record."""
    return Q(group__isnull=False) | Q(place__isnull=False)


# In deletion order: an assessment protects the concern it came from, so it goes first.
KINDS = (
    Kind("tasks", Task, Q(status=TaskStatus.OPEN), ("open task", "open tasks"),
         shared=_task_about_others),
    Kind("assessments", Assessment, Q(status__in=OPEN_STATUSES),
         ("open assessment", "open assessments"), revisions="assessment"),
    Kind("concerns", Concern, Q(outcome="", withdrawn_at__isnull=True),
         ("open concern", "open concerns"), shared=_concern_about_others,
         revisions="concern"),
    Kind("plans", Plan, Q(status=PlanStatus.OPEN), ("open plan", "open plans"),
         revisions="plan", part_revisions=(("plan_action", PlanAction, "plan"),
                                           ("plan_review", PlanReview, "plan"))),
    Kind("statutory_clocks", StatutoryClock, Q(met_at__isnull=True),
         ("running clock", "running clocks"), revisions="statutory_clock"),
    Kind("case_meetings", CaseMeeting, None,  # a record of a meeting held: never open
         revisions="case_meeting"),
    # A referral withdrawn as recorded in error waits for no decision.
    Kind("nrm_referrals", NrmReferral,
         Q(withdrawn_at__isnull=True) & (
             Q(reasonable_grounds=NrmOutcome.PENDING)
             | Q(reasonable_grounds=NrmOutcome.POSITIVE, conclusive_grounds=NrmOutcome.PENDING)),
         ("NRM referral waiting for a decision", "NRM referrals waiting for a decision"),
         revisions="nrm_referral"),
)

# Relations to the child that `services._remove` deletes itself (or, for `merged_into`, that
# join the records disposed of together).
REMOVED_BY_SERVICES = frozenset({
    "people.Person.merged_into", "people.Identity.person", "events.Involvement.person",
    "events.Involvement.identity", "linkage.PersonMerge.from_person",
    "linkage.PersonMerge.to_person",
})

# Names for rows that cascade, where the model's own plural is unclear out of context.
CASCADE_NAMES = {"tasks.Notification": "task_notifications",
                 "cases.Plan_groups": "plan_groups", "cases.Plan_places": "plan_places"}


def handled() -> set[str]:
    """Relations whose rows disposal removes or detaches on purpose ("app.Model.field")."""
    kind_models = {kind.model for kind in KINDS}
    # One kind's key to another (an assessment's concern): both go, in the order of KINDS.
    between = {f"{model._meta.label}.{field.name}" for model in kind_models
               for field in model._meta.concrete_fields
               if field.is_relation and field.related_model in kind_models}
    return {*REMOVED_BY_SERVICES, *between,
            *(f"{kind.model._meta.label}.{kind.field}" for kind in KINDS)}


@dataclasses.dataclass(frozen=True)
class Relation:
    """A key by which rows of `model` refer to a person, directly or through other rows."""

    model: type[models.Model]
    field: models.Field
    path: str  # lookup from `model` to the person's id

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def cascades(self) -> bool:
        return self.field.remote_field.on_delete is CASCADE


def relations(classified: set[str] | None = None) -> list[Relation]:
    """Every key to a person, or to a row that is deleted with one (the walk follows keys
    that cascade and those disposal deletes on purpose)."""
    classified = handled() if classified is None else classified
    found, seen, frontier = [], {Person}, [(Person, "")]
    while frontier:
        target, path = frontier.pop(0)
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model is not target:
                    continue
                relation = Relation(model, field, f"{field.name}__{path}" if path else field.name)
                found.append(relation)
                goes = relation.cascades or relation.label in classified
                if goes and model not in seen:
                    seen.add(model)
                    frontier.append((model, relation.path))
    return found


def unclassified() -> list[Relation]:
    """Keys to the child's records that neither cascade nor are handled here or in services.

    A row on one that goes with the child anyway (an agenda item about them, keyed to their
    task) is deleted first, so the key does not stop the rest; any other stops disposal."""
    known = handled()
    return [r for r in relations(known) if not r.cascades and r.label not in known]


def cascade_paths(model, seen=frozenset()) -> list[str]:
    """Lookups from `model` to the person along keys that all cascade: its rows on them are
    deleted with the person whatever else refers to them."""
    if model is Person:
        return [""]
    paths = []
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if target is None or target in seen or field.remote_field.on_delete is not CASCADE:
            continue
        for rest in cascade_paths(target, seen | {model}):
            paths.append(f"{field.name}__{rest}" if rest else field.name)
    return paths


def _rows(relation: Relation, person_ids):
    """The rows on an unclassified key, split: (going with the child anyway, staying)."""
    rows = relation.model._base_manager.filter(**{f"{relation.path}__in": person_ids})
    going = Q(pk__in=[])
    for path in cascade_paths(relation.model):
        going |= Q(**{f"{path}__in": person_ids})
    return rows.filter(going), rows.exclude(going)


def unclassified_rows(person_ids) -> dict[str, int]:
    """{"app.Model.field": rows that would stay referring to the child's records}."""
    counts = {}
    for relation in unclassified():
        if count := _rows(relation, person_ids)[1].count():
            counts[relation.label] = count
    return counts


def unclassified_words(found: dict[str, int]) -> str:
    """"2 agenda items (meetings.AgendaItem.task)"."""
    def rows(label, count):
        meta = apps.get_model(label.rsplit(".", 1)[0])._meta
        return f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural} ({label})"
    return ", ".join(rows(label, count) for label, count in found.items())


def still_in_use(person_ids) -> dict[str, list[int]]:
    """The child's open work, by kind: the ids of each kind's rows still open."""
    found = {kind.name: _ids(kind.theirs(person_ids).filter(kind.open))
             for kind in KINDS if kind.open is not None}
    return {name: ids for name, ids in found.items() if ids}


def in_use_words(found: dict[str, list[int]]) -> str:
    """"2 open tasks, 1 open plan" (in the order of `KINDS`)."""
    words = {kind.name: kind.open_words for kind in KINDS}
    return ", ".join(f"{len(ids)} {words[name][len(ids) != 1]}" for name, ids in found.items())


def remove(person_ids, traces: scrub.Traces) -> dict[str, list[int]]:
    """Delete the child's closed work, detach them from work about others; ids by kind.

    Call only once `still_in_use` is empty. Kinds always appear (an empty list when none)."""
    done: dict[str, list[int]] = {}
    for relation in unclassified():  # they would go with the person, but after the work
        _add(done, _delete(_rows(relation, person_ids)[0]))
    for kind in KINDS:
        if kind.shared is not None:
            done[f"{kind.name}_detached"] = _detach(kind, person_ids, traces)
        own = kind.theirs(person_ids)  # what is left once the shared rows are detached
        if kind.revisions:
            revisions = Revision.objects.filter(object_type=kind.revisions,
                                                object_id__in=own.values("pk"))
            done[f"{kind.revisions}_revisions"] = _ids(revisions)
            revisions.delete()
        for object_type, model, through in kind.part_revisions:
            parts = model._base_manager.filter(**{f"{through}__in": own.values("pk")})
            revisions = Revision.objects.filter(object_type=object_type,
                                                object_id__in=parts.values("pk"))
            done[f"{object_type}_revisions"] = _ids(revisions)
            revisions.delete()
        _add(done, {kind.name: [], **_delete(own)})
    return done


def _detach(kind: Kind, person_ids, traces: scrub.Traces) -> list[int]:
    """Work also about others stays theirs: the child's key emptied, their names scrubbed."""
    kept = _ids(kind.theirs(person_ids).filter(kind.shared(traces)))
    kind.model._base_manager.filter(pk__in=kept).update(**{kind.field: None})
    scrub.detached(traces, kind.model, kept)
    return kept


def _add(done: dict[str, list[int]], found: dict[str, list[int]]) -> None:
    for name, ids in found.items():
        done[name] = sorted({*done.get(name, []), *ids})


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _delete(queryset) -> dict[str, list[int]]:
    """Delete the rows and all that cascades from them; the ids gone, by kind.

    Raises ProtectedError, before deleting anything, if a row not going protects one."""
    collector = Collector(using=queryset.db)
    collector.collect(queryset)
    gone: dict[str, set] = {}
    for model, rows in collector.data.items():
        gone.setdefault(kind_name(model), set()).update(row.pk for row in rows)
    for rows in collector.fast_deletes:
        gone.setdefault(kind_name(rows.model), set()).update(rows.values_list("pk", flat=True))
    collector.delete()
    return {name: sorted(ids) for name, ids in gone.items() if ids}


def kind_name(model) -> str:
    """A kind's own name, or the model's plural as a key ("plan actions" -> "plan_actions")."""
    for kind in KINDS:
        if kind.model is model:
            return kind.name
    label = model._meta.label
    plural = str(model._meta.verbose_name_plural)
    return CASCADE_NAMES.get(label) or re.sub(r"[^a-z0-9]+", "_", plural.lower()).strip("_")
