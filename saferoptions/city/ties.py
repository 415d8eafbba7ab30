"""Who each agency knows and which ties it records between its own records.

Health and schools hold everyone; social care, early help and the voluntary sector know the
vulnerable and record family and peer ties; police record associates seen together.
"""

import random
from datetime import date

from . import visibility
from .identities import Registry
from .records import Relationship, TrueGroup, TruePerson

# Share of people each agency holds a record of, by risk.
KNOWN_TO = {
    "social-care": {"exploited": 1.0, "raised": 0.4, "low": 0.015},
    "early-help": {"exploited": 0.3, "raised": 0.25, "low": 0.02},
    "barnardos": {"exploited": 0.5, "raised": 0.03, "low": 0.0},
    "youth-services": {"exploited": 0.3, "raised": 0.2, "low": 0.02},
}


def register_everyone(registry: Registry, people: list[TruePerson]) -> None:
    """GP registration for all the young, the school roll for all children."""
    for i, p in enumerate(people):
        if p.kind in ("child", "young_adult"):
            registry.of(i, "health")
        if p.kind == "child":
            registry.of(i, "education")


def record_ties(rng: random.Random, registry: Registry, people: list[TruePerson],
                groups: list[TrueGroup], households: dict[int, list[int]]) -> list[Relationship]:
    """Agencies' own records of the vulnerable and the ties between them."""
    ties: list[Relationship] = []
    for agency, shares in KNOWN_TO.items():
        known = [i for i, p in enumerate(people)
                 if p.kind in ("child", "young_adult")
                 and rng.random() < shares.get(visibility.seen_as(p), 0)]
        for i in known:
            registry.of(i, agency)
        if agency in ("social-care", "early-help"):
            ties += _families(rng, registry, people, known, households, agency)
        else:
            ties += _peers(rng, registry, people, known, agency)
    ties += _associates(rng, registry, groups)
    return ties


def _tie(registry: Registry, a: int, b: int, agency: str, kind: str, detail: str,
         since: date | None) -> Relationship:
    def record_of(person: int) -> int:
        held = registry.holds(person, agency)
        return held if held is not None else registry.open(person, agency)

    return Relationship(record_of(a), record_of(b), kind, detail, agency, since)


def _families(rng, registry, people, known, households, agency) -> list[Relationship]:
    ties = []
    for i in known:
        for other in households.get(people[i].household, []):
            if other == i or rng.random() < 0.2:  # not every family member is on file
                continue
            detail = "parent" if people[other].kind == "adult" else "sibling"
            if detail == "sibling" and other < i and registry.holds(other, agency) is not None:
                continue  # that sibling's record already holds the tie
            ties.append(_tie(registry, i, other, agency, "family", detail, None))
    return ties


def _peers(rng, registry, people, known, agency) -> list[Relationship]:
    ties = []
    for i in known:
        for friend in people[i].friends:
            if friend > i and registry.holds(friend, agency) is not None and rng.random() < 0.6:
                ties.append(_tie(registry, i, friend, agency, "peer", "friend", None))
    return ties


def _associates(rng, registry, groups) -> list[Relationship]:
    """Police link those they have seen together, and the adults seen with them."""
    ties = []
    for group in groups:
        seen = [m for m in group.members if registry.holds(m, "police") is not None
                and visibility.seen_with_group(registry.people[m])]
        for a_pos, a in enumerate(seen):
            for b in seen[a_pos + 1:]:
                if rng.random() < 0.3:
                    ties.append(_tie(registry, a, b, "police", "associate", "seen together",
                                     None))
            for adult in group.exploiters:
                if registry.holds(adult, "police") is not None and rng.random() < 0.5:
                    ties.append(_tie(registry, a, adult, "police", "associate",
                                     "seen with adult", None))
    return ties
