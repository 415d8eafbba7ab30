"""Places and schools on Bristol's wards: invented names, coordinates near the ward centres."""

import math
import random

from saferoptions.core.reference import WARDS

from .names import PLACE_NAMES, SCHOOL_KINDS, SCHOOL_STEMS, STREET_STEMS
from .records import Place, School

JITTER_METRES = 600
METRES_PER_DEGREE_LAT = 111_000
# How common each kind of place is (per ward, relative).
PLACE_WEIGHTS = {
    "park": 15, "transport_hub": 6, "shop": 20, "takeaway": 15, "licensed_premises": 12,
    "estate": 10, "street": 15, "youth_club": 5,
}
CHILDREN_PER_SCHOOL = 2_000
CHILDREN_PER_PLACE = 25


def jitter(rng: random.Random, lat: float, lng: float) -> tuple[float, float]:
    """A point uniformly within JITTER_METRES of (lat, lng)."""
    distance = JITTER_METRES * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = distance * math.cos(angle) / METRES_PER_DEGREE_LAT
    dlng = distance * math.sin(angle) / (METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lng + dlng, 6)


def _place_name(rng: random.Random, place_type: str, ward_name: str, used: set[str]) -> str:
    for attempt in range(50):
        pattern = rng.choice(PLACE_NAMES[place_type])
        name = pattern.format(stem=rng.choice(STREET_STEMS), ward=ward_name)
        if attempt > 10:
            name = f"{name} ({rng.choice(STREET_STEMS)} end)"
        if name not in used:
            used.add(name)
            return name
    return f"{name} {len(used)}"


def build_places(rng: random.Random, children: int) -> list[Place]:
    """Places of every type in every ward, more of them in a bigger city."""
    per_ward = max(6, round(children / CHILDREN_PER_PLACE / len(WARDS)))
    types = list(PLACE_WEIGHTS)
    weights = [PLACE_WEIGHTS[t] for t in types]
    places: list[Place] = []
    used: set[str] = set()
    for ward_name, code, _locality, lat, lng in WARDS:
        # Every ward has at least one of each type, so groups always find somewhere to be.
        chosen = types + rng.choices(types, weights, k=max(0, per_ward - len(types)))
        for place_type in chosen:
            plat, plng = jitter(rng, lat, lng)
            name = _place_name(rng, place_type, ward_name, used)
            places.append(Place(len(places), name, place_type, plat, plng, code))
    return places


def _school_names(rng: random.Random, count: int) -> list[str]:
    names = [f"{stem} {kind}" for stem in SCHOOL_STEMS for kind in SCHOOL_KINDS]
    rng.shuffle(names)
    names.sort(key=lambda n: not n.startswith("Fictional"))  # the demo shows the obvious ones
    extra = [f"{a} {b} Academy" for a in SCHOOL_STEMS for b in STREET_STEMS]
    rng.shuffle(extra)
    return (names + extra)[:count]


def build_schools(rng: random.Random, children: int, places: list[Place]) -> list[School]:
    """Secondary schools spread over the wards, each with its own place."""
    count = max(2, round(children / CHILDREN_PER_SCHOOL))
    wards = [WARDS[i % len(WARDS)] for i in rng.sample(range(len(WARDS) * 30), count)]
    urns = rng.sample(range(100_000, 999_999), count)
    schools = []
    for index, (name, ward) in enumerate(zip(_school_names(rng, count), wards, strict=True)):
        _ward_name, code, _locality, lat, lng = ward
        plat, plng = jitter(rng, lat, lng)
        places.append(Place(len(places), name, "school", plat, plng, code))
        schools.append(School(index, name, str(urns[index]), len(places) - 1, code))
    return schools


def ward_centres() -> dict[str, tuple[float, float]]:
    return {code: (lat, lng) for _name, code, _loc, lat, lng in WARDS}


def nearest_schools(schools: list[School], places: list[Place]) -> dict[str, list[int]]:
    """For each ward, its schools from nearest to farthest."""
    result = {}
    for code, (lat, lng) in ward_centres().items():
        def distance(s: School, lat=lat, lng=lng) -> float:
            p = places[s.place]
            return (p.latitude - lat) ** 2 + ((p.longitude - lng) * 0.62) ** 2
        result[code] = [s.index for s in sorted(schools, key=distance)]
    return result
