"""A person's ethnicity: the most recently recorded of their identities' ("not recorded" if none).

Agencies record ethnicity on their own records, and may differ or change; the partnership
does not decide between them, it takes the latest an agency recorded. Derived when read (a
subquery), so merges, splits and new records never leave a stale copy behind.
"""

from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Ethnicity, Identity, Person


def _recorded(identities: QuerySet) -> QuerySet:
    """The identities with a group recorded, the most recently recorded first."""
    return identities.exclude(ethnicity=Ethnicity.NOT_RECORDED).order_by(
        F("ethnicity_recorded_at").desc(nulls_last=True), "-pk")


def latest(person_ref: str = "pk") -> Coalesce:
    """An expression for annotate(): the ethnicity of the person `person_ref` points at."""
    recorded = _recorded(Identity.objects.filter(person=OuterRef(person_ref)))
    return Coalesce(Subquery(recorded.values("ethnicity")[:1]), Value(Ethnicity.NOT_RECORDED))


def of(person: Person) -> str:
    """One person's ethnicity (an `Ethnicity` value)."""
    return Person.objects.filter(pk=person.pk).annotate(e=latest()).values_list(
        "e", flat=True).first() or Ethnicity.NOT_RECORDED


def latest_among(identities: QuerySet) -> str:
    """The most recently recorded of these identities' (those a viewer may see), by the same
    rule as `latest`; "not recorded" if none of them holds one."""
    return (_recorded(identities).values_list("ethnicity", flat=True).first()
            or Ethnicity.NOT_RECORDED)
