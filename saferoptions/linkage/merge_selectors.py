"""Reads for merging and splitting persons: only people the user may change, each read audited.

A person the user may not change and a person that does not exist give the same None (the
caller's 404). Merged-away persons are never offered: the survivor stands for them.
"""

from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.people.models import Identity, Person
from saferoptions.people.names import by_family_name

from .models import PersonChangeKind, PersonMerge

PURPOSE = "data_quality"
SEARCH_LIMIT = 20


def _changeable(user, queryset):
    return policy.restrict(user, "change", queryset)


def person_to_change(*, user, public_id) -> Person | None:
    """A current person the user may change (merge, split); None otherwise."""
    with transaction.atomic():
        people = Person.objects.filter(public_id=public_id, merged_into__isnull=True)
        person = _changeable(user, people).first()
        if person is None:
            record(actor=user, action="deny", object_type="person", outcome="denied",
                   purpose=PURPOSE, detail={"reference": str(public_id)})
            return None
        record(actor=user, action="view", object_type="person", object_ids=[person.pk],
               purpose=PURPOSE)
    return person


def people_to_merge_with(*, user, person: Person | None, query: str) -> list[Person]:
    """People the user may change whose names match every word of `query`, not this one."""
    words = query.split()
    if not words:
        return []
    people = Person.objects.filter(merged_into__isnull=True)
    if person is not None:
        people = people.exclude(pk=person.pk)
    for word in words:
        people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    with transaction.atomic():
        found = list(_changeable(user, people).order_by(*by_family_name())
                     [:SEARCH_LIMIT])
        record(actor=user, action="search", object_type="person",
               object_ids=[p.pk for p in found], purpose=PURPOSE,
               detail={"for_person": person.pk if person else None})
    return found


def identities_to_split(*, user, person: Person) -> list[Identity]:
    """The person's agency records the user may see, to choose which belong to someone else."""
    with transaction.atomic():
        rows = list(policy.restrict(user, "view", Identity.objects.filter(person=person))
                    .select_related("agency").order_by("agency__name", "pk"))
        record(actor=user, action="view", object_type="identity",
               object_ids=[i.pk for i in rows], purpose=PURPOSE, detail={"split": person.pk})
    return rows


def changes_of(*, user, person: Person) -> list[PersonMerge]:
    """Merges and splits this person was part of, newest first."""
    with transaction.atomic():
        found = list(PersonMerge.objects.filter(Q(from_person=person) | Q(to_person=person))
                     .select_related("actor", "undone_by"))
        record(actor=user, action="list", object_type="person_merge",
               object_ids=[m.pk for m in found], purpose=PURPOSE)
    return found


def change_to_undo(*, user, pk: int) -> PersonMerge | None:
    """A merge or split the user may undo: they may change the person it left standing."""
    change = PersonMerge.objects.filter(pk=pk).select_related("from_person", "to_person").first()
    if change is None:
        return None
    standing = change.to_person if change.kind == PersonChangeKind.MERGE else change.from_person
    with transaction.atomic():
        if not _changeable(user, Person.objects.filter(pk=standing.pk)).exists():
            record(actor=user, action="deny", object_type="person_merge", outcome="denied",
                   purpose=PURPOSE, detail={"person_merge": pk})
            return None
        record(actor=user, action="view", object_type="person_merge", object_ids=[pk],
               purpose=PURPOSE)
    return change
