"""The synthetic city: an entirely fictional Bristol population and what its agencies record.

`generate(children=N, seed=S, months=M, start=D) -> City` is plain Python (no Django): the
same arguments always give the same city. It builds households of children (10-17), young
adults (18-24) and their parents; secondary schools; places near each ward's centre;
friendships mostly within school and ward; a few adults who exploit children and draw them
into true groups that use a handful of places; then, over `months`, the events those lives
produce in each agency's own records, each agency holding its own, imperfect, identity record
of each person (see `variation.py`).

Ground truth (which records are one person, who is exploited or exploits, which groups are
real) stays on the `City` in memory and is written only by `truth.py`, to Parquet files
under `settings.EVALUATION_DIR / "<seed>-<children>"`:

- `identities.parquet`: agency_slug, source_id, true_person_key, variations
- `people.parquet`: true_person_key, person_kind, is_exploited, is_exploiter, ...
- `groups.parquet`: true_group_key, true_person_key, role ("member" or "exploiter")
- `associations.parquet`: true_person_key, other_true_person_key, kind
- `group_places.parquet` and `events.parquet` (which events were a true group's doing)
"""

import random
from datetime import date, datetime, time

from saferoptions.core import clock

from . import place_risk, visibility
from .ethnicity import assign_ethnicity
from .events import PersonalEvents
from .group_events import GroupEvents
from .identities import Registry
from .names import VEHICLE_MAKES
from .places import build_places, build_schools, nearest_schools
from .population import Population, assign_risk, befriend, exploit
from .recording import LONDON, Recorder
from .records import City
from .ties import record_ties, register_everyone

MAX_CHILDREN = 2_000_000
MAX_MONTHS = 60


def default_start(today: date, months: int) -> date:
    """The first day of the month `months` months before `today`'s month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def start_ending_on(day: date, months: int) -> date:
    """The start of a period of `months` months that ends on `day` (`--ending-today`)."""
    return add_months(day, -months)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def check(children: int, seed: int, months: int) -> None:
    """Refuse impossible sizes with a one-line reason naming the argument."""
    for name, value in (("children", children), ("seed", seed), ("months", months)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, not {value!r}")
    if not 1 <= children <= MAX_CHILDREN:
        raise ValueError(f"children must be between 1 and {MAX_CHILDREN:,}, not {children}")
    if seed < 0:
        raise ValueError(f"seed must be zero or more, not {seed}")
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be between 1 and {MAX_MONTHS}, not {months}")


def generate(children: int, seed: int, months: int = 12, start: date | None = None,
             end: date | None = None) -> City:
    """Build the whole city for this seed and size (deterministic for a given start and end).

    The period ends `months` after `start` unless `end` (exclusive) is given.
    """
    check(children, seed, months)
    start = start or default_start(clock.today(), months)
    end = end or add_months(start, months)
    rng = random.Random(f"safer-options-city:{seed}")
    places = build_places(rng, children)
    schools = build_schools(rng, children, places)
    flares = place_risk.assign(seed, places, start, end)
    pop = Population(rng, start, children)
    pop.families()
    pop.enrol(schools, nearest_schools(schools, places))
    befriend(rng, pop.people)
    assign_risk(rng, pop.people)
    groups = exploit(pop, places, start, months)
    visibility.assign(seed, pop.people)  # its own random stream
    pop.register_health()
    people, households = pop.people, pop.households

    registry = Registry(rng, people, households)
    register_everyone(registry, people)
    recorder = Recorder(rng, registry, places, start, end)
    recorder.school_places = [s.place for s in schools]
    by_ward = _places_by_ward(places)
    members = _household_members(people)
    parents = {h: [i for i in ms if people[i].kind == "adult"] for h, ms in members.items()}
    adults_by_ward: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        if p.kind == "adult":
            adults_by_ward.setdefault(p.ward_code, []).append(i)
    vehicles = {i: f"{rng.choice(VEHICLE_MAKES)}, index {_plate(rng)}"
                for group in groups for i in group.exploiters if rng.random() < 0.7}

    personal = PersonalEvents(recorder, people, groups, by_ward, parents, vehicles, end, months)
    for i, p in enumerate(people):
        if p.kind != "adult":
            personal.generate(i)
    places_events = GroupEvents(recorder, people, places, by_ward, adults_by_ward, vehicles,
                                months)
    for index, group in enumerate(groups):
        places_events.group(group, index)
    places_events.background(children)
    place_risk.street_violence(recorder, places, flares)
    ties = record_ties(rng, registry, people, groups, members)
    assign_ethnicity(seed, people, registry.identities)  # its own random stream
    return City(seed, children, months, start, end, people, households, places, schools, groups,
                registry.identities, recorder.events, ties, flares)


def known_by_end(city: City) -> City:
    """The records as they stand at the end of the period (local midnight), nothing later.

    A period ending today would otherwise hold returns and reports from the coming days: a
    child whose return falls after the end is still missing, a late report arrives at the end.
    """
    moment = datetime.combine(city.end, time(0), tzinfo=LONDON)
    for event in city.events:
        if event.ended_at is not None and event.ended_at > moment:
            event.ended_at = None
            event.place, event.location_description = None, ""
            event.summary = "Reported missing; not yet returned."
        event.reported_at = min(event.reported_at, moment)
    return city


def _places_by_ward(places) -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    for place in places:
        if place.place_type != "school":
            result.setdefault(place.ward_code, []).append(place.index)
    return result


def _household_members(people) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for i, p in enumerate(people):
        result.setdefault(p.household, []).append(i)
    return result


def _plate(rng: random.Random) -> str:
    """A number plate in the current format using the unissued 'Q' prefix letters (fictional)."""
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return f"QX{rng.randint(51, 75)} {''.join(rng.choice(letters) for _ in range(3))}"
