"""Who is this? Exact matching of an arriving identity to a person.

This is the one place feeds decide identity, so the linkage helper's real-time matcher
(`saferoptions.linkage.realtime`) can replace it. Until then only exact evidence links: a valid
NHS number already linked to a person, or exactly one person with the same normalised given
and family name and date of birth. Anything else is left for a person to resolve.
"""

import re
import unicodedata

from saferoptions.people.models import Identity, Person

from .schemas import valid_nhs_number


def normalise_name(name: str) -> str:
    """Case, accents, spaces and hyphens do not make a different name."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-']+", " ", text).strip().casefold()


def _survivor(person: Person) -> Person:
    while person.merged_into_id:
        person = person.merged_into
    return person


def match_person(identity: Identity) -> Person | None:
    """The person this identity is, on exact evidence only; None when not sure."""
    if identity.nhs_number and valid_nhs_number(identity.nhs_number):
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
