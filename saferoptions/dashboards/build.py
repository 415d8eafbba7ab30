"""Shared steps for building figures: localities as rows, weeks as columns, drill frames."""

import polars as pl

from saferoptions.analytics.figures import cross_count
from saferoptions.core.models import Locality

from .figures import Figure
from .filters import Filters

NO_LOCALITY = "none"


def localities(filters: Filters) -> list[Locality]:
    if filters.locality is not None:
        return [filters.locality]
    return list(Locality.objects.order_by("name"))


def week_label(day) -> str:
    return f"{day.day} {day:%b}"


def keyed(frame: pl.DataFrame, row: str, column: str) -> pl.DataFrame:
    """The frame with string `row` and `col` keys (as URLs carry them); nulls as "none"."""
    return frame.with_columns(
        pl.col(row).cast(pl.Utf8).fill_null(NO_LOCALITY).alias("row"),
        pl.col(column).cast(pl.Utf8).alias("col"))


def counted(frame: pl.DataFrame, row_keys: list[str], column_keys: list[str],
            distinct: str | None = None) -> list[list[int]]:
    return cross_count(frame, row="row", column="col", rows=row_keys, columns=column_keys,
                       distinct=distinct)


def weekly_by_locality(key: str, title: str, description: str, frame: pl.DataFrame,
                       filters: Filters, *, drill: bool = True, note: str = "") -> Figure:
    """Items per locality (rows) and week (columns) over the period."""
    places = localities(filters)
    row_keys = [str(loc.pk) for loc in places]
    column_keys = [str(week) for week in filters.weeks]
    frame = keyed(frame, "locality_id", "week")
    return Figure(key=key, title=title, description=description, row_heading="Locality",
                  rows=[loc.name for loc in places],
                  columns=[week_label(w) for w in filters.weeks],
                  counts=counted(frame, row_keys, column_keys),
                  row_keys=row_keys, column_keys=column_keys,
                  frame=frame if drill else None, note=note)


def by_locality(key: str, title: str, description: str, frame: pl.DataFrame, filters: Filters,
                columns: list[tuple[str, str]], *, drill: bool = True, note: str = "",
                distinct: str | None = None, row_totals: bool = True) -> Figure:
    """Items per locality (rows) and a state or kind held in `frame["col"]` (columns)."""
    places = localities(filters)
    row_keys = [str(loc.pk) for loc in places]
    column_keys = [k for k, _ in columns]
    frame = frame.with_columns(pl.col("locality_id").cast(pl.Utf8).fill_null(NO_LOCALITY)
                               .alias("row"))
    return Figure(key=key, title=title, description=description, row_heading="Locality",
                  rows=[loc.name for loc in places], columns=[label for _, label in columns],
                  counts=counted(frame, row_keys, column_keys, distinct),
                  row_keys=row_keys, column_keys=column_keys,
                  frame=frame if drill else None, note=note, row_totals=row_totals)
