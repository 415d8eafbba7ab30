"""A person's locality follows the postcode their agencies last recorded."""

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency
from saferoptions.people.localities import assign_localities
from saferoptions.people.models import Identity, Person

pytestmark = pytest.mark.django_db


def _identity(person, source_id, postcode):
    return Identity.objects.create(
        person=person, agency=Agency.objects.get(slug="police"), source_id=source_id,
        postcode=postcode,
    )


def test_the_latest_postcode_decides_and_an_unknown_district_clears_it():
    moved, unknown = Person.objects.create(), Person.objects.create()
    _identity(moved, "P1", "BS13 0AA")  # South
    _identity(moved, "P2", "BS5 6XY")  # East Central, recorded later
    _identity(unknown, "P3", "ZZ9 9ZZ")
    assert assign_localities() == 1
    moved.refresh_from_db()
    unknown.refresh_from_db()
    assert moved.locality.slug == "east-central"
    assert unknown.locality is None
    entry = AuditEntry.objects.get(purpose="locality from postcode")
    assert entry.object_ids == [str(moved.pk)]


def test_running_again_changes_nothing():
    _identity(Person.objects.create(), "P1", "BS7 8AA")
    assert assign_localities() == 1
    assert assign_localities() == 0
