"""Every field of an agency's identity record is tagged with a data category."""

from saferoptions.access.categories import IDENTITY_FIELD_CATEGORIES
from saferoptions.people.models import Identity

# Keys and bookkeeping, not facts about the person.
NOT_PERSONAL = {"id", "person", "agency", "recorded_at"}


def test_every_identity_field_has_a_data_category():
    fields = {f.name for f in Identity._meta.concrete_fields} - NOT_PERSONAL
    assert fields == set(IDENTITY_FIELD_CATEGORIES)
