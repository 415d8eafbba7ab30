"""Counting for the strategic dashboards: plain Polars, no Django, no database, no suppression.

The dashboards app reads rows (one per concern, event, clock, task...) into Polars tables and
passes them here; the counts come back as plain lists of lists, which the app suppresses
before anyone sees them. Times are timezone-aware; weeks and times of day are the
partnership's local ones (`timezone`), because "Friday evening" means Friday evening in the city.
"""

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import polars as pl

from ._checks import require_columns
from .errors import AnalyticsInputError

LOCAL_TIME_ZONE = "Europe/London"
# Hours of the day in bands of four: hourly counts would be almost all suppressed.
HOUR_BANDS = ((0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24))
# Clock and task states for SLA compliance, in the order the tables show them.
ON_TIME, LATE, OVERDUE, OPEN = "met_on_time", "met_late", "overdue", "open_not_due"
SLA_STATES = (ON_TIME, LATE, OVERDUE, OPEN)


def week_starts(last_day: dt.date, weeks: int) -> list[dt.date]:
    """The Mondays of the `weeks` weeks ending with the week holding `last_day`, oldest first."""
    if not isinstance(weeks, int) or weeks < 1:
        raise AnalyticsInputError("weeks", "must be a whole number of at least 1")
    monday = last_day - dt.timedelta(days=last_day.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _local(column: str, timezone: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone(timezone)


def with_week(frame: pl.DataFrame, at: str, *, timezone: str = LOCAL_TIME_ZONE) -> pl.DataFrame:
    """Add `week`: the local Monday of the week `at` falls in."""
    require_columns(frame, "rows", [at])
    monday = _local(at, timezone).dt.date().dt.truncate("1w")
    return frame.with_columns(monday.alias("week"))


def with_age(frame: pl.DataFrame, at: str, born: str = "date_of_birth",
             *, timezone: str = LOCAL_TIME_ZONE) -> pl.DataFrame:
    """Add `age`: whole years from `born` to the local date of `at` (null if not known)."""
    require_columns(frame, "rows", [at, born])
    day = _local(at, timezone).dt.date() if frame.schema[at] == pl.Datetime else pl.col(at)
    birthday_to_come = (day.dt.month() < pl.col(born).dt.month()) | (
        (day.dt.month() == pl.col(born).dt.month()) & (day.dt.day() < pl.col(born).dt.day()))
    years = day.dt.year() - pl.col(born).dt.year() - birthday_to_come.cast(pl.Int32)
    return frame.with_columns(years.alias("age"))


def with_time_of_week(frame: pl.DataFrame, at: str,
                      *, timezone: str = LOCAL_TIME_ZONE) -> pl.DataFrame:
    """Add `weekday` (1 Monday to 7 Sunday) and `band` (0-5: four-hour bands, local time)."""
    require_columns(frame, "rows", [at])
    local = _local(at, timezone)
    return frame.with_columns(local.dt.weekday().alias("weekday"),
                              (local.dt.hour() // 4).alias("band"))


def in_period(frame: pl.DataFrame, at: str, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    """Rows whose `at` falls in [start, end)."""
    require_columns(frame, "rows", [at])
    if start.tzinfo is None or end.tzinfo is None:
        raise AnalyticsInputError("period", "start and end must carry a time zone")
    if end <= start:
        raise AnalyticsInputError("period", "must end after it starts")
    column = pl.col(at)
    if frame.schema[at] == pl.Date:
        return frame.filter(column.is_between(start.date(), end.date(), closed="left"))
    zone = ZoneInfo(frame.schema[at].time_zone or "UTC")
    # Polars compares aware times only within one zone: the bounds take the column's.
    return frame.filter((column >= start.astimezone(zone)) & (column < end.astimezone(zone)))


def narrowed(frame: pl.DataFrame, *, locality_id=None, ward_id=None,
             ages: tuple[int, int] | None = None) -> pl.DataFrame:
    """Rows in the locality, ward and age band asked for (None: no limit on it).

    A row whose ward or age is not known is left out once that filter is set: it cannot be
    said to be in the ward or the band.
    """
    if locality_id is not None:
        require_columns(frame, "rows", ["locality_id"])
        frame = frame.filter(pl.col("locality_id") == locality_id)
    if ward_id is not None:
        require_columns(frame, "rows", ["ward_id"])
        frame = frame.filter(pl.col("ward_id") == ward_id)
    if ages is not None:
        require_columns(frame, "rows", ["age"])
        frame = frame.filter(pl.col("age").is_between(ages[0], ages[1]))
    return frame


def sla_state(frame: pl.DataFrame, *, due: str, met: str, now: dt.datetime) -> pl.DataFrame:
    """Add `state`: met on time, met late, overdue (not met, past due) or open (not yet due)."""
    require_columns(frame, "rows", [due, met])
    state = (
        pl.when(pl.col(met).is_not_null() & (pl.col(met) <= pl.col(due))).then(pl.lit(ON_TIME))
        .when(pl.col(met).is_not_null()).then(pl.lit(LATE))
        .when(pl.col(due) <= now).then(pl.lit(OVERDUE))
        .otherwise(pl.lit(OPEN))
    )
    return frame.with_columns(state.alias("state"))


def cross_count(frame: pl.DataFrame, *, row: str, column: str, rows: Sequence,
                columns: Sequence, distinct: str | None = None) -> list[list[int]]:
    """Counts of rows (or of distinct `distinct` values) for every (row, column) key pair.

    Keys not listed are not counted; pairs with nothing are 0, so the table always has the
    shape asked for.
    """
    require_columns(frame, "rows", [row, column] + ([distinct] if distinct else []))
    grouped = frame.filter(pl.col(row).is_in(list(rows)) & pl.col(column).is_in(list(columns)))
    size = pl.col(distinct).n_unique() if distinct else pl.len()
    found = {(r, c): int(n) for r, c, n in
             grouped.group_by(row, column).agg(size.alias("n")).iter_rows()}
    return [[found.get((r, c), 0) for c in columns] for r in rows]


def members(frame: pl.DataFrame, *, row: str, column: str, row_key, column_key,
            person: str = "person_id") -> list[int]:
    """The distinct known people behind one cell, for a drill-down (the caller restricts it)."""
    require_columns(frame, "rows", [row, column, person])
    cell = frame.filter((pl.col(row) == row_key) & (pl.col(column) == column_key))
    return sorted(cell.get_column(person).drop_nulls().unique().to_list())


def repeat_counts(frame: pl.DataFrame, *, person: str, by: str, keys: Sequence,
                  at_least: int = 2) -> list[int]:
    """Per key of `by`: how many people appear in `at_least` rows or more (repeat episodes)."""
    require_columns(frame, "rows", [person, by])
    known = frame.filter(pl.col(person).is_not_null())
    per_person = known.group_by(by, person).agg(pl.len().alias("n"))
    repeated = per_person.filter(pl.col("n") >= at_least).group_by(by).agg(pl.len().alias("k"))
    found = dict(repeated.iter_rows())
    return [int(found.get(key, 0)) for key in keys]
