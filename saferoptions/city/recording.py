"""Turning a happening into an agency's event record: times, references, people and objects."""

import math
import random
from bisect import bisect_left
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .identities import Registry, Scrambler
from .records import Event, Place

LONDON = ZoneInfo("Europe/London")
# Relative likelihood of each hour of the day, by kind of happening.
HOURS = {
    "evening": [1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 4, 6, 7, 8, 8, 7, 6, 4, 2],
    "school": [0] * 8 + [3, 5, 5, 5, 6, 5, 5, 3] + [0] * 8,
    "day": [0] * 7 + [1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 0, 0],
}
# Evenings are busier at the end of the week (place_risk.py: the known time-of-week process):
# relative likelihood of an evening event on each day, Monday first, and Friday and Saturday
# nights run later (their hours from 20:00 weigh WEEKEND_NIGHT times more).
DAY_WEIGHTS = (0.8, 0.8, 0.85, 0.95, 1.35, 1.5, 1.0)
WEEKEND_NIGHT = 1.6
REFERENCE_FORMATS = {
    "police_incident": "INC-{:07d}",
    "stop_search": "SS-{:07d}",
    "missing_episode": "MISPER-{:07d}",
    "ed_assault": "ISTV-{:07d}",
    "school_incident": "SI-{:07d}",
    "housing_report": "HR-{:07d}",
    "licensing_report": "LR-{:07d}",
    "community_concern": "CC-{:07d}",
}


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count (Knuth's method; means here are small)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def day_weight(day: date) -> float:
    return DAY_WEIGHTS[day.weekday()]


def hour_weights(hours: list[float], day: date) -> list[float]:
    if day.weekday() in (4, 5):
        return [w * (WEEKEND_NIGHT if h >= 20 else 1) for h, w in enumerate(hours)]
    return list(hours)


class Recorder:
    """Collects the events of the whole city, each in the reporting agency's own terms."""

    def __init__(self, rng: random.Random, registry: Registry, places: list[Place],
                 start: date, end: date):
        self.rng, self.registry, self.places = rng, registry, places
        self.start, self.days = start, (end - start).days
        self.weekdays = [d for d in range(self.days) if (start + timedelta(d)).weekday() < 5]
        self.events: list[Event] = []
        self.references: dict[str, Scrambler] = {k: Scrambler(rng) for k in REFERENCE_FORMATS}
        self.hour_choices = {k: list(range(24)) for k in HOURS}
        self.school_places: list[int] = []  # place index of each school

    def when(self, hours: str = "evening", after: date | None = None,
             before: date | None = None) -> datetime:
        """A local time in the period (or in [after, before)), weighted by hour of day."""
        rng = self.rng
        first = max(0, (after - self.start).days) if after else 0
        last = min(self.days, (before - self.start).days) if before else self.days
        if hours == "school":
            within = self.weekdays[bisect_left(self.weekdays, first):
                                   bisect_left(self.weekdays, last)] or self.weekdays
            day = self.start + timedelta(rng.choice(within))
        else:
            day = self.start + timedelta(rng.randrange(first, max(first + 1, last)))
            while hours == "evening" and rng.random() * max(DAY_WEIGHTS) > day_weight(day):
                day = self.start + timedelta(rng.randrange(first, max(first + 1, last)))
        weights = hour_weights(HOURS[hours], day) if hours == "evening" else HOURS[hours]
        hour = rng.choices(self.hour_choices[hours], weights)[0]
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=LONDON)
        return local.astimezone(UTC)

    def add(self, event_type: str, category: str, agency: str, at: datetime, *,
            people: list[tuple[int, str]] = (), place: int | None = None,
            location: str = "", summary: str = "", objects: list[tuple[str, str]] = (),
            ended_at: datetime | None = None, delay_hours: float | None = None,
            group: int | None = None) -> Event:
        """Record one event; `people` are (person index, role), held as the agency's identities."""
        rng = self.rng
        delay = delay_hours if delay_hours is not None else rng.expovariate(1 / 18)
        reference = REFERENCE_FORMATS[event_type].format(self.references[event_type].next())
        event = Event(
            len(self.events), event_type, category, at, ended_at,
            at + timedelta(hours=delay), agency, reference, place,
            location or (self.places[place].name if place is not None else ""), summary,
        )
        seen = set()
        for person, role in people:
            if person not in seen:
                seen.add(person)
                event.involvements.append((self.registry.of(person, agency), role))
        event.objects.extend(objects)
        event.group = group
        self.events.append(event)
        return event
