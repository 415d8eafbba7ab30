"""Violence Reduction: next week's forecast per hexagon, with its past accuracy beside the
naive baseline's ("last week's hot spots"), read live and audited like every dashboard page.

The counting and scoring are `analytics.forecast` (no Django). Here: which events (the same
as the Violence Reduction hot spots: knife incidents and ED assaults of under-25s with a known
place, counted per place and week, mostly in the database), which weeks, and small-number
suppression before anything is shown.
"""

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.db import transaction

from saferoptions.analytics import forecast as model
from saferoptions.analytics.figures import week_starts
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.wards import ward_names
from saferoptions.events.models import EventCategory, EventType
from saferoptions.governance import publish

from . import memo, places, sources
from .filters import Filters

HISTORY_WEEKS = 52
SCORED_WEEKS = 12
TOP = 20
# Next week is forecast from whole weeks up to last Sunday: the week under way is left out,
# in the forecast and in its evaluation alike.
METHOD = model.Method(half_life_weeks=4.0, recent_share=0.5, gap_weeks=1)


@dataclass
class ForecastCell:
    cell: str
    places: list
    expected: str  # shown only where the cell's history is not a small number
    recorded: object  # incidents in the history, suppressed
    ward: str = ""  # the ward it falls in (approximately), so a reader knows where it is


@dataclass
class ForecastPage:
    target: dt.date
    history_from: dt.date
    history_to: dt.date
    incidents: object
    area_cells: int
    cells: list
    summaries: list
    method: str
    scored_weeks: int
    skipped: list


def _history(now: dt.datetime) -> tuple[Filters, list[dt.date]]:
    """Whole local weeks before this one (the events the forecast and its scoring read)."""
    weeks = week_starts(clock.local(now).date(), HISTORY_WEEKS + 1)[:-1]
    start = dt.datetime.combine(weeks[0], dt.time(0), tzinfo=clock.LOCAL)
    end = dt.datetime.combine(weeks[-1] + model.WEEK, dt.time(0), tzinfo=clock.LOCAL)
    return Filters(period="52w", weeks=weeks, start=start, end=end), weeks


def incidents(filters: Filters) -> pl.DataFrame:
    """Knife incidents and ED assaults of under-25s (each once) with a known place, per H3
    cell and local week (`cell`, `week`, `n`), read live on every view.

    Counted in the database where nothing else is needed: the knife incidents that are not ED
    assaults, per place and week. An ED assault's age is worked from its first subject's date
    of birth, so ED assaults are read as rows and kept if under 25 or knife incidents."""
    knives = sources.knife_per_place_and_week(filters, leaving_out=[EventType.ED_ASSAULT])
    ed = sources.events(filters, [EventType.ED_ASSAULT], placed=True).filter(
        (pl.col("age") < 25) | (pl.col("category") == EventCategory.KNIFE) | pl.col("knife"))
    ed = ed.group_by("lat", "lng", "week").agg(pl.len().cast(pl.Int64).alias("n"))
    return model.cell_counts(pl.concat([knives, ed.select(knives.columns)]),
                             resolution=settings.H3_RESOLUTION)


def _area() -> list[str]:
    return model.study_cells(**settings.CONTEXTS_CITY_BOX, resolution=settings.H3_RESOLUTION)


def next_week(*, user) -> ForecastPage:
    """The forecast for the coming week and the past weeks' scores, audited."""
    with transaction.atomic():
        filters, weeks = _history(clock.now())
        counts = incidents(filters)
        area = sorted(set(_area()) | set(counts.get_column("cell").to_list()))
        target = weeks[-1] + 2 * model.WEEK
        # The forecast and the 12 weeks' rolling scores are worked from the counts alone:
        # kept under a digest of them, so a view refits only when the counts have moved.
        ranked, scored = memo.remembered(
            "forecast", lambda: (_ranked(counts, target), _scored(counts, weeks, len(area))),
            scope=memo.CITY_WIDE, inputs=(counts, target, tuple(weeks), len(area), METHOD, TOP,
                                 SCORED_WEEKS))
        page = ForecastPage(
            target=target, history_from=weeks[0], history_to=weeks[-1] + dt.timedelta(days=6),
            incidents=publish.count(int(counts.get_column("n").sum() or 0)),
            area_cells=len(area), cells=_cells(ranked, user), summaries=[],
            method=METHOD.described(), scored_weeks=0, skipped=[])
        page.summaries, page.scored_weeks, page.skipped = scored
        record(actor=user, action="view", object_type="dashboard",
               detail={"app": "violence-reduction", "figure": "forecast",
                       "target": target.isoformat()})
    return page


def _ranked(counts: pl.DataFrame, target: dt.date) -> list[tuple[str, float, int]]:
    """The most expected hexagons: (cell, expected, incidents recorded), no names."""
    predicted = model.forecast(counts, target_week=target, method=METHOD)
    expected = dict(predicted.iter_rows())
    recorded = dict(counts.group_by("cell").agg(pl.col("n").sum()).iter_rows())
    return [(cell, expected[cell], recorded[cell]) for cell in model.top_cells(predicted, TOP)]


def _cells(ranked: list, user) -> list[ForecastCell]:
    # This viewer's names, through the access policy and audited, never kept between views.
    names = places.in_cells([cell for cell, _, _ in ranked], user=user,
                            detail={"app": "violence-reduction", "figure": "forecast"})
    threshold = settings.SMALL_NUMBER_THRESHOLD
    wards = ward_names(cell for cell, _, _ in ranked)
    return [ForecastCell(
        cell, names.get(cell, []),
        f"{expected:.1f}" if recorded >= threshold else f"not shown (fewer than "
        f"{threshold} incidents recorded)", publish.count(recorded), wards.get(cell, ""))
        for cell, expected, recorded in ranked]


def _scored(counts: pl.DataFrame, weeks: list[dt.date], area: int) -> tuple[list, int, list]:
    """Past accuracy: (summaries per share, weeks scored, weeks skipped)."""
    targets = weeks[-SCORED_WEEKS:]
    if counts.height == 0 or len(weeks) <= SCORED_WEEKS:
        return [], 0, []
    result = model.evaluate(counts, target_weeks=targets, area_cells=area, method=METHOD)
    return ([result.summary(s) for s in model.SHARES], len(targets) - len(result.skipped),
            result.skipped)
