"""Saying who an agency's record is: a person already known, or someone new.

The one write, outside a batch run, that puts a person on a record with none: the feeds'
intake (`intake.take`) for a child like nobody on record, and a reviewer's decision
(`review`). A new person is made by `people.services.create_person`, which places them in
their postcode's locality.

Apps above linkage react once a record has its person (feeds: the task rules and the
pathway's clocks for the events waiting on it). Linkage may not import them, so they register
what to do from their `AppConfig.ready()` (docs/architecture.md).
"""

from collections.abc import Callable

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Involvement
from saferoptions.people.ages import kind_for
from saferoptions.people.localities import refresh_locality
from saferoptions.people.models import Identity, Person, PersonKind, Relationship
from saferoptions.people.services import create_person

# react(identity): called inside the transaction that gave the record its person.
_ON_RESOLVED: list[Callable] = []


def when_resolved(react: Callable) -> None:
    """Call `react(identity)` each time a record is given its person."""
    if react not in _ON_RESOLVED:
        _ON_RESOLVED.append(react)


def _purpose_of(actor) -> str:
    """A feed (no actor) or a reviewer deciding who a record is."""
    return "partner feed" if actor is None else "direct_work"


def resolve_identity(*, actor, identity: Identity, person: Person | None = None) -> Identity:
    """Say who a record with no person is: `person`, or (person None) someone new.

    A reviewer (actor) or a feed that found nobody likely (actor None) calls it. A record that
    has a person already keeps them.
    """
    # A feed's copy may hold facts it has not saved yet: the new person is described by them.
    described_by = identity
    with transaction.atomic():
        identity = Identity.objects.select_for_update().get(pk=identity.pk)
        if identity.person_id is not None:
            return identity
        created = person is None
        if created:
            # Known by their age, as a batch run knows people: an adult stopped and searched
            # was 'Child (under 18)' until the next run (in the demo, where none follows,
            # for good); with no date of birth, a child (the model's default).
            person = create_person(
                actor=actor, identities=[described_by], purpose=_purpose_of(actor),
                kind=kind_for(described_by.date_of_birth, clock.today(),
                              current=PersonKind.CHILD),
                given_name=described_by.given_name, family_name=described_by.family_name,
                date_of_birth=described_by.date_of_birth, sex=described_by.sex)
        identity.person = person
        identity.save(update_fields=["person"])
        Involvement.objects.filter(identity=identity).update(person=person)
        Relationship.objects.filter(identity=identity).update(person=person)
        Relationship.objects.filter(other_identity=identity).update(other=person)
        if not created:  # the record may bring a more recent address
            refresh_locality(person=person, actor=actor, purpose=_purpose_of(actor))
        record(actor=actor, action="update", object_type="identity", object_ids=[identity.pk],
               purpose=_purpose_of(actor),
               detail={"person": person.pk, "new_person": created})
        for react in _ON_RESOLVED:
            react(identity)
    return identity
