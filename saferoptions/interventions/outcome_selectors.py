"""Reads for outcomes: one referral's before and after, and a programme's report.

The counting is `analytics.outcomes` (plain Python); this module reads the events and the
children it needs. One referral's measures count only the events the viewer may see of that
child (`policy.record_rows`). The programme report counts every event but shows only totals,
through the small-number suppression rule (`analytics.suppression`) outside need-to-know, with
the partnership's threshold (see `report_for`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate

from saferoptions.access import policy
from saferoptions.analytics import outcomes
from saferoptions.analytics.suppression import round_count, suppress_count
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.people.models import Person

from . import hooks
from .models import Programme, Rating, Referral
from .vocabulary import EndReason, Measure, Respondent

MEASURED_TYPES = ("missing_episode", "school_incident", "police_incident", "stop_search",
                  "ed_assault")
LABELS = dict(Measure.choices)


def _occurrences(involvements) -> list[outcomes.Occurrence]:
    # The measured types are kept here, not in the query: given the types, SQLite walks the
    # (event_type, occurred_at) index over the whole city's events in the window instead of the
    # few children's involvements by person (2 s against 3 ms a chunk on 100,000 children).
    # The local day comes from the database: a date is far cheaper to read than a moment with
    # its time zone (on PostgreSQL reading the moments was a fifth of the report's time).
    rows = involvements.values_list("person_id", "event__event_type", "event__category",
                                    TruncDate("event__occurred_at", tzinfo=clock.LOCAL))
    found = []
    for person_id, event_type, category, day in rows:
        measure = outcomes.measure_of(event_type, category)
        if measure:
            found.append(outcomes.Occurrence(person_id, measure, day))
    return found


@dataclass
class MeasureRow:
    label: str
    before: int | None
    after: int | None


def referral_measures(*, decision, referral: Referral) -> tuple[list[MeasureRow], dt.date | None]:
    """The programme's measures for this child, from the events this viewer may see.

    Returns the rows and the day the after count becomes known (None: not ended yet).
    """
    visible = policy.record_rows(decision, Event.objects.all()).values("pk")
    index = outcomes.EventIndex(_occurrences(
        Involvement.objects.filter(person=referral.person, event__in=visible)))
    measures = [m for m in referral.programme.outcome_measures if m in LABELS]
    changes = outcomes.before_after(index, referral.person_id, measures, referral.started_on,
                                    referral.ended_on if referral.started_on else None,
                                    clock.today())
    known_on = outcomes.after_window(referral.ended_on)[1] + dt.timedelta(days=1) \
        if referral.ended_on and referral.started_on else None
    return [MeasureRow(LABELS[c.measure], c.before, c.after) for c in changes], known_on


def ratings(referral: Referral) -> list[Rating]:
    return list(referral.ratings.all()[:50])


# --- the programme report ---------------------------------------------------------------------

@dataclass
class Report:
    """A programme's figures, before suppression (`shown` gives them as they may be shown)."""

    programme: Programme
    referrals: int = 0
    started: int = 0
    completed: int = 0
    declined: int = 0
    waiting: int = 0
    waits_days: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    referred: outcomes.Totals | None = None
    matched: outcomes.Totals | None = None
    exclusions_avoided: int | None = None
    ratings: dict = field(default_factory=dict)


def _referrals(programme: Programme, team_id):
    rows = Referral.objects.filter(programme=programme)
    return rows.filter(team_id=team_id) if team_id else rows


def _counts(report: Report, rows) -> None:
    # Counted by the database, and each wait read as one duration: reading two moments with
    # their time zones for each of a year's referrals was a third of the report on PostgreSQL.
    totals = rows.aggregate(
        referrals=Count("pk"), started=Count("pk", filter=Q(started_on__isnull=False)),
        completed=Count("pk", filter=Q(end_reason=EndReason.COMPLETED)),
        declined=Count("pk", filter=Q(status="declined")),
        waiting=Count("pk", filter=Q(status="waiting")))
    for name, value in totals.items():
        setattr(report, name, value)
    waits = rows.filter(place_given_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("place_given_at") - F("referred_at"),
                               output_field=DurationField())).values_list("wait", flat=True)
    report.waits_days = [wait.days for wait in waits]


def _complete(rows, today) -> list[outcomes.Referred]:
    """Referrals whose work started, ended and whose 90 days after have passed."""
    found = rows.filter(started_on__isnull=False, ended_on__isnull=False).values_list(
        "pk", "person_id", "person__locality_id", "person__date_of_birth", "started_on",
        "ended_on")
    return [outcomes.Referred(*row) for row in found if outcomes.after_complete(row[5], today)]


# The comparison pool is read lazily, in person-id order, a locality at a time: most referrals
# find an exact match among the first few children, so the city's never-referred children and
# their events are not all loaded. Where the children read so far hold no exact match, only
# children with enough events in the referral's window could do better: the database counts
# them (an aggregate) and only those are read. The result is `outcomes.match`'s, exactly.
CHUNK = 400


def _earliest_birth(done: list[outcomes.Referred]) -> dt.date:
    """Born before this, a child is over 25 on every start day (never in an age band)."""
    return min(r.started_on for r in done) - dt.timedelta(days=366 * 26)


def _span(done: list[outcomes.Referred]) -> tuple[dt.date, dt.date]:
    first = min(outcomes.before_window(r.started_on)[0] for r in done)
    last = max(outcomes.after_window(r.ended_on)[1] for r in done)
    return first, last


def _between(field: str, first: dt.date, last: dt.date) -> dict:
    """Moments on local days first..last, with two days' slack either side: a plain range the
    database can use an index for (the exact local day is counted in Python)."""
    since = dt.datetime.combine(first - dt.timedelta(days=2), dt.time(), tzinfo=clock.LOCAL)
    until = dt.datetime.combine(last + dt.timedelta(days=3), dt.time(), tzinfo=clock.LOCAL)
    return {f"{field}__gte": since, f"{field}__lt": until}


class _Index:
    """Events of the children read so far, by child (the `outcomes.EventIndex` interface)."""

    def __init__(self, span: tuple[dt.date, dt.date]):
        self.span = span
        self._of: dict[int, outcomes.EventIndex] = {}
        self._empty = outcomes.EventIndex([])

    def read(self, person_ids) -> None:
        wanted = [pk for pk in person_ids if pk not in self._of]
        for first in range(0, len(wanted), CHUNK):
            ids = wanted[first:first + CHUNK]
            found = _occurrences(Involvement.objects.filter(
                person_id__in=ids, **_between("event__occurred_at", *self.span)))
            by_person: dict = {pk: [] for pk in ids}
            for row in found:
                by_person[row.person_id].append(row)
            for pk, rows in by_person.items():
                self._of[pk] = outcomes.EventIndex(rows) if rows else self._empty

    def count(self, person_id: int, measures, first: dt.date, last: dt.date) -> int:
        return self._of[person_id].count(person_id, measures, first, last)


def _types_of(measures) -> list[str]:
    """The event types that may count towards the measures (a superset, for the database)."""
    return [t for t in MEASURED_TYPES
            if any(outcomes.measure_of(t, c) in measures for c in ("exclusion", ""))]


class _Locality:
    """One locality's never-referred children, read in person-id order as they are needed."""

    def __init__(self, locality_id, earliest: dt.date, index: _Index):
        self.index = index
        self.read: list[outcomes.Candidate] = []
        self.done = locality_id is None  # the first reading never matched a locality unknown
        self._rows = Person.objects.filter(
            kind="child", merged_into__isnull=True, locality_id=locality_id,
            date_of_birth__gte=earliest).exclude(intervention_referrals__isnull=False)

    def _last(self) -> int:
        return self.read[-1].person_id if self.read else 0

    def more(self) -> list[outcomes.Candidate]:
        """The next children by id (none once every child has been read)."""
        rows = [outcomes.Candidate(*row) for row in self._rows.filter(pk__gt=self._last())
                .order_by("pk").values_list("pk", "locality_id", "date_of_birth")[:CHUNK]]
        self.done = len(rows) < CHUNK
        self.index.read([c.person_id for c in rows])
        self.read += rows
        return rows

    def busy(self, row: outcomes.Referred, measures, at_least: int):
        """Children not read yet with at least `at_least` events in the referral's window (a
        superset: types by measure, a day either side for the local day), by id."""
        first, last = outcomes.before_window(row.started_on)
        low, high = next((lo, hi) for lo, hi, label in outcomes.AGE_BANDS
                         if label == outcomes.age_band(row.born, row.started_on))
        counted = Involvement.objects.filter(
            event__event_type__in=_types_of(measures),
            **_between("event__occurred_at", first, last)) \
            .values("person_id").annotate(n=Count("pk")).filter(n__gte=at_least) \
            .values("person_id")
        rows = [outcomes.Candidate(*r) for r in self._rows.filter(
            pk__gt=self._last(), pk__in=counted,
            date_of_birth__gte=row.started_on - dt.timedelta(days=366 * (high + 1)),
            date_of_birth__lte=row.started_on - dt.timedelta(days=365 * low))
            .order_by("pk").values_list("pk", "locality_id", "date_of_birth")]
        self.index.read([c.person_id for c in rows])
        return rows


def _better(row, children, used, index, measures, target, window, best):
    """`outcomes._closest`'s scan over more children, carrying the best (gap, id) so far."""
    band = outcomes.age_band(row.born, row.started_on)
    for child in children:
        if child.person_id in used or outcomes.age_band(child.born, row.started_on) != band:
            continue
        gap = abs(index.count(child.person_id, measures, *window) - target)
        if gap <= TOLERANCE and (best is None or gap < best[0]):
            best = (gap, child.person_id)
            if gap == 0:
                break
    return best


def _closest(row, pool: _Locality, used, index, measures) -> int | None:
    if outcomes.age_band(row.born, row.started_on) is None:
        return None
    window = outcomes.before_window(row.started_on)
    target = index.count(row.person_id, measures, *window)
    best = _better(row, pool.read, used, index, measures, target, window, None)
    while (best is None or best[0] > 0) and not pool.done:
        # Only a child whose count is nearer the target than the best can still win. Where
        # that count is common, reading on by id finds one within a chunk or two; only a rare
        # one (many events in 90 days) is worth counting across the city's events.
        at_least = target - (best[0] - 1 if best else TOLERANCE)
        if at_least >= RARE_COUNT:
            found = pool.busy(row, measures, at_least)
            return (_better(row, found, used, index, measures, target, window, best)
                    or (None, None))[1]
        best = _better(row, pool.more(), used, index, measures, target, window, best)
    return best[1] if best else None


TOLERANCE = 1  # `outcomes.match`'s default, as the report has always used
# Events in one 90-day window from which a child is rare enough that the database counts who
# has that many (an aggregate over the window's events, about a second on a 100,000-child
# city), rather than the next children being read by id (a few milliseconds a chunk).
RARE_COUNT = 4


def _matching(done: list[outcomes.Referred], measures) -> tuple[dict, _Index]:
    index = _Index(_span(done))
    index.read(sorted({r.person_id for r in done}))
    earliest = _earliest_birth(done)
    pools: dict = {}
    used: set = set()
    found: dict[int, int | None] = {}
    for row in sorted(done, key=lambda r: r.referral_id):
        if row.locality_id not in pools:
            pools[row.locality_id] = _Locality(row.locality_id, earliest, index)
        found[row.referral_id] = _closest(row, pools[row.locality_id], used, index, measures)
        if found[row.referral_id] is not None:
            used.add(found[row.referral_id])
    return found, index


def matched_pairs(done: list[outcomes.Referred], measures) -> dict[int, int | None]:
    """Referral id -> its matched child's person id (None: nobody similar enough), as
    `outcomes.match` finds them among every never-referred child."""
    return _matching(done, measures)[0]


def _before_after(report: Report, rows, today) -> None:
    done = _complete(rows, today)
    report.measures = [m for m in report.programme.outcome_measures if m in LABELS]
    if not done or not report.measures:
        return
    pairs, index = _matching(done, report.measures)
    report.referred = outcomes.totals([(r.person_id, r.started_on, r.ended_on) for r in done],
                                      index, report.measures)
    by_id = {r.referral_id: r for r in done}
    report.matched = outcomes.totals(
        [(person, by_id[rid].started_on, by_id[rid].ended_on)
         for rid, person in pairs.items() if person is not None], index, report.measures)


def _ratings(report: Report, rows) -> None:
    for respondent in Respondent.values:
        values = list(Rating.objects.filter(referral__in=rows, respondent=respondent)
                      .values_list("rating", flat=True))
        report.ratings[respondent] = values


def programme_report(programme: Programme, *, team_id=None) -> Report:
    """Every figure of the report, counted (team_id: only that provider team's referrals)."""
    report = Report(programme=programme)
    rows = _referrals(programme, team_id)
    _counts(report, rows)
    _before_after(report, rows, clock.today())
    _ratings(report, rows)
    counter = hooks.exclusions_avoided_counter()
    if counter is not None and not team_id:
        report.exclusions_avoided = counter(programme.pk)
    return report


def need_to_know(user, programme: Programme) -> int | None:
    """The provider team whose own referrals the user may see in full (None: none).

    A provider's team knows each child it works with, so its own figures are not suppressed;
    every other view of the report, the team's own included, is counts suppressed.
    """
    if user.team_id and programme.providers.filter(team_id=user.team_id).exists():
        return user.team_id
    return None


def may_see_report(user, programme: Programme) -> bool:
    """The programme's providers, strategic readers of dashboards and the catalogue manager."""
    return (need_to_know(user, programme) is not None
            or policy.has_duty(user, "view_dashboards")
            or policy.has_duty(user, "manage_catalogue"))


def report_for(*, user, programme: Programme, own_team: bool) -> dict:
    """The report as this user may see it: exact for their own team's work, else rounded.

    Every provider's figures together are rounded to the nearest 5 (1 to 4 as "fewer than 5"),
    not only suppressed: a provider team reads its own figures exactly, so subtracting them
    from suppressed all-providers figures (12 referrals in all, 9 its own) gave the other
    teams' small count (3). No reader sees the all-providers view exactly, so it is rounded
    for all of them (strategic readers, the catalogue manager and providers alike).
    """
    team_id = need_to_know(user, programme) if own_team else None
    report = programme_report(programme, team_id=team_id)
    record(actor=user, action="view", object_type="programme_report",
           object_ids=[programme.pk],
           detail={"own_team": team_id is not None, "rounded": team_id is None})
    return shown(report, suppress=team_id is None, rounded=team_id is None)


def _threshold() -> int:
    return settings.SMALL_NUMBER_THRESHOLD


def _published(count: int):
    """One count as it may leave need-to-know."""
    return suppress_count(count, _threshold())


def _rounded(count: int):
    """One count for the all-providers view: rounded to the nearest 5 (see report_for)."""
    return round_count(count, _threshold())


def _rate(part: int, whole: int, suppress: bool, rounded: bool = False) -> str:
    """A percentage, only where neither count is hidden; from the rounded counts where the
    counts are shown rounded, so the rate gives no exact count back."""
    if whole == 0:
        return "none yet"
    if rounded:
        part, whole = _rounded(part), _rounded(whole)
        if not (isinstance(part, int) and isinstance(whole, int)) or whole == 0:
            return "not shown (small numbers)"
    elif suppress and (0 < part < _threshold() or whole < _threshold()):
        return "not shown (small numbers)"
    return f"{round(100 * part / whole)}%"


def shown(report: Report, *, suppress: bool, rounded: bool = False) -> dict:
    """The report's figures as they may be shown: small counts suppressed when asked, or
    every count rounded to the nearest 5 (`rounded`, which implies suppress)."""
    suppress = suppress or rounded
    show = _rounded if rounded else _published if suppress else (lambda n: n)
    small = suppress and len(report.waits_days) < _threshold()
    median = outcomes.median(report.waits_days)
    comparison = []
    for measure in report.measures:
        comparison.append({"label": LABELS[measure], **{
            f"{group}_{side}": show(getattr(totals, side)[measure]) if totals else None
            for group, totals in (("referred", report.referred), ("matched", report.matched))
            for side in ("before", "after")}})
    return {
        "referrals": show(report.referrals), "started": show(report.started),
        "completed": show(report.completed), "declined": show(report.declined),
        "waiting": show(report.waiting),
        "take_up": _rate(report.started, report.referrals, suppress, rounded),
        "completion": _rate(report.completed, report.started, suppress, rounded),
        "median_wait": None if median is None or small else median,
        "wait_count": show(len(report.waits_days)),
        "referred_children": show(report.referred.children) if report.referred else 0,
        "matched_children": show(report.matched.children) if report.matched else 0,
        "comparison": comparison,
        "exclusions_avoided": None if report.exclusions_avoided is None
        else show(report.exclusions_avoided),
        "ratings": [{"who": label, "count": show(len(report.ratings.get(key, []))),
                     "helpful": show(sum(1 for r in report.ratings.get(key, []) if r >= 4))}
                    for key, label in Respondent.choices],
        "suppressed": suppress, "rounded": rounded, "threshold": _threshold(),
    }
