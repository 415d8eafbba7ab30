"""Safer Options: demand per locality for the next 4-12 weeks, with 80% intervals and how
well such intervals covered the past, read live and audited like every dashboard page.

The forecasting is `analytics.demand` (statsmodels, no Django). Here: which rows count as
demand (concerns raised, referrals made, missing episodes), which weeks, and suppression.
"""

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.db import transaction

from saferoptions.analytics import demand as model
from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.figures import week_starts, with_week
from saferoptions.audit.services import record
from saferoptions.cases.models import Concern
from saferoptions.core import clock
from saferoptions.core.models import Locality
from saferoptions.events.models import EventType
from saferoptions.governance import publish
from saferoptions.interventions.models import Referral

from . import memo, sources
from .filters import Filters

HISTORY_WEEKS = 52
HORIZONS = (4, 8, 12)
COVERAGE_ORIGINS = 12  # past start weeks scored, each forecasting the 4 weeks after it
COVERAGE_HORIZON = 4
SEED = 16  # the draws behind the intervals: the same data always give the same page
SERIES = (("concerns", "Concerns raised"), ("referrals", "Referrals to programmes"),
          ("missing", "Missing episodes"))


@dataclass
class Line:
    locality: str
    series: str
    recorded: object  # in the history, suppressed
    ahead: list  # (horizon, expected, low, high), or [] where not shown
    coverage: object  # share of past outcomes inside the interval, or None
    reason: str = ""  # why it is not forecast


@dataclass
class DemandPage:
    history_from: dt.date
    history_to: dt.date
    first_week: dt.date
    lines: list
    method: str
    coverage_outcomes: int
    coverage_inside: int

    @property
    def coverage(self) -> float | None:
        if not self.coverage_outcomes:
            return None
        return self.coverage_inside / self.coverage_outcomes


def _history(now: dt.datetime) -> tuple[Filters, list[dt.date]]:
    weeks = week_starts(clock.local(now).date(), HISTORY_WEEKS + 1)[:-1]
    start = dt.datetime.combine(weeks[0], dt.time(0), tzinfo=clock.LOCAL)
    end = dt.datetime.combine(weeks[-1] + dt.timedelta(weeks=1), dt.time(0), tzinfo=clock.LOCAL)
    # Only counted (no drill-down): who each event is about is read only where no place
    # gives its locality (dashboards.sources).
    return Filters(period="52w", weeks=weeks, start=start, end=end, counting=True), weeks


def _referrals(filters: Filters) -> pl.DataFrame:
    rows = Referral.objects.filter(referred_at__gte=filters.start, referred_at__lt=filters.end
                                   ).values_list("person__locality_id", "referred_at")
    frame = pl.DataFrame(list(rows), orient="row", schema={
        "locality_id": pl.Int64, "referred_at": pl.Datetime("us", "UTC")})
    local = pl.col("referred_at").dt.convert_time_zone(settings.TIME_ZONE).dt.date()
    return frame.with_columns(local.dt.truncate("1w").alias("week"))


def _concerns(filters: Filters) -> pl.DataFrame:
    """Concerns raised: only their locality and week (the dashboards' concern rows carry each
    child's ethnicity and age, worked per row in SQL, which a count per week does not need)."""
    rows = Concern.objects.filter(raised_at__gte=filters.start, raised_at__lt=filters.end
                                  ).values_list("locality_id", "raised_at")
    frame = pl.DataFrame(list(rows), orient="row", schema={
        "locality_id": pl.Int64, "raised_at": pl.Datetime("us", "UTC")})
    return with_week(frame, "raised_at")


def _rows(filters: Filters) -> dict[str, pl.DataFrame]:
    """locality_id and week of every row of each demand series."""
    return {
        "concerns": _concerns(filters).select("locality_id", "week"),
        "referrals": _referrals(filters).select("locality_id", "week"),
        "missing": sources.events(filters, [EventType.MISSING_EPISODE],
                                  people_for_drill=True).select("locality_id", "week"),
    }


def outlook(*, user) -> DemandPage:
    """The next 4, 8 and 12 weeks per locality and series, and the past coverage, audited."""
    with transaction.atomic():
        filters, weeks = _history(clock.now())
        first = weeks[-1] + dt.timedelta(weeks=1)
        page = DemandPage(weeks[0], weeks[-1] + dt.timedelta(days=6), first, [],
                          model.METHOD, 0, 0)
        localities = list(Locality.objects.order_by("name").values_list("pk", "name"))
        for key, frame in _rows(filters).items():
            series = model.weekly_series(frame.filter(pl.col("locality_id").is_not_null())
                                         .rename({"locality_id": "group"}), weeks=weeks)
            for pk, name in localities:
                page.lines.append(_line(page, name, dict(SERIES)[key], series.get(pk),
                                        weeks[0]))
        record(actor=user, action="view", object_type="dashboard",
               detail={"app": "safer-options", "figure": "demand", "from": first.isoformat()})
    return page


def _line(page: DemandPage, locality: str, label: str, history: list | None,
          first_week: dt.date) -> Line:
    history = history or [0] * HISTORY_WEEKS
    total = sum(history)
    line = Line(locality, label, publish.count(total), [], None)
    if total < settings.SMALL_NUMBER_THRESHOLD:
        line.reason = f"Not shown (fewer than {settings.SMALL_NUMBER_THRESHOLD} recorded)"
        return line  # worked from a small number: not shown
    try:
        ahead, past = memo.remembered(
            "demand-line", lambda: _fit(history, first_week), scope=memo.CITY_WIDE,
            inputs=(tuple(history), first_week, max(HORIZONS), SEED, COVERAGE_ORIGINS,
                    COVERAGE_HORIZON, model.METHOD))
    except AnalyticsInputError:
        line.reason = (f"Not forecast: recorded for fewer than {model.MIN_WEEKS} whole weeks "
                       "so far")
        return line
    line.ahead = [(h, ahead[h - 1]) for h in HORIZONS]
    line.coverage = past.share if past.outcomes else None
    page.coverage_outcomes += past.outcomes
    page.coverage_inside += past.inside
    return line


def _fit(history: list, first_week: dt.date) -> tuple[list, object]:
    """One line's forecast and past coverage, worked from its weekly counts alone (so kept
    under a digest of them: a line whose counts did not move is not refitted)."""
    ahead = model.forecast(history, first_week=first_week, horizon=max(HORIZONS), seed=SEED)
    past = model.past_coverage(history, first_week=first_week, origins=COVERAGE_ORIGINS,
                               horizon=COVERAGE_HORIZON, seed=SEED)
    return ahead, past
