"""Who is this? The one way in for a record arriving in a feed.

Feeds hand each new agency record with no person to `take(identity)` and get back what linkage
decided (`Outcome`); they never match or make a person themselves. With a trained linkage
model it asks the real-time path (`matching.match_identity`) and follows the best
candidate's decision: *link* joins the person; *review* puts the pair in the clerical review
queue and the record waits in the unmatched queue until a reviewer decides; no candidate at all
means a child nobody has recorded yet, who gets a new person now (as the batch run would;
made by `people.services.create_person` through `resolution`). A record with too little to
match waits in the unmatched queue with the reason. Before any model is trained only exact
evidence links (a valid NHS number already linked to a person, or exactly one person with the
same normalised given and family name and date of birth); anything else waits in the unmatched
queue.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from saferoptions.core.identifiers import is_valid_nhs_number
from saferoptions.people.models import Identity, Person

from . import matching, review
from .models import LinkageModel, UnmatchedKind
from .records import prepare, why_unlinkable
from .resolution import resolve_identity

JOIN = "join"              # the record is a person already known: `person`
NEW_PERSON = "new_person"  # like nobody on record: a new person, `person`, made now
REVIEW = "review"          # unsure: the pair waits for a reviewer, the record for a person
UNMATCHED = "unmatched"    # too little to match, or no model and no exact match: it waits


@dataclass(frozen=True)
class Outcome:
    """What linkage decided about an arriving record, and the person it is, if any."""

    kind: str
    person: Person | None = None


def take(identity: Identity) -> Outcome:
    """Decide who an arriving record (with no person yet) is; see the module's docstring."""
    model = matching.current_model()
    if model is not None:
        return _realtime(identity, model)
    person = exact_match(identity)
    if person is None:
        review.queue_unmatched(identity=identity, kind=UnmatchedKind.NO_MODEL)
        return Outcome(UNMATCHED)
    review.leave_unmatched(identity=identity)
    return Outcome(JOIN, person)


def _realtime(identity: Identity, model: LinkageModel) -> Outcome:
    minimum = getattr(settings, "LINKAGE_MIN_DETAILS", 3)
    reason = why_unlinkable(prepare(identity.pk, _raw(identity)), min_details=minimum)
    if reason:
        review.queue_unmatched(identity=identity, reason=reason)
        return Outcome(UNMATCHED)
    candidates = matching.match_identity(identity)
    if not candidates:
        return _new_child(identity)
    best = candidates[0]
    if best.decision == "link" and best.person_id is not None:
        review.leave_unmatched(identity=identity)
        return Outcome(JOIN, _survivor(Person.objects.get(pk=best.person_id)))
    review.queue_pair(identity=identity, candidate=best, model=model)
    review.queue_unmatched(identity=identity, kind=UnmatchedKind.REVIEW)
    return Outcome(REVIEW)


def _new_child(identity: Identity) -> Outcome:
    """Linkable, and like nobody on record: a new person now, audited as the feed's doing."""
    resolved = resolve_identity(actor=None, identity=identity)
    review.leave_unmatched(identity=identity)
    return Outcome(NEW_PERSON, resolved.person)


def _survivor(person: Person) -> Person:
    while person.merged_into_id:
        person = person.merged_into
    return person


def _raw(identity: Identity) -> dict:
    return {"first_name": identity.given_name, "last_name": identity.family_name,
            "dob": identity.date_of_birth, "sex": identity.sex, "postcode": identity.postcode,
            "address": identity.address, "phone": identity.phone,
            "nhs_number": identity.nhs_number}


def normalise_name(name: str) -> str:
    """Case, accents, spaces and hyphens do not make a different name."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-']+", " ", text).strip().casefold()


def exact_match(identity: Identity) -> Person | None:
    """The person this identity is, on exact evidence only; None when not sure."""
    if identity.nhs_number and is_valid_nhs_number(identity.nhs_number):
        linked = (
            Identity.objects.filter(nhs_number=identity.nhs_number, person__isnull=False)
            .exclude(pk=identity.pk)
            .select_related("person")
            .first()
        )
        if linked:
            return _survivor(linked.person)
    if not (identity.given_name and identity.family_name and identity.date_of_birth):
        return None
    given, family = normalise_name(identity.given_name), normalise_name(identity.family_name)
    candidates = [
        p
        for p in Person.objects.filter(
            date_of_birth=identity.date_of_birth, merged_into__isnull=True
        ).only("given_name", "family_name")
        if normalise_name(p.given_name) == given and normalise_name(p.family_name) == family
    ]
    return candidates[0] if len(candidates) == 1 else None
