"""Each agency's register of identity records, created the first time the agency meets someone."""

import random
from collections.abc import Callable

from .records import Household, Identity, TruePerson
from .variation import record

# How each agency writes its own record ids; numbers are scrambled so they reveal nothing.
SOURCE_ID_FORMATS: dict[str, Callable[[int], str]] = {
    "police": lambda n: f"NOM{n:08d}",
    "social-care": lambda n: f"LCS{n:07d}",
    "early-help": lambda n: f"EH-{n:07d}",
    "education": lambda n: f"UPN-Z{n:09d}",
    "hospital-ed": lambda n: f"ED{n:08d}",
    "health": lambda n: f"PAS{n:08d}",
    "housing": lambda n: f"HSG{n:07d}",
    "licensing": lambda n: f"LIC{n:06d}",
    "community-safety": lambda n: f"CS{n:07d}",
    "youth-services": lambda n: f"YS{n:07d}",
    "barnardos": lambda n: f"BAR{n:07d}",
    "voluntary": lambda n: f"VOL{n:07d}",
    "community": lambda n: f"CM{n:07d}",
}
# Agencies that sometimes open a second record for someone they already hold.
DUPLICATE_RATES = {"police": 0.02, "hospital-ed": 0.2, "youth-services": 0.05}
SCRAMBLE_MODULUS = 10**7


class Scrambler:
    """Distinct, random-looking numbers from a counter (an affine permutation mod 10^7)."""

    def __init__(self, rng: random.Random):
        self.count = 0
        self.step = rng.randrange(1_000_000, SCRAMBLE_MODULUS)
        while self.step % 2 == 0 or self.step % 5 == 0:  # coprime to 10^7: no repeats
            self.step += 1
        self.offset = rng.randrange(SCRAMBLE_MODULUS)

    def next(self) -> int:
        self.count += 1
        if self.count > SCRAMBLE_MODULUS:
            raise ValueError("more than 10 million records in one agency")
        return (self.offset + self.step * self.count) % SCRAMBLE_MODULUS


class Registry:
    """All agencies' identity records, one (or occasionally two) per person per agency."""

    def __init__(self, rng: random.Random, people: list[TruePerson], homes: list[Household]):
        self.rng, self.people, self.homes = rng, people, homes
        self.identities: list[Identity] = []
        self.held: dict[tuple[int, str], list[int]] = {}
        self.numbers = {slug: Scrambler(rng) for slug in SOURCE_ID_FORMATS}

    def of(self, person: int, agency: str) -> int:
        """The agency's record of `person`, opening one if the agency has none yet."""
        known = self.held.get((person, agency))
        if known and self.rng.random() >= DUPLICATE_RATES.get(agency, 0):
            return known[0] if len(known) == 1 else self.rng.choice(known)
        return self.open(person, agency)

    def holds(self, person: int, agency: str) -> int | None:
        """The agency's first record of `person`, if it has one."""
        known = self.held.get((person, agency))
        return known[0] if known else None

    def open(self, person: int, agency: str) -> int:
        """A new record of `person` in `agency`."""
        p = self.people[person]
        source_id = SOURCE_ID_FORMATS[agency](self.numbers[agency].next())
        school = p.school if agency == "education" else None
        index = len(self.identities)
        self.identities.append(
            record(self.rng, p, self.homes[p.household], agency, index, source_id, school)
        )
        self.held.setdefault((person, agency), []).append(index)
        return index
