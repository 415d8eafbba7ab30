"""How a person comes to be: the one place a `Person` is created, placed in the locality of
their most recent address (`localities`).

Who a person is, and merging or splitting people, is linkage's business
(`saferoptions.linkage`): it calls here to make a person, never the other way round.
"""

from django.db import transaction

from saferoptions.audit.services import record

from . import localities
from .models import Person


def create_person(*, actor, identities, purpose: str, kind: str | None = None,
                  **described) -> Person:
    """The one way a person comes to be: described, and placed in the locality of the most
    recent address among `identities` (the agency records that are them; not saved yet is
    fine)."""
    found = localities.placement(localities.addresses_of(identities))
    with transaction.atomic():
        person = Person.objects.create(locality_id=found.locality_id, **described,
                                       **({"kind": kind} if kind else {}))
        record(actor=actor, action="create", object_type="person", object_ids=[person.pk],
               purpose=purpose, detail={"locality": found.locality_id})
    return person


def create_people(*, actor, identities_of: list[list], purpose: str) -> list[Person]:
    """Many new people at once (a batch linkage run), each placed from their own records."""
    served = localities.served_districts()
    made = [Person(locality_id=localities.placement(localities.addresses_of(rows),
                                                    served).locality_id)
            for rows in identities_of]
    with transaction.atomic():
        made = Person.objects.bulk_create(made, batch_size=1000)
        if made:
            record(actor=actor, action="create", object_type="person",
                   object_ids=[p.pk for p in made], purpose=purpose,
                   detail={"placed": sum(1 for p in made if p.locality_id)})
    return made
