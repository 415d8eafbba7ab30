"""How lists of people are put in name order."""

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower


def by_family_name() -> tuple:
    """People as a reader looks them up by family name: 'ALLEN', as one agency writes it,
    beside 'Allen' rather than before 'Abdi' (SQLite compares bytes), and someone known only
    by a first name after everyone with a family name. For `QuerySet.order_by(*...)`."""
    no_family_name = Case(When(family_name="", then=Value(1)), default=Value(0),
                          output_field=IntegerField())
    return (no_family_name, Lower("family_name"), Lower("given_name"), "pk")
