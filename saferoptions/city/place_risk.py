"""Where and when violence happens: the city's known place-and-time generating process.

Every place (schools aside) has a true risk, drawn from a skewed distribution (most places
quiet, a few busy), and a few places flare up for some weeks (a feud, a new dealing spot). The
time of week is a known profile too: evenings, more on Fridays and Saturdays, later at night.

Three things follow from it:

- people's own events at a place near home are at the ward's places in proportion to their
  risk (`events.PersonalEvents._where`), and their evening events on days weighted by `DAY_WEIGHTS`;
- street violence: knife incidents reported to the police at a place, nobody identified, a
  Poisson number each week with mean `STREET_RATE * risk * flare` (`street_violence`);
- the truth: `intensity(city)`, the expected number per place and local week of the events
  the Violence Reduction forecast counts (knife and sharp-object incidents and ED assault
  attendances with a known place), worked from the same rates the events were drawn from.
  It is written to the evaluation store only (`truth.py`), never to the database.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from . import visibility
from .events import POLICE_CATEGORIES, RATES, SCHOOL_CATEGORIES
from .group_events import GROUP_RATES
from .recording import DAY_WEIGHTS, day_weight, hour_weights, poisson
from .records import Place

RISK_SHAPE = 0.5  # gamma shape of a place's risk (mean 1): small means a few busy places
FLARE_CHANCE = 0.08  # share of places that flare up once in the period
FLARE_WEEKS = (3, 10)
FLARE_FACTOR = (3.0, 8.0)
STREET_RATE = 0.05  # street knife incidents per place per week at risk 1
# Chances that a person's event of each kind counts in the forecast (knife, or ED with a place).
STOP_SEARCH_KNIFE = 0.25  # grounds "knife", its category, found or not (events.stop_search)
ED_PLACE_KNOWN = 0.4
AT_GROUP_PLACE = 0.65  # events._where


@dataclass(frozen=True)
class Flare:
    place: int
    first: date
    weeks: int
    factor: float

    def covers(self, day: date) -> bool:
        return self.first <= day < self.first + timedelta(weeks=self.weeks)


def assign(seed: int, places: list[Place], start: date, end: date) -> list[Flare]:
    """Give every place its true risk and choose the flares (own random stream per seed)."""
    rng = random.Random(f"safer-options-place-risk:{seed}")
    flares = []
    days = max(1, (end - start).days)
    for place in places:
        if place.place_type == "school":
            place.risk = 1.0
            continue
        place.risk = round(rng.gammavariate(RISK_SHAPE, 1 / RISK_SHAPE), 4) + 0.02
        if rng.random() < FLARE_CHANCE:
            first = start + timedelta(days=rng.randrange(days))
            flares.append(Flare(place.index, first, rng.randint(*FLARE_WEEKS),
                                round(rng.uniform(*FLARE_FACTOR), 2)))
    return flares


def time_of_week(hours: list[float]) -> np.ndarray:
    """The true share of evening events in each (weekday, hour): 7 x 24, summing to 1."""
    grid = np.zeros((7, 24))
    monday = date(2024, 1, 1)
    for d in range(7):
        row = np.asarray(hour_weights(hours, monday + timedelta(d)), dtype=float)
        grid[d] = DAY_WEIGHTS[d] * row / row.sum()
    return grid / grid.sum()


def street_violence(rec, places: list[Place], flares: list[Flare]) -> None:
    """Knife incidents at places, drawn week by week from each place's risk and flares."""
    rng = rec.rng
    by_place: dict[int, list[Flare]] = {}
    for flare in flares:
        by_place.setdefault(flare.place, []).append(flare)
    for monday in _mondays(rec.start, rec.start + timedelta(rec.days)):
        after = max(monday, rec.start)
        before = min(monday + timedelta(7), rec.start + timedelta(rec.days))
        share = _week_share(after, before)
        for place in places:
            if place.place_type == "school":
                continue
            mean = STREET_RATE * place.risk * share * _flare(by_place.get(place.index), monday)
            for _ in range(poisson(rng, mean)):
                rec.add("police_incident", "knife", "police", rec.when("evening", after, before),
                        place=place.index, objects=[("knife", "Knife seen; no one identified")],
                        summary="Police attended a report of a knife; no one was identified.")


def _flare(flares: list[Flare] | None, monday: date) -> float:
    factor = 1.0
    for flare in flares or ():
        if flare.covers(monday):
            factor *= flare.factor
    return factor


def _mondays(start: date, end: date) -> list[date]:
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=w) for w in range((end - first).days // 7 + 1)
            if first + timedelta(weeks=w) < end]


def _week_share(after: date, before: date) -> float:
    """Share of a whole week's day weight in [after, before) (part weeks at either end)."""
    days = [after + timedelta(d) for d in range((before - after).days)]
    return sum(day_weight(d) for d in days) / sum(DAY_WEIGHTS)


@dataclass
class Intensity:
    """Expected forecast events per place (rows, `places`) and local week (columns)."""

    places: list[int]
    weeks: list[date]
    expected: np.ndarray


def intensity(city) -> Intensity:
    """The true expected count per place and week of knife incidents and placed ED assaults.

    Worked from the rates the events were drawn from (events.py, group_events.py and the
    street process above); only place-bound events (a known place) are counted.
    """
    start, end, scale = city.start, city.end, city.months / 12
    weeks = _mondays(start, end)
    index = {w: i for i, w in enumerate(weeks)}
    days = [start + timedelta(d) for d in range((end - start).days)]
    evening = np.zeros(len(days))
    school = np.zeros(len(days))
    for i, d in enumerate(days):
        evening[i] = day_weight(d)
        school[i] = 1.0 if d.weekday() < 5 else 0.0
    day_week = np.array([index[d - timedelta(days=d.weekday())] for d in days])
    grid = np.zeros((len(city.places), len(weeks)))
    ward_places: dict[str, list[int]] = {}
    for p in city.places:
        if p.place_type != "school":
            ward_places.setdefault(p.ward_code, []).append(p.index)
    ward_share = {w: np.array([city.places[i].risk for i in ps]) for w, ps in ward_places.items()}
    ward_share = {w: s / s.sum() for w, s in ward_share.items()}

    def spread(total: float, profile: np.ndarray, first: int, last: int) -> np.ndarray:
        """`total` events over days [first, last) in proportion to `profile`, as weeks."""
        part = profile[first:last]
        if total <= 0 or part.sum() == 0:
            return np.zeros(len(weeks))
        return np.bincount(day_week[first:last], weights=total * part / part.sum(),
                           minlength=len(weeks))

    # Sum the expectations by where and when first: a city has 200,000 people, not 200,000
    # different places and periods.
    near_home: dict[tuple[str, int, int], float] = {}
    at_group: dict[tuple[int, int, int], float] = {}
    at_school: dict[tuple[int, int, int], float] = {}
    for person in city.people:
        if person.kind == "adult":
            continue
        for period in visibility.periods(person, start, end):
            first, last = (period.first - start).days, (period.last - start).days
            share = (last - first) / max(1, len(days)) * period.factor
            local, grouped, school_knife = _expected(person, period.risk, scale * share)
            if grouped:
                key = (person.groups[0], first, last)
                at_group[key] = at_group.get(key, 0.0) + grouped * AT_GROUP_PLACE
                local += grouped * (1 - AT_GROUP_PLACE)
            if local:
                key = (person.ward_code, first, last)
                near_home[key] = near_home.get(key, 0.0) + local
            if school_knife and person.school is not None:
                key = (city.schools[person.school].place, first, last)
                at_school[key] = at_school.get(key, 0.0) + school_knife
    for (ward, first, last), total in near_home.items():
        grid[ward_places[ward]] += np.outer(ward_share[ward] * total,
                                            spread(1.0, evening, first, last))
    for (group, first, last), total in at_group.items():
        places = city.groups[group].places
        grid[places] += spread(total / len(places), evening, first, last)
    # School incidents fall on any school day of their stretch of the period (events.school).
    for (place, first, last), total in at_school.items():
        grid[place] += spread(total, school, first, last)
    group_knife = GROUP_RATES["incident"] * city.months / 5  # 1 in 5 is "knife"
    for group in city.groups:
        grid[group.places] += spread(group_knife / len(group.places), evening, 0, len(days))
    flares: dict[int, list[Flare]] = {}
    for flare in city.flares:
        flares.setdefault(flare.place, []).append(flare)
    for w, monday in enumerate(weeks):
        after, before = max(monday, start), min(monday + timedelta(7), end)
        share = _week_share(after, before)
        for p in city.places:
            if p.place_type != "school":
                grid[p.index, w] += STREET_RATE * p.risk * share * _flare(flares.get(p.index),
                                                                        monday)
    return Intensity(list(range(len(city.places))), weeks, grid)


def _weight(options: dict, key: str) -> float:
    return options.get(key, 0) / sum(options.values())


def _expected(person, risk: str, scale: float) -> tuple[float, float, float]:
    """Expected counted events: (near home or at the group's places, of which placeable by
    group, at school) for one risk period."""
    rates = RATES.get(risk, {})
    police = rates.get("police", 0) * _weight(dict(POLICE_CATEGORIES.get(risk, ())), "knife")
    sex = 1.6 if person.sex == "M" else 0.4
    search = rates.get("stop_search", 0) * sex * STOP_SEARCH_KNIFE
    ed = rates.get("ed", 0) * ED_PLACE_KNOWN
    at_school = 0.0
    if person.kind == "child" and risk in SCHOOL_CATEGORIES:
        at_school = rates.get("school", 0) * _weight(dict(SCHOOL_CATEGORIES[risk]), "knife")
    total = (police + search + ed) * scale
    return (0.0, total, at_school * scale) if risk == "exploited" and person.groups else \
        (total, 0.0, at_school * scale)
