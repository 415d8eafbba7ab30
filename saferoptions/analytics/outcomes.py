"""Before and after a referral: events counted in the 90 days either side, and matched children.

Plain Python, no Django: the interventions app's selector reads the events and the children
and passes them here as plain rows, so the same counting runs from a command or a notebook.

- A child's measure **before** counts events on the 90 days before the work started (the
  start day not included); **after** counts the 90 days after it ended (the end day not
  included). An after window still open on `today` is not counted (None), never a part-count.
- A **matched** child was not referred: same age band on the day the work started, same
  locality, and a before-count within `tolerance` of the referred child's, over the same
  dates. Each matched child is used once. This is a comparison, not a control: children are
  referred at their worst point, so both groups' counts tend to fall (regression to the mean).
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import AnalyticsInputError

WINDOW_DAYS = 90
MISSING, EXCLUSIONS, POLICE, ED = "missing", "exclusions", "police", "ed"
MEASURES = (MISSING, EXCLUSIONS, POLICE, ED)
# Age bands for matching: the ones the partnership reports in.
AGE_BANDS = ((0, 9, "under 10"), (10, 13, "10-13"), (14, 15, "14-15"), (16, 17, "16-17"),
             (18, 25, "18-25"))


def measure_of(event_type: str, category: str) -> str | None:
    """Which measure an event counts towards (None: none of them)."""
    if event_type == "missing_episode":
        return MISSING
    if event_type == "school_incident":
        return EXCLUSIONS if category == "exclusion" else None
    if event_type in ("police_incident", "stop_search"):
        return POLICE
    if event_type == "ed_assault":
        return ED
    return None


def age_band(born: dt.date | None, on: dt.date) -> str | None:
    """The child's age band on a day (None: date of birth not known, or over 25)."""
    if born is None:
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next((label for low, high, label in AGE_BANDS if low <= years <= high), None)


@dataclass(frozen=True)
class Occurrence:
    """One event that counts towards a measure, for one child, on one local day."""

    person_id: int
    measure: str
    on: dt.date


class EventIndex:
    """Each child's days per measure, sorted, so a window is counted by two bisections."""

    def __init__(self, occurrences: Iterable[Occurrence]):
        days: dict = defaultdict(list)
        for row in occurrences:
            if row.measure not in MEASURES:
                raise AnalyticsInputError("occurrences.measure", f"unknown measure {row.measure!r}")
            days[(row.person_id, row.measure)].append(row.on)
        self._days = {key: sorted(value) for key, value in days.items()}

    def count(self, person_id: int, measures: Sequence[str], first: dt.date,
              last: dt.date) -> int:
        """Events on days first..last (both included) across `measures`."""
        total = 0
        for measure in measures:
            days = self._days.get((person_id, measure), ())
            total += bisect.bisect_right(days, last) - bisect.bisect_left(days, first)
        return total


def before_window(started_on: dt.date) -> tuple[dt.date, dt.date]:
    return started_on - dt.timedelta(days=WINDOW_DAYS), started_on - dt.timedelta(days=1)


def after_window(ended_on: dt.date) -> tuple[dt.date, dt.date]:
    return ended_on + dt.timedelta(days=1), ended_on + dt.timedelta(days=WINDOW_DAYS)


def after_complete(ended_on: dt.date | None, today: dt.date) -> bool:
    """Whether the 90 days after the end have all passed."""
    return ended_on is not None and after_window(ended_on)[1] < today


@dataclass(frozen=True)
class Change:
    """One measure for one child: before, and after (None until the after window has passed)."""

    measure: str
    before: int | None
    after: int | None


def before_after(index: EventIndex, person_id: int, measures: Sequence[str],
                 started_on: dt.date | None, ended_on: dt.date | None,
                 today: dt.date) -> list[Change]:
    """Each chosen measure before the start and after the end (None where not known yet)."""
    _check_measures(measures)
    changes = []
    for measure in measures:
        before = index.count(person_id, [measure], *before_window(started_on)) \
            if started_on else None
        after = index.count(person_id, [measure], *after_window(ended_on)) \
            if started_on and after_complete(ended_on, today) else None
        changes.append(Change(measure, before, after))
    return changes


def _check_measures(measures: Sequence[str]) -> None:
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise AnalyticsInputError("measures", f"unknown measure(s) {', '.join(unknown)}")


@dataclass(frozen=True)
class Referred:
    """A referred child whose work started and whose after window has passed."""

    referral_id: int
    person_id: int
    locality_id: int | None
    born: dt.date | None
    started_on: dt.date
    ended_on: dt.date


@dataclass(frozen=True)
class Candidate:
    """A child who was not referred, who may be matched."""

    person_id: int
    locality_id: int | None
    born: dt.date | None


def match(referred: Sequence[Referred], candidates: Sequence[Candidate], index: EventIndex,
          measures: Sequence[str], *, tolerance: int = 1) -> dict[int, int | None]:
    """Referral id -> the matched child's person id (None: nobody similar enough).

    Each referral takes, from the children in its locality and age band, the one whose
    before-count over the same dates is closest (ties: the lowest id), never reused.
    """
    _check_measures(measures)
    if tolerance < 0:
        raise AnalyticsInputError("tolerance", "must be 0 or more")
    by_locality: dict = defaultdict(list)
    for child in sorted(candidates, key=lambda c: c.person_id):
        by_locality[child.locality_id].append(child)
    used: set = set()
    found: dict[int, int | None] = {}
    for row in sorted(referred, key=lambda r: r.referral_id):
        found[row.referral_id] = _closest(row, by_locality[row.locality_id], used, index,
                                          measures, tolerance)
        if found[row.referral_id] is not None:
            used.add(found[row.referral_id])
    return found


def _closest(row: Referred, pool, used, index, measures, tolerance) -> int | None:
    band = age_band(row.born, row.started_on)
    if band is None:
        return None
    window = before_window(row.started_on)
    target = index.count(row.person_id, measures, *window)
    best = None
    for child in pool:
        if child.person_id in used or age_band(child.born, row.started_on) != band:
            continue
        gap = abs(index.count(child.person_id, measures, *window) - target)
        if gap <= tolerance and (best is None or gap < best[0]):
            best = (gap, child.person_id)
            if gap == 0:
                break
    return best[1] if best else None


@dataclass(frozen=True)
class Totals:
    """Children counted and their events before and after, per measure."""

    children: int
    before: Mapping[str, int]
    after: Mapping[str, int]


def totals(pairs: Iterable[tuple[int, dt.date, dt.date]], index: EventIndex,
           measures: Sequence[str]) -> Totals:
    """Sum each measure before and after over (person id, started on, ended on) rows."""
    _check_measures(measures)
    before = dict.fromkeys(measures, 0)
    after = dict.fromkeys(measures, 0)
    children = 0
    for person_id, started_on, ended_on in pairs:
        children += 1
        for measure in measures:
            before[measure] += index.count(person_id, [measure], *before_window(started_on))
            after[measure] += index.count(person_id, [measure], *after_window(ended_on))
    return Totals(children, before, after)


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
