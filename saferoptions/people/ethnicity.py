"""A person's ethnicity: the most recently recorded of their identities' ("not recorded" if none).

Agencies record ethnicity on their own records, and may differ or change; the partnership
does not decide between them, it takes the latest an agency recorded. Derived when read (a
subquery), so merges, splits and new records never leave a stale copy behind.
"""

from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Ethnicity, Identity, Person


def latest(person_ref: str = "pk") -> Coalesce:
    """An expression for annotate(): the ethnicity of the person `person_ref` points at."""
    recorded = Identity.objects.filter(person=OuterRef(person_ref)).exclude(
        ethnicity=Ethnicity.NOT_RECORDED).order_by(
        F("ethnicity_recorded_at").desc(nulls_last=True), "-pk")
    return Coalesce(Subquery(recorded.values("ethnicity")[:1]), Value(Ethnicity.NOT_RECORDED))


def of(person: Person) -> str:
    """One person's ethnicity (an `Ethnicity` value)."""
    return Person.objects.filter(pk=person.pk).annotate(e=latest()).values_list(
        "e", flat=True).first() or Ethnicity.NOT_RECORDED
