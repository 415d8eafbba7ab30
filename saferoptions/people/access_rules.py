"""What people tells the access policy (`access/registry.py`), from `PeopleConfig.ready()`.

The person is whom every scope is about. An agency's identity record and the ties it records
are that agency's record, in the category identity. A child's siblings are read from current
family ties whose detail says so (agencies record "sibling", "brother"...).
"""

from django.db.models import Q

from saferoptions.access import registry
from saferoptions.access.categories import DataCategory

from .models import Identity, Person, Relationship, RelationshipKind

SIBLING_WORDS = ("sibling", "brother", "sister")


def siblings(person, today, where: Q) -> set:
    """Ids of the child's siblings, from current family ties (either side) matching `where`."""
    said = Q()
    for word in SIBLING_WORDS:
        said |= Q(detail__icontains=word)
    ties = Relationship.objects.filter(
        said, where, Q(end_date__isnull=True) | Q(end_date__gt=today), kind=RelationshipKind.FAMILY)
    found = set(ties.filter(person=person, other__isnull=False).values_list("other_id", flat=True))
    found |= set(ties.filter(other=person, person__isnull=False)
                 .values_list("person_id", flat=True))
    found.discard(person.pk)
    return found


def register() -> None:
    registry.register_people(Person, siblings=siblings)
    registry.register_person_rows(Identity, registry.PersonRows(
        category=DataCategory.IDENTITY, source="agency_id", by_ids=True))
    registry.register_person_rows(Relationship, registry.PersonRows(
        category=DataCategory.IDENTITY, source="source_id", by_ids=True))
