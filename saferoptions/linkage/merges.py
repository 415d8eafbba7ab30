"""Merging and splitting persons by hand: every row naming a person follows, and each change
can be undone exactly.

The rows that move are found from Django's model metadata (every foreign key to `Person`),
not from a hand-kept list, so a model added later follows a merge without a change here. A
merge never deletes: the absorbed person stays, pointing at the survivor, and the
`PersonMerge` row lists the ids of every row moved. A split's new person is made by
`people.services.create_person`, like every other person.
"""

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Involvement
from saferoptions.people import localities
from saferoptions.people.models import Identity, Person, Relationship, Sex
from saferoptions.people.services import create_person

from . import decisions
from .models import IdentityMatch, PersonChangeKind, PersonMerge
from .normalise import nhs_number

PURPOSE = "data_quality"
# Rows that stay with the person they name. A break-glass grant opened one record for one
# reason: moving it would open the survivor's whole record. Earlier merges keep pointing at the
# person they absorbed into (chains are followed). The merge log names both persons.
STAYS = {
    ("people.person", "merged_into"), ("access.breakglassgrant", "person"),
    ("linkage.personmerge", "from_person"), ("linkage.personmerge", "to_person"),
}
MIN_REASON = 10


class MergeRefused(ValueError):
    """A merge, split or undo that cannot be made; `field` and the message say why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def person_fields() -> list[tuple[type, models.Field]]:
    """Every (model, foreign key) that names a person and follows a merge."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Person and \
                    (model._meta.label_lower, f.name) not in STAYS:
                found.append((model, f))
    return found


def _key(model, f) -> str:
    return f"{model._meta.label_lower}.{f.name}"


def _field_of(key: str):
    label, name = key.rsplit(".", 1)
    return apps.get_model(label), name


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise MergeRefused("reason", f"Give a reason of at least {MIN_REASON} characters.")
    return reason


def _locked(*people: Person) -> list[Person]:
    rows = Person.objects.select_for_update().in_bulk([p.pk for p in people])
    return [rows[p.pk] for p in people]


# --- merge ----------------------------------------------------------------------------------

def merge_persons(*, actor, survivor: Person, absorbed: Person, reason: str):
    """Fold `absorbed` into `survivor`: every row naming absorbed now names survivor."""
    reason = _reason(reason)
    if survivor.pk == absorbed.pk:
        raise MergeRefused("person", "A person cannot be merged with themselves.")
    with transaction.atomic():
        survivor, absorbed = _locked(survivor, absorbed)
        _check_merge(survivor, absorbed)
        left = left_behind(survivor, absorbed)
        moved = _move(absorbed, survivor, keep=left)
        absorbed.merged_into = survivor
        absorbed.save(update_fields=["merged_into"])
        merge = PersonMerge.objects.create(
            kind=PersonChangeKind.MERGE, from_person=absorbed, to_person=survivor, moved=moved,
            reason=reason, actor=actor, created_at=clock.now())
        theirs = moved.get("people.identity.person", [])
        _keep_in_batch(merge, actor, theirs, Identity.objects.filter(person=survivor).exclude(
            pk__in=theirs), "match")
        _audit(actor, merge, [survivor.pk, absorbed.pk],
               left_behind={key: len(ids) for key, ids in left.items()})
        # The survivor now holds both people's addresses: the most recent places them.
        localities.refresh_locality(person=survivor, actor=actor, purpose=PURPOSE)
    return merge


def _check_merge(survivor: Person, absorbed: Person) -> None:
    for who in (survivor, absorbed):
        if who.merged_into_id:
            raise MergeRefused("person", "One of these people has already been merged into "
                                         "someone else; use that person instead.")
    mine, theirs = nhs_numbers(survivor), nhs_numbers(absorbed)
    if mine and theirs and mine != theirs:
        # One child has one NHS number: two valid, different numbers mean two children. A
        # real re-registration (e.g. adoption) is a protected new identity: never joined here.
        raise MergeRefused("person", "These people have different valid NHS numbers, so they "
                                     "are two children and cannot be merged.")
    conflicts = unique_conflicts(survivor, absorbed)
    if conflicts:
        raise MergeRefused("person", "Both people have " + "; and ".join(conflicts)
                           + ". Close or end one of them first, then merge.")


def nhs_numbers(person: Person) -> frozenset:
    """The valid NHS numbers the person's agency records hold."""
    numbers = Identity.objects.filter(person=person).values_list("nhs_number", flat=True)
    return frozenset(filter(None, (nhs_number(n) for n in numbers)))


def _current_team(today) -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


# Rules that services keep rather than the database, which a merge must not break either:
# (model, person field, fields that must differ, which rows count, what to call a clash).
SERVICE_RULES = [
    ("cases.teamaroundchildmember", "person", ("user",), _current_team,
     "the same practitioner in their team around the child"),
]
# Clashes that are one fact recorded twice, not a conflict: the absorbed person's copy stays
# with them (the survivor already holds it), so nothing is lost and undo has nothing to move.
SAME_FACT = {"group_member_once", "the same practitioner in their team around the child",
             "one_link_per_child_and_activity"}


def unique_conflicts(survivor: Person, absorbed: Person) -> list[str]:
    """What both people hold that may only be held once and cannot simply stay behind."""
    return [rule.label for rule, clash in _clashes(survivor, absorbed)
            if clash and not rule.same_fact]


def left_behind(survivor: Person, absorbed: Person) -> dict[str, list]:
    """The absorbed person's copies of facts the survivor already holds: they do not move."""
    left: dict[str, list] = {}
    for rule, clash in _clashes(survivor, absorbed):
        if clash and rule.same_fact:
            rows = rule.rows().filter(**{rule.field: absorbed})
            ids = [pk for pk, *key in rows.values_list("pk", *rule.others) if tuple(key) in clash]
            left.setdefault(f"{rule.model._meta.label_lower}.{rule.field}", []).extend(ids)
    return left


@dataclass(frozen=True)
class _Rule:
    model: type
    field: str
    others: tuple
    condition: Q | None
    label: str
    same_fact: bool

    def rows(self):
        rows = self.model._base_manager.all()
        return rows.filter(self.condition) if self.condition is not None else rows


def _clashes(survivor: Person, absorbed: Person):
    """Each uniqueness rule with what both people hold under it (a set of keys, or a bool)."""
    for rule in _uniqueness_rules():
        rows = rule.rows()
        if rule.others:
            mine = set(rows.filter(**{rule.field: survivor}).values_list(*rule.others))
            theirs = set(rows.filter(**{rule.field: absorbed}).values_list(*rule.others))
            yield rule, mine & theirs
        else:
            yield rule, rows.filter(**{rule.field: survivor}).exists() and \
                rows.filter(**{rule.field: absorbed}).exists()


def _uniqueness_rules():
    """Each uniqueness rule involving a person field: from the models, and the service rules."""
    today = clock.today()
    for model, f in person_fields():
        if f.unique:
            yield _Rule(model, f.name, (), None, _label(model, f.name), False)
        for c in model._meta.constraints:
            if isinstance(c, models.UniqueConstraint) and f.name in (c.fields or ()):
                others = tuple(x for x in c.fields if x != f.name)
                yield _Rule(model, f.name, others, c.condition, _label(model, c.name),
                            c.name in SAME_FACT)
        for fields in model._meta.unique_together:
            if f.name in fields:
                others = tuple(x for x in fields if x != f.name)
                yield _Rule(model, f.name, others, None, _label(model, "_".join(fields)), False)
    for label, name, others, condition, text in SERVICE_RULES:
        yield _Rule(apps.get_model(label), name, others, condition(today), text,
                    text in SAME_FACT)


def _label(model, name: str) -> str:
    return f"{model._meta.verbose_name_plural} that clash ({name.replace('_', ' ')})"


def _move(source: Person, target: Person, *, keep: dict | None = None) -> dict[str, list]:
    """Point every row naming `source` at `target` (but those in `keep`); return ids moved."""
    moved, keep = {}, keep or {}
    for model, f in person_fields():
        rows = model._base_manager.filter(**{f.name: source})
        ids = list(rows.exclude(pk__in=keep.get(_key(model, f), [])).values_list("pk",
                                                                                  flat=True))
        if ids:
            model._base_manager.filter(pk__in=ids).update(**{f.name: target})
            moved[_key(model, f)] = ids
    return moved


def _audit(actor, change, person_ids, **extra) -> None:
    counts = {key: len(ids) for key, ids in change.moved.items()}
    record(actor=actor, action="update", object_type="person", object_ids=person_ids,
           purpose=PURPOSE, detail={"change": change.kind, "person_merge": change.pk,
                                    "moved": counts, **extra})


# --- split ----------------------------------------------------------------------------------

def split_identities(*, actor, person: Person, identities, reason: str):
    """Move the chosen agency records (and what was recorded against them) to a new person."""
    reason = _reason(reason)
    chosen = sorted({i.pk for i in identities})
    with transaction.atomic():
        (person,) = _locked(person)
        _check_split(person, chosen)
        rows = list(Identity.objects.filter(pk__in=chosen))
        new = create_person(actor=actor, identities=rows, purpose=PURPOSE, kind=person.kind,
                            **_described_by(rows))
        if new.locality_id is None:  # no address of their own: the Hub's placement, if any
            new.locality_id = person.locality_id
            new.save(update_fields=["locality"])
        moved = {}
        for model, f, where in _split_rows(chosen):
            ids = list(model._base_manager.filter(where, **{f: person}).values_list("pk",
                                                                                    flat=True))
            if ids:
                model._base_manager.filter(pk__in=ids).update(**{f: new})
                moved[f"{model._meta.label_lower}.{f}"] = ids
        split = PersonMerge.objects.create(
            kind=PersonChangeKind.SPLIT, from_person=person, to_person=new, moved=moved,
            reason=reason, actor=actor, created_at=clock.now())
        _keep_in_batch(split, actor, chosen, Identity.objects.filter(person=person), "not_match")
        _audit(actor, split, [person.pk, new.pk])
        localities.refresh_locality(person=person, actor=actor, purpose=PURPOSE)
    return split


def _keep_in_batch(change, actor, moved_ids, others, status: str) -> None:
    """Record the change as review decisions, so the next batch linkage run keeps it."""
    decisions.record_for(change, actor=actor, left=list(moved_ids),
                         right=list(others.values_list("pk", flat=True)), status=status)


def _check_split(person: Person, chosen: list[int]) -> None:
    if person.merged_into_id:
        raise MergeRefused("person", "This person has been merged into someone else.")
    if not chosen:
        raise MergeRefused("identities", "Choose at least one agency record to move.")
    held = set(Identity.objects.filter(person=person).values_list("pk", flat=True))
    if not set(chosen) <= held:
        raise MergeRefused("identities", "Choose only this person's own agency records.")
    if set(chosen) == held:
        raise MergeRefused("identities", "Leave at least one agency record with this person; "
                                         "to say they are someone else, merge them instead.")


def _split_rows(chosen):
    """What follows a moved identity: itself, its involvements, linkage's match, its ties."""
    return [
        (Identity, "person", Q(pk__in=chosen)),
        (Involvement, "person", Q(identity_id__in=chosen)),
        (IdentityMatch, "person", Q(identity_id__in=chosen)),
        (Relationship, "person", Q(identity_id__in=chosen)),
        (Relationship, "other", Q(other_identity_id__in=chosen)),
    ]


def _described_by(identities) -> dict:
    def common(values):
        counted = Counter(v for v in values if v not in (None, "", Sex.UNKNOWN))
        return counted.most_common(1)[0][0] if counted else None

    return {
        "given_name": common(i.given_name for i in identities) or "",
        "family_name": common(i.family_name for i in identities) or "",
        "date_of_birth": common(i.date_of_birth for i in identities),
        "sex": common(i.sex for i in identities) or Sex.UNKNOWN,
    }


# --- undo -----------------------------------------------------------------------------------

def undo_merge(*, actor, merge, reason: str):
    """Reverse a merge or split exactly: every row it moved goes back where it was."""
    reason = _reason(reason)
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at:
            raise MergeRefused("merge", "This change has already been undone.")
        source, target = _locked(merge.from_person, merge.to_person)
        _check_undo(merge, target)
        for key, ids in merge.moved.items():
            model, name = _field_of(key)
            model._base_manager.filter(pk__in=ids).update(**{name: source})
        decisions.withdraw(merge)
        if merge.kind == PersonChangeKind.MERGE:
            source.merged_into = None
            source.save(update_fields=["merged_into"])
        else:  # the person made by the split is empty again: retire it into the original
            target.merged_into = source
            target.save(update_fields=["merged_into"])
        merge.undone_at, merge.undone_by, merge.undo_reason = clock.now(), actor, reason
        merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        _audit(actor, merge, [source.pk, target.pk], undone=True)
        for who in (source, target):  # each has their own addresses back
            localities.refresh_locality(person=who, actor=actor, purpose=PURPOSE)
    return merge


def _check_undo(merge, target: Person) -> None:
    if target.merged_into_id:
        raise MergeRefused("merge", "The person has since been merged again: undo that first.")
    for key, ids in merge.moved.items():
        model, name = _field_of(key)
        here = model._base_manager.filter(pk__in=ids, **{name: target}).count()
        if here != len(ids):
            raise MergeRefused("merge", f"Some {model._meta.verbose_name_plural} moved by this "
                                        "change have been moved again since; it cannot be "
                                        "undone exactly.")
    if merge.kind == "split":
        moved = {(k, i) for k, ids in merge.moved.items() for i in ids}
        for model, f in person_fields():
            for pk in model._base_manager.filter(**{f.name: target}).values_list("pk", flat=True):
                if (_key(model, f), pk) not in moved:
                    raise MergeRefused("merge", f"The new person now has a "
                                                f"{model._meta.verbose_name} of their own; "
                                                "merge them back instead.")
