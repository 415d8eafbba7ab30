"""Households, children, young adults and the adults around them; friendships; exploitation.

Exploiters draw children (the already vulnerable more often) into true groups that use a
handful of places near home. Everything here is truth: agencies see it only through events.
"""

import random
from datetime import date, timedelta

from saferoptions.core.reference import WARDS

from .names import (
    ADULT_NAMES_FEMALE,
    ADULT_NAMES_MALE,
    CHILD_NAMES_FEMALE,
    CHILD_NAMES_MALE,
    INWARD_LETTERS,
    STREET_ENDINGS,
    STREET_STEMS,
    SURNAMES,
    WARD_DISTRICTS,
)
from .records import Household, Place, School, TrueGroup, TruePerson
from .variation import nhs_numbers

YOUNG_ADULTS_PER_CHILD = 0.3
SHARE_EXPLOITED = 0.025  # of children, drawn into groups
SHARE_RAISED_RISK = 0.125  # of children: vulnerable but not (yet) exploited
GROUP_SIZES = (4, 15)
GROUP_PLACE_TYPES = ("park", "takeaway", "transport_hub", "street", "shop", "licensed_premises")


def _postcode(rng: random.Random, ward: str) -> str:
    return f"{WARD_DISTRICTS[ward]} {rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}" \
           f"{rng.choice(INWARD_LETTERS)}"


class Streets:
    """Each ward's invented streets, each street with one postcode."""

    def __init__(self, rng: random.Random, children: int):
        self.rng = rng
        per_ward = max(15, children // 150)
        self.by_ward = {
            code: [(f"{rng.choice(STREET_STEMS)} {rng.choice(STREET_ENDINGS)}",
                    _postcode(rng, code)) for _ in range(per_ward)]
            for _n, code, *_rest in WARDS
        }

    def address(self, ward: str) -> tuple[str, str]:
        street, postcode = self.rng.choice(self.by_ward[ward])
        return f"{self.rng.randint(1, 180)} {street}", postcode


def _birth(rng: random.Random, start: date, low: int, high: int) -> date:
    """A date of birth giving an age from `low` to `high` inclusive on `start`."""
    youngest = start - timedelta(days=365 * low + low // 4)
    return youngest - timedelta(days=rng.randrange(365 * (high - low + 1)))


def _phone(rng: random.Random, share: float) -> str:
    # Ofcom's drama range has only 1,000 numbers: they repeat between people at scale.
    return f"07700 900{rng.randrange(1000):03d}" if rng.random() < share else ""


class Population:
    """Builds households and people, then friendships and exploitation."""

    def __init__(self, rng: random.Random, start: date, children: int):
        self.rng, self.start, self.children = rng, start, children
        self.streets = Streets(rng, children)
        self.people: list[TruePerson] = []
        self.households: list[Household] = []
        self.ward_codes = [code for _n, code, *_r in WARDS]
        # Some wards hold more families (and more harm) than others.
        self.ward_weights = [rng.uniform(0.5, 1.6) for _ in self.ward_codes]

    def household(self, ward: str | None = None) -> Household:
        rng = self.rng
        ward = ward or rng.choices(self.ward_codes, self.ward_weights)[0]
        address, postcode = self.streets.address(ward)
        moved_from = ward if rng.random() < 0.7 else rng.choice(self.ward_codes)
        old_address, old_postcode = self.streets.address(moved_from)
        home = Household(len(self.households), ward, address, postcode, old_address, old_postcode)
        self.households.append(home)
        return home

    def person(self, kind: str, home: Household, family: str, ages: tuple[int, int],
               male: bool | None = None, young: bool = True) -> TruePerson:
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        if young:
            given = rng.choice(CHILD_NAMES_MALE if male else CHILD_NAMES_FEMALE)
        else:
            given = rng.choice(ADULT_NAMES_MALE if male else ADULT_NAMES_FEMALE)
        born = _birth(rng, self.start, *ages)
        share = 0.9 if ages[0] >= 16 else 0.6 if ages[0] >= 12 else 0.3
        person = TruePerson(f"TP{len(self.people):07d}", kind, given, family, "M" if male else "F",
                            born, home.index, home.ward_code, _phone(rng, share), "")
        self.people.append(person)
        return person

    def families(self) -> None:
        """Households of children (and older siblings) with one or two parents."""
        rng = self.rng
        made, young_adults = 0, round(self.children * YOUNG_ADULTS_PER_CHILD)
        while made < self.children:
            home = self.household()
            family = rng.choice(SURNAMES)
            parents = 1 if rng.random() < 0.4 else 2
            for p in range(parents):
                male = p == 1 or rng.random() < 0.1
                self.person("adult", home, family if p == 0 or rng.random() < 0.8
                            else rng.choice(SURNAMES), (32, 58), male=male, young=False)
            for _ in range(min(self.children - made, rng.choice((1, 1, 1, 2, 2, 2, 3, 4)))):
                surname = family if rng.random() < 0.85 else rng.choice(SURNAMES)
                self.person("child", home, surname, (10, 17))
                made += 1
            if young_adults and rng.random() < 0.15:
                self.person("young_adult", home, family, (18, 24))
                young_adults -= 1
        for _ in range(young_adults):  # living independently
            self.person("young_adult", self.household(), rng.choice(SURNAMES), (18, 24))

    def register_health(self) -> None:
        """Everyone has an NHS number (from the test range)."""
        for person, number in zip(self.people, nhs_numbers(self.rng, len(self.people)),
                                  strict=True):
            person.nhs_number = number

    def enrol(self, schools: list[School], nearest: dict[str, list[int]]) -> None:
        """Children go to one of the three schools nearest home, mostly the nearest."""
        for person in self.people:
            if person.kind == "child":
                choices = nearest[person.ward_code][:3]
                person.school = self.rng.choices(choices, (6, 3, 1)[: len(choices)])[0]


def befriend(rng: random.Random, people: list[TruePerson]) -> None:
    """Friendships among the young: mostly the same school, then the same ward."""
    young = [i for i, p in enumerate(people) if p.kind in ("child", "young_adult")]
    by_school: dict[int, list[int]] = {}
    by_ward: dict[str, list[int]] = {}
    for i in young:
        p = people[i]
        if p.school is not None:
            by_school.setdefault(p.school, []).append(i)
        by_ward.setdefault(p.ward_code, []).append(i)
    for i in young:
        p = people[i]
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.7 and p.school is not None:
                pool = by_school[p.school]
            elif roll < 0.92:
                pool = by_ward[p.ward_code]
            else:
                pool = young
            _tie(people, i, rng.choice(pool))


def _tie(people: list[TruePerson], a: int, b: int) -> None:
    if a != b and b not in people[a].friends:
        people[a].friends.append(b)
        people[b].friends.append(a)


def assign_risk(rng: random.Random, people: list[TruePerson]) -> None:
    """Mark the vulnerable minority: raised risk before anyone is exploited."""
    for p in people:
        if p.kind in ("child", "young_adult") and rng.random() < SHARE_RAISED_RISK:
            p.risk = "raised"


def exploit(pop: Population, places: list[Place], start: date, months: int) -> list[TrueGroup]:
    """Exploiters draw children into groups that meet at a few places near home."""
    rng, people = pop.rng, pop.people
    wanted = round(pop.children * SHARE_EXPLOITED)
    by_ward: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        if p.kind in ("child", "young_adult") and p.date_of_birth:
            by_ward.setdefault(p.ward_code, []).append(i)
    places_by_ward: dict[str, list[int]] = {}
    for place in places:
        places_by_ward.setdefault(place.ward_code, []).append(place.index)
    groups: list[TrueGroup] = []
    exploited = 0
    for _attempt in range(wanted * 10):
        if exploited >= wanted:
            break
        ward = rng.choices(pop.ward_codes, pop.ward_weights)[0]
        group = _group(pop, len(groups), ward, by_ward.get(ward, []), places_by_ward[ward], places)
        if group is None:
            continue
        if groups and rng.random() < 0.15:  # an exploiter working two groups
            group.exploiters.append(rng.choice(groups[-1].exploiters))
        for i in group.members:
            _draw_in(rng, people[i], group, start, months)
        for a in group.members:
            for b in group.members:
                if a < b and rng.random() < 0.6:
                    _tie(people, a, b)
        groups.append(group)
        exploited += len(group.members)
    return groups


def _group(pop: Population, index: int, ward: str, local: list[int], ward_places: list[int],
           places: list[Place]) -> TrueGroup | None:
    rng, people = pop.rng, pop.people
    size = rng.randint(*GROUP_SIZES)
    free = [i for i in local if not people[i].is_exploited]
    # The already vulnerable, and teenagers over 12, are the ones drawn in.
    weights = [(6 if people[i].risk == "raised" else 1)
               * (0.2 if _age(people[i], pop.start) < 13 else 1) for i in free]
    members: list[int] = []
    if free:
        for pick in rng.choices(free, weights, k=size * 3):
            if pick not in members and len(members) < size:
                members.append(pick)
    if len(members) < 2:
        return None
    exploiters = [_exploiter(pop, ward) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
    usual = [i for i in ward_places if places[i].place_type in GROUP_PLACE_TYPES]
    estates = [i for i in ward_places if places[i].place_type == "estate"]
    chosen = rng.sample(usual, min(len(usual), rng.randint(2, 4))) + rng.sample(estates, 1)
    return TrueGroup(f"TG{index:05d}", ward, members, exploiters, chosen)


def _exploiter(pop: Population, ward: str) -> int:
    rng = pop.rng
    home = pop.household(ward if rng.random() < 0.7 else None)
    person = pop.person("adult_of_concern", home, rng.choice(SURNAMES), (19, 38),
                        male=rng.random() < 0.85, young=rng.random() < 0.5)
    person.phone = person.phone or _phone(rng, 1.0)
    person.is_exploiter, person.risk = True, "exploiter"
    return len(pop.people) - 1


def _draw_in(rng: random.Random, person: TruePerson, group: TrueGroup, start: date,
             months: int) -> None:
    person.is_exploited, person.risk = True, "exploited"
    person.groups.append(int(group.key[2:]))
    # Some were already exploited when the period starts; others are drawn in during it.
    person.exploited_from = start + timedelta(days=rng.randint(-120, max(1, months * 20)))


def _age(person: TruePerson, on: date) -> int:
    born = person.date_of_birth
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
