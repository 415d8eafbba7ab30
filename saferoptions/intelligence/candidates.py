"""Who a report may be about: children the linkage matcher finds for its POLE person entries.

Each person entry (its name, date of birth, postcode, and an identifier that may be a phone
number) is scored against the index of linked agency records by the real-time matcher the
feeds use (`linkage.matching.match_record`). A child at or above the auto-link probability
whom the matcher would link on its own is offered as very likely the same child; one at or
above the review probability as possibly the same, to check before linking; nothing below.
Only children the analyst may open (`policy.restrict`) are offered: anyone else is left out
without a trace, not even a count. Nothing is linked here: the analyst links through
`services.link`, which checks and audits again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.linkage import matching
from saferoptions.linkage.comparisons import COMPARISONS
from saferoptions.people.models import Person
from saferoptions.people.selectors import with_identity_shown

from .models import EntityKind, IntelligenceReport, PoleEntity

# Each comparison's name, and each level's words and whether it is agreement, for the analyst.
FIELD_WORDS = {"given_name": "first name", "family_name": "last name", "dob": "date of birth",
               "home": "home", "phone": "phone", "nhs_number": "NHS number", "sex": "sex"}
LEVEL_WORDS = {
    "exact": ("the same", True),
    "same usual name (nickname)": ("the same usual name (one may be a short form)", True),
    "Jaro-Winkler >= 0.92": ("spelt nearly the same", False),
    "Jaro-Winkler >= 0.80": ("spelt similarly", False),
    "day and month transposed": ("day and month swapped", False),
    "one character different": ("one digit different", False),
    "same day and month, year +-1": ("same day and month, a year apart", False),
    "same postcode and address": ("the same postcode and address", True),
    "same postcode, address missing": ("the same postcode", True),
    "same postcode, address differs": ("the same postcode", True),
    "same address, postcode missing": ("the same address", True),
    "same postcode sector": ("a nearby postcode (same sector)", False),
    "same outward code": ("the same postcode district only", False),
    "different": ("different", False),
}
_LEVELS = {c.name: {g: lv for g, lv in zip(c.gammas(), c.levels, strict=True)}
           for c in COMPARISONS}


@dataclass(frozen=True)
class Offer:
    """A child the report may be about, as the analyst may see them, and why."""

    person: Person
    entity: PoleEntity
    sure: bool
    probability: float
    agree: tuple[str, ...]
    differ: tuple[str, ...]

    @property
    def heading(self) -> str:
        return ("Very likely the same child" if self.sure
                else "Possibly the same child: check before linking")


def _name_variants(name: str) -> set[tuple[str, str]]:
    """First name and last name: the last word, or all after the first (a double surname)."""
    words = name.split()
    if not words:
        return set()
    if len(words) == 1:
        return {(words[0], "")}
    return {(words[0], words[-1]), (words[0], " ".join(words[1:]))}


def _described(entity: PoleEntity) -> list[dict]:
    """The entry as raw records for the matcher (one per reading of the name)."""
    return [{"first_name": given, "last_name": family, "dob": entity.date_of_birth,
             "postcode": entity.postcode, "phone": entity.identifier}
            for given, family in _name_variants(entity.name)]


def explain(contributions: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The details that agree and those that differ, in words ('last name: spelt nearly the
    same'); a detail missing on either side is neither."""
    agree, differ = [], []
    for name, part in contributions.items():
        level = _LEVELS.get(name, {}).get(part.get("gamma"))
        if level is None or level.is_null_level:
            continue
        words, same = LEVEL_WORDS.get(level.label, (level.label, False))
        field = FIELD_WORDS.get(name, name.replace("_", " "))
        (agree if same else differ).append(field if same else f"{field}: {words}")
    return tuple(agree), tuple(differ)


def _matches(entity: PoleEntity) -> list:
    """The matcher's candidates for an entry, each person once at their best."""
    review = settings.LINKAGE_REVIEW_PROBABILITY
    best: dict = {}
    for raw in _described(entity):
        for found in matching.match_record(raw):
            if found.person_id is None or found.probability < review:
                continue
            if found.person_id not in best or found.probability > best[found.person_id].probability:
                best[found.person_id] = found
    return list(best.values())


def _survivor_ids(person_ids) -> dict:
    """Person id -> who they are now (a merged person's survivor)."""
    now = {}
    for person in Person.objects.filter(pk__in=person_ids):
        survivor = person
        while survivor.merged_into_id:
            survivor = survivor.merged_into
        now[person.pk] = survivor
    return now


@transaction.atomic
def offers_for(user, report: IntelligenceReport) -> list[Offer]:
    """The children the report's person entries may be, very likely first, as `user` may see
    them; those already linked to it are left out. The read is audited (person ids only)."""
    found = []  # (entity, matcher candidate)
    for entity in report.entities.filter(kind=EntityKind.PERSON).exclude(name=""):
        found += [(entity, c) for c in _matches(entity)]
    if not found:
        return []
    survivors = _survivor_ids({c.person_id for _, c in found})
    linked = set(report.links.live().filter(person__isnull=False)
                 .values_list("person_id", flat=True))
    # Only children whose names the user may see: an offer made on a name would confirm it.
    visible = {p.pk: p for p in with_identity_shown(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=[p.pk for p in survivors.values()])
        .exclude(pk__in=linked))).filter(identity_shown=True)}
    offers: dict = {}
    for entity, candidate in found:
        person = visible.get(getattr(survivors.get(candidate.person_id), "pk", None))
        if person is None:
            continue  # not theirs to see: never shown, never counted
        offer = _offer(person, entity, candidate)
        if person.pk not in offers or offer.probability > offers[person.pk].probability:
            offers[person.pk] = offer
    ranked = sorted(offers.values(), key=lambda o: (not o.sure, -o.probability))
    if ranked:
        record(actor=user, action="intelligence_candidates", object_type="person",
               object_ids=[o.person.pk for o in ranked], detail={"report": report.pk})
    return ranked


def _offer(person: Person, entity: PoleEntity, candidate) -> Offer:
    sure = (candidate.decision == "link"
            and candidate.probability >= settings.LINKAGE_AUTO_LINK_PROBABILITY)
    agree, differ = explain(candidate.contributions)
    return Offer(person=person, entity=entity, sure=sure, probability=candidate.probability,
                 agree=agree, differ=differ)
