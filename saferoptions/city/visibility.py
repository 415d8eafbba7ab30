"""How much of each young person's life agencies record: the individual truth's known process.

Being exploited and being recorded are not the same thing. Real risk models have flagged
victims as suspects and missed children who were harmed, so the city's records do not give
the truth away (frozen before any model or score was evaluated on it; docs/synthetic-city.md):

- **hidden harm**: `HIDDEN_SHARE` of exploited children are exploited where no agency looks
  (online, out of the area, a family that does not report them missing). Their records are a
  low-risk child's, no agency opens a file because of them, and the police never see them with
  their group;
- **heavily recorded, not exploited**: `HEAVY_SHARE` of raised-risk children who are not
  exploited are recorded as much as an exploited child (`HEAVY_FACTOR` times a raised-risk
  child's rates: police contacts, stop and search, exclusions, missing from care) and known to
  the same agencies; for `PAST_SHARE` of them that was last year's crisis, over by the middle
  of the period;
- **escalation**: a child drawn in is groomed quietly for `GROOMING_DAYS` (recorded as a
  raised-risk child) before the exploitation's own records start, so the recent records say
  more than the old ones, and a child drawn in near the end has not shown yet;
- **noise**: every young person's recorded rates are multiplied by their own factor, drawn
  from a gamma distribution of mean 1 and shape `RECORDING_SHAPE` (some children are simply
  seen more, by a teacher who writes things down or a street the police patrol).

Everything here is truth: `TruePerson.visibility` and `.recording` never reach the database.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .records import TruePerson

HIDDEN_SHARE = 0.3  # of exploited children
HEAVY_SHARE = 0.2  # of raised-risk children who are not exploited
HEAVY_FACTOR = 3.0  # a raised-risk child's rates, times this: about an exploited child's
PAST_SHARE = 0.5  # of the heavily recorded: only in the first half of the period
GROOMING_DAYS = 60
RECORDING_SHAPE = 2.0


@dataclass(frozen=True)
class Period:
    """A stretch of the period recorded at one risk's rates, times `factor`."""

    risk: str
    factor: float
    first: date
    last: date  # exclusive


def assign(seed: int, people: list[TruePerson]) -> None:
    """Each young person's visibility and recording factor (its own random stream per seed,
    so the rest of the city does not move)."""
    rng = random.Random(f"safer-options-visibility:{seed}")
    for person in people:
        if person.kind not in ("child", "young_adult"):
            continue
        person.recording = round(rng.gammavariate(RECORDING_SHAPE, 1 / RECORDING_SHAPE), 4)
        roll = rng.random()
        if person.risk == "exploited" and roll < HIDDEN_SHARE:
            person.visibility = "hidden"
        elif person.risk == "raised" and roll < HEAVY_SHARE:
            person.visibility = "heavy_past" if rng.random() < PAST_SHARE else "heavy"


def seen_as(person: TruePerson) -> str:
    """The risk agencies would think they see, for who knows them (ties.KNOWN_TO)."""
    if person.visibility == "hidden":
        return "low"
    if person.visibility.startswith("heavy"):
        return "exploited"
    return person.risk


def seen_with_group(person: TruePerson) -> bool:
    """Whether the police can see this group member with the group."""
    return person.visibility != "hidden"


def periods(person: TruePerson, start: date, end: date) -> list[Period]:
    """The stretches of [start, end) and the rates each is recorded at."""
    f = person.recording
    if person.visibility == "hidden":
        return [Period("low", f, start, end)]
    if person.visibility == "heavy":
        return [Period("raised", f * HEAVY_FACTOR, start, end)]
    if person.visibility == "heavy_past":
        middle = start + (end - start) / 2
        return [Period("raised", f * HEAVY_FACTOR, start, middle),
                Period("raised", f, middle, end)]
    onset = person.exploited_from
    if person.risk != "exploited" or onset is None:
        return [Period(person.risk, f, start, end)]
    shows = min(end, max(start, onset + timedelta(days=GROOMING_DAYS)))
    stretches = [Period("raised", f, start, shows), Period("exploited", f, shows, end)]
    return [p for p in stretches if p.first < p.last]
