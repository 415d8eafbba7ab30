"""Removing the loaded synthetic city: exactly the rows it wrote, fast, honouring every PROTECT.

Django's delete collector loads every row and deletes 100 at a time: far too slow for a
million events. Each of the city's tables is a range of ids, so rows that refer to a range
are dealt with first, as their foreign key says (cascade, protect, set null), and the range
then goes in one statement.
"""

from collections.abc import Callable

from django.db import models, transaction
from django.db.models import ProtectedError

from saferoptions.contexts.models import Place, School
from saferoptions.events.models import Event, EventObject, Involvement
from saferoptions.people.models import Identity, Person, Relationship

from .loader import BATCH, key
from .models import SyntheticCity

# Deleting in this order respects every PROTECT between the city's own tables.
REMOVAL_ORDER = (Relationship, EventObject, Involvement, Event, Identity, School, Place)


def remove_city(loaded: SyntheticCity, progress: Callable[[str], None] = lambda _m: None) -> None:
    """Delete the rows the loaded city wrote, and the people linkage made only from them."""
    with transaction.atomic():
        first, last = loaded.row_ranges.get(key(Identity), [1, 0])
        people = list(Identity.objects.filter(id__range=(first, last)).exclude(person=None)
                      .values_list("person_id", flat=True).distinct())
        for model in REMOVAL_ORDER:
            first, last = loaded.row_ranges.get(key(model), [1, 0])
            if first <= last:
                delete_range(model, first, last)
            progress(f"removed {key(model)}")
        remove_people(people)
        loaded.delete()


def delete_range(model, first: int, last: int) -> None:
    """Delete ids first..last of `model`, after whatever refers to them."""
    for relation in _referring(model):
        field = relation.field
        # Foreign keys have no __range lookup; gte and lte do the same.
        refs = relation.related_model._base_manager.filter(
            **{f"{field.name}__gte": first, f"{field.name}__lte": last})
        rule = relation.on_delete
        if rule in (models.PROTECT, models.RESTRICT):
            if refs.exists():
                raise ProtectedError(
                    f"{relation.related_model._meta.verbose_name_plural} refer to the city",
                    set(refs[:5]))
        elif rule is models.CASCADE:
            refs.delete()
        elif rule is models.SET_NULL:
            refs.update(**{field.name: None})
        elif rule is not models.DO_NOTHING:
            # Anything subtler (SET_DEFAULT, SET(...)): let Django do it row by row.
            model._default_manager.filter(id__range=(first, last)).delete()
            return
    model._base_manager.filter(id__range=(first, last))._raw_delete(model._base_manager.db)


def _referring(model) -> list:
    """Every foreign key that points at `model`, hidden ones (related_name="+") included."""
    return [f for f in model._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many)]


def remove_people(candidates: list[int]) -> None:
    """People left with no record and no involvement existed only for the synthetic city."""
    for low in range(0, len(candidates), BATCH):
        chunk = candidates[low:low + BATCH]
        orphans = Person.objects.filter(id__in=chunk, identities__isnull=True,
                                        involvements__isnull=True)
        # Absorbed people point at survivors (PROTECT): they go first.
        orphans.exclude(merged_into=None).delete()
        orphans.delete()
