"""Governance changes: legal holds and disposal. Each is one audited transaction."""

from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Involvement
from saferoptions.people.models import Identity, Person, Relationship

from .models import DisposalTombstone, LegalHold, RetentionRule
from .retention import review_date
from .selectors import last_contact_of, last_contacts, same_human


class GovernanceRefused(Exception):
    """A governance action was refused; the message says why, in the DPO's words."""


class LegalHoldInPlace(GovernanceRefused):
    """Disposal refused: a legal hold stands on the person."""


def place_legal_hold(*, actor, person_id: int, reason: str) -> LegalHold:
    """Put a hold on everything about one person."""
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceRefused("reason: give the reason for the hold (e.g. an inquiry reference)")
    with transaction.atomic():
        # Locking the person serialises this with a disposal checking for holds.
        if Person.objects.select_for_update().filter(pk=person_id).first() is None:
            raise GovernanceRefused(f"person: there is no person {person_id}")
        hold = LegalHold.objects.create(
            person_id=person_id, reason=reason[:200], placed_by=actor, placed_at=clock.now()
        )
        record(
            actor=actor,
            action="legal_hold",
            object_type="person",
            object_ids=[person_id],
            purpose="governance",
            detail={"legal_hold": hold.pk},
        )
    return hold


def release_legal_hold(*, actor, hold_id: int) -> LegalHold:
    """End a hold; the record can be disposed of again once it is due."""
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None or not hold.is_active:
            raise GovernanceRefused(f"hold: there is no active legal hold {hold_id}")
        hold.released_by, hold.released_at = actor, clock.now()
        hold.save(update_fields=["released_by", "released_at"])
        record(
            actor=actor,
            action="release_hold",
            object_type="person",
            object_ids=[hold.person_id],
            purpose="governance",
            detail={"legal_hold": hold.pk},
        )
    return hold


def dispose_person(*, actor, person_id: int) -> DisposalTombstone:
    """Remove a person, their identities and involvements; leave a tombstone and an audit row."""
    refusal = None
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise GovernanceRefused(f"person: there is no person {person_id}")
        people = same_human(person)
        list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
        if LegalHold.objects.filter(
            person_id__in=[p.pk for p in people], released_at=None
        ).exists():
            # The refusal is audited and committed; the exception is raised once it is.
            record(
                actor=actor,
                action="dispose",
                object_type="person",
                object_ids=[person_id],
                purpose="governance",
                outcome="denied",
                detail={"reason": "legal_hold"},
            )
            refusal = LegalHoldInPlace(f"person {person_id} is under a legal hold")
        else:
            return _dispose(actor, person, people)
    raise refusal


def _dispose(actor, person: Person, people: list[Person]) -> DisposalTombstone:
    rule = RetentionRule.objects.filter(category=person.kind).first()
    due = _review_date(rule, person)
    ids, person_id = [p.pk for p in people], person.pk
    identities = list(Identity.objects.filter(person__in=ids).values_list("pk", flat=True))
    try:
        removed = _remove(people, ids, identities)
    except (ProtectedError, RestrictedError) as exc:
        objects = getattr(exc, "protected_objects", None) or exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
        raise GovernanceRefused(
            f"person {person_id}: other records still refer to them ({', '.join(kinds)}); "
            "dispose of or detach those first"
        ) from exc
    tombstone = DisposalTombstone.objects.create(
        record_type="person",
        record_id=person_id,
        category=person.kind,
        rule=rule,
        rule_summary=rule.summary() if rule else "no rule for this category",
        review_date=due,
        disposed_at=clock.now(),
        disposed_by=actor,
        removed=removed,
    )
    record(
        actor=actor,
        action="dispose",
        object_type="person",
        object_ids=ids,
        purpose="governance",
        detail={"tombstone": tombstone.pk, "identities": identities},
    )
    return tombstone


def _remove(people, ids, identities) -> dict:
    """Delete the rows and count them by kind."""
    removed = {
        "relationships": _delete(Relationship.objects.filter(_ties(ids, identities))),
        "involvements": _delete(
            Involvement.objects.filter(Q(person__in=ids) | Q(identity__in=identities))
        ),
        "identities": _delete(Identity.objects.filter(pk__in=identities)),
    }
    # Absorbed records point at their survivor: the last found go first.
    for absorbed in reversed(people):
        absorbed.delete()
    removed["people"] = len(people)
    return removed


def _ties(person_ids, identity_ids) -> Q:
    q = Q(person__in=person_ids) | Q(other__in=person_ids)
    names = {f.name for f in Relationship._meta.get_fields()}
    if {"identity", "other_identity"} <= names:
        q |= Q(identity__in=identity_ids) | Q(other_identity__in=identity_ids)
    return q


def _delete(queryset) -> int:
    return queryset.delete()[0]


def _review_date(rule, person: Person):
    if rule is None:
        return None
    row = last_contacts(Person.objects.filter(pk=person.pk)).get()
    return review_date(rule, last_contact=last_contact_of(row), date_of_birth=person.date_of_birth)
