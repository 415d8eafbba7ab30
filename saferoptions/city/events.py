"""Each young person's own events over the period: school, police, missing, emergency department.

Rates depend on risk: the low-risk majority has a few, the exploited many more once they are
drawn in, often together with others from their group and with an exploiter nearby.
"""

import random
from datetime import date, timedelta
from itertools import accumulate

from . import visibility
from .recording import Recorder, poisson
from .records import Place, TrueGroup, TruePerson

# Expected events per person per 12 months, by risk.
RATES = {
    "low": {"school": 3.2, "police": 1.7, "stop_search": 0.35, "missing": 0.05, "ed": 0.06},
    "raised": {"school": 12, "police": 6, "stop_search": 3, "missing": 1.5, "ed": 0.5},
    "exploited": {"school": 16, "police": 20, "stop_search": 10, "missing": 12, "ed": 2.5},
    "exploiter": {"police": 5, "stop_search": 5},
}
# (category, weight) by risk, for school incidents and police incidents.
SCHOOL_CATEGORIES = {
    "low": (("attendance", 40), ("other", 35), ("violence", 15), ("exclusion", 10)),
    "raised": (("attendance", 30), ("exclusion", 25), ("violence", 25), ("drugs", 10),
               ("other", 10)),
    "exploited": (("exclusion", 30), ("attendance", 25), ("weapon", 10), ("knife", 5),
                  ("drugs", 15), ("violence", 15)),
}
POLICE_CATEGORIES = {
    "low": (("antisocial", 40), ("violence", 25), ("other", 35)),
    "raised": (("antisocial", 35), ("violence", 30), ("drugs", 15), ("knife", 5), ("other", 15)),
    "exploited": (("drugs", 30), ("violence", 20), ("knife", 15), ("exploitation", 20),
                  ("sexual_exploitation", 10), ("other", 5)),
    "exploiter": (("drugs", 40), ("violence", 30), ("exploitation", 20), ("weapon", 10)),
}
POLICE_ROLES = {
    "low": (("victim", 55), ("witness", 40), ("suspect", 5)),
    "raised": (("suspect", 40), ("victim", 35), ("witness", 25)),
    "exploited": (("suspect", 50), ("victim", 40), ("witness", 10)),
    "exploiter": (("suspect", 90), ("witness", 10)),
}
ED_METHODS = (("Knife or sharp object", 35), ("Punched or kicked", 45), ("Blunt object", 12),
              ("Other", 8))
ED_PHRASES = ("the underpass by {name}", "outside {name}", "{name}", "near {name}",
              "the bus stop by {name}", "a house party near {name}", "behind {name}")
TYPE_WORDS = {"transport_hub": "Transport hub", "park": "Park or open space",
              "street": "Street", "takeaway": "Takeaway", "licensed_premises": "Pub or bar",
              "shop": "Shop", "estate": "Housing estate", "youth_club": "Community venue",
              "school": "School"}


def pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


class PersonalEvents:
    """Generates one person's own events, with their group and exploiters where they have one."""

    def __init__(self, rec: Recorder, people: list[TruePerson], groups: list[TrueGroup],
                 places_by_ward: dict[str, list[int]], parents: dict[int, list[int]],
                 vehicles: dict[int, str], end: date, months: int):
        self.rec, self.rng, self.people, self.groups = rec, rec.rng, people, groups
        self.places_by_ward, self.parents, self.vehicles = places_by_ward, parents, vehicles
        self.end, self.scale = end, months / 12
        self.cum_risk: dict[str, list[float]] = {}

    def generate(self, index: int) -> None:
        """Each stretch of the period at its own rates (visibility.periods: hidden harm, the
        heavily recorded, grooming before escalation, each person's recording factor)."""
        person, days = self.people[index], max(1, self.rec.days)
        for period in visibility.periods(person, self.rec.start, self.end):
            share = (period.last - period.first).days / days
            self._period(index, period.risk, share * period.factor, period.first, period.last)

    def _period(self, index: int, risk: str, share: float, after, before) -> None:
        person = self.people[index]
        rates = RATES.get(risk, {})
        for kind, rate in rates.items():
            if kind == "school" and person.kind != "child":
                continue
            if kind == "stop_search":
                rate *= 1.6 if person.sex == "M" else 0.4
            for _ in range(poisson(self.rng, rate * share * self.scale)):
                getattr(self, kind)(index, risk, after, before)

    def _where(self, person: TruePerson, risk: str) -> int:
        """Exploited young people are mostly at their group's places, others near home."""
        if risk == "exploited" and person.groups and self.rng.random() < 0.65:
            return self.rng.choice(self.groups[person.groups[0]].places)
        # Near home, in proportion to each place's true risk (place_risk.py).
        pool = self.places_by_ward[person.ward_code]
        return self.rng.choices(pool, cum_weights=self._risk_sums(person.ward_code))[0]

    def _risk_sums(self, ward: str) -> list[float]:
        if ward not in self.cum_risk:
            self.cum_risk[ward] = list(accumulate(self.rec.places[i].risk
                                                  for i in self.places_by_ward[ward]))
        return self.cum_risk[ward]

    def _company(self, person: TruePerson, risk: str, chance: float) -> list[int]:
        """Others from the group who were there too."""
        if risk != "exploited" or not person.groups or self.rng.random() >= chance:
            return []
        members = [m for m in self.groups[person.groups[0]].members
                   if visibility.seen_with_group(self.people[m])]
        return self.rng.sample(members, min(len(members), self.rng.randint(1, 3)))

    def _exploiter(self, person: TruePerson, chance: float) -> int | None:
        if not person.groups or self.rng.random() >= chance:
            return None
        return self.rng.choice(self.groups[person.groups[0]].exploiters)

    def school(self, index: int, risk: str, after, before) -> None:
        person = self.people[index]
        category = pick(self.rng, SCHOOL_CATEGORIES[risk])
        objects = [("knife", "Bladed article found in bag")] if category == "knife" else \
            [("drugs", "Cannabis found in locker")] if category == "drugs" else []
        school_place = self.rec.school_places[person.school]
        self.rec.add("school_incident", category, "education",
                     self.rec.when("school", after, before),
                     people=[(index, "pupil")], place=school_place,
                     summary=f"School recorded {_a(category)} {category} concern.", objects=objects,
                     delay_hours=self.rng.uniform(1, 72))

    def police(self, index: int, risk: str, after, before) -> None:
        rng, person = self.rng, self.people[index]
        category = pick(rng, POLICE_CATEGORIES[risk])
        role = pick(rng, POLICE_ROLES[risk])
        people = [(index, role)] + [(m, role) for m in self._company(person, risk, 0.45)]
        objects = self._objects(category, person)
        exploiter = self._exploiter(person, 0.25 if risk == "exploited" else 0)
        if exploiter is not None:
            people.append((exploiter, "suspect"))
            objects += self._exploiter_objects(exploiter)
        if risk == "low" and category == "other" and rng.random() < 0.4:
            objects.append(("phone", "Mobile phone reported stolen"))
        self.rec.add("police_incident", category, "police", self.rec.when("evening", after, before),
                     people=people, place=self._where(person, risk), objects=objects,
                     summary=f"Police attended a {category} incident.",
                     group=person.groups[0] if person.groups and risk == "exploited" else None)

    def _objects(self, category: str, person: TruePerson) -> list[tuple[str, str]]:
        if category == "knife":
            return [("knife", self.rng.choice(("Kitchen knife", "Lock knife", "Machete")))]
        if category == "drugs":
            return [("drugs", "Wraps of suspected crack cocaine"), ("money", "Cash, about £300")]
        if category == "weapon":
            return [("weapon", self.rng.choice(("Baseball bat", "Knuckleduster")))]
        return []

    def _exploiter_objects(self, exploiter: int) -> list[tuple[str, str]]:
        phone = self.people[exploiter].phone
        found = [("phone", f"Deal line phone {phone}")] if phone else []
        if exploiter in self.vehicles and self.rng.random() < 0.5:
            found.append(("vehicle", self.vehicles[exploiter]))
        return found

    def stop_search(self, index: int, risk: str, after, before) -> None:
        rng, person = self.rng, self.people[index]
        grounds = pick(rng, (("drugs", 40), ("knife", 25), ("weapon", 10), ("other", 25)))
        found_rate = {"low": 0.15, "raised": 0.3, "exploited": 0.6}.get(risk, 0.5)
        objects = self._objects(grounds, person) if rng.random() < found_rate else []
        if risk in ("exploited", "exploiter") and rng.random() < 0.4:
            objects.append(("phone", f"Two phones; one {rng.choice(('cheap', 'burner'))} handset"))
        if risk == "exploiter":
            objects += self._exploiter_objects(index)
        people = [(index, "subject")] + [(m, "subject") for m in self._company(person, risk, 0.3)]
        self.rec.add("stop_search", grounds, "police", self.rec.when("evening", after, before),
                     people=people, place=self._where(person, risk), objects=objects,
                     summary=f"Stop and search: {'items' if objects else 'nothing'} found.",
                     delay_hours=rng.uniform(0.5, 6))

    def missing(self, index: int, risk: str, after, before) -> None:
        rng, person = self.rng, self.people[index]
        start = self.rec.when("evening", after, before)
        hours = rng.lognormvariate(3.0 if risk == "exploited" else 1.8, 0.8)
        people = [(index, "missing_person")]
        people += [(m, "missing_person") for m in self._company(person, risk, 0.3)]
        parents = self.parents.get(person.household, [])
        if parents and rng.random() < 0.8:
            people.append((rng.choice(parents), "reporter"))
        found = self._where(person, risk) if risk == "exploited" and rng.random() < 0.6 else None
        exploiter = self._exploiter(person, 0.15 if risk == "exploited" else 0)
        if exploiter is not None:
            people.append((exploiter, "associate"))
        self.rec.add("missing_episode", "missing", "police", start,
                     ended_at=start + timedelta(hours=min(hours, 240)), people=people,
                     place=found, delay_hours=rng.uniform(1, 8),
                     location="Found at " + self.rec.places[found].name if found is not None
                     else "Returned home",
                     summary="Reported missing; returned." if found is None else
                     "Reported missing; found by police.",
                     group=person.groups[0] if found is not None and person.groups else None)

    def ed(self, index: int, risk: str, after, before) -> None:
        rng, person = self.rng, self.people[index]
        method = pick(rng, ED_METHODS if risk != "low" else ED_METHODS[1:])
        at = self._where(person, risk)
        place: Place = self.rec.places[at]
        assaulted = self.rec.when("evening", after, before)
        # ISTV: assault time, arrival time, method, location type and free-text location.
        self.rec.add(
            "ed_assault", "knife" if method.startswith("Knife") else "violence", "hospital-ed",
            assaulted, people=[(index, "patient")], place=at if rng.random() < 0.4 else None,
            location=rng.choice(ED_PHRASES).format(name=place.name),
            summary=f"Assault method: {method}. Location type: {TYPE_WORDS[place.place_type]}.",
            objects=[("knife", "Sharp object (reported)")] if method.startswith("Knife") else [],
            delay_hours=rng.uniform(0.25, 2.5),
        )


def _a(word: str) -> str:
    """The article a summary needs: 'an exclusion', 'a drugs'."""
    return "an" if word[:1] in "aeiou" else "a"

