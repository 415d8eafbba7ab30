"""Shared steps for building figures: localities as rows, weeks as columns, drill frames."""

import polars as pl

from saferoptions.analytics.figures import cross_count
from saferoptions.core.models import Locality, Ward

from .figures import Figure
from .filters import Filters

NO_LOCALITY = "none"
WARD_SHAPES = ("Ward shapes are approximate: each is the H3 cells nearest the ward's centre, "
               "since no boundary files are held.")


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


def wards(filters: Filters) -> list[Ward]:
    chosen = Ward.objects.order_by("name")
    if filters.locality is not None:
        chosen = chosen.filter(locality=filters.locality)
    return list(chosen)


def by_ward(key: str, title: str, description: str, frame: pl.DataFrame, filters: Filters,
            columns: list[tuple[str, str]], *, drill: bool = True, note: str = "") -> Figure:
    """Items per ward of their place (rows, keyed by ward code) and `frame["col"]` (columns),
    drawn as a map per column (dashboards.maps); an item with no place is on no row."""
    chosen = wards(filters)
    frame = frame.with_columns(pl.col("ward_id").cast(pl.Utf8).alias("row"))
    column_keys = [k for k, _ in columns]
    counts = counted(frame, [str(w.pk) for w in chosen], column_keys)
    codes = {str(w.pk): w.code for w in chosen}
    return Figure(key=key, title=title, description=f"{description} {WARD_SHAPES}",
                  row_heading="Ward", rows=[w.name for w in chosen],
                  columns=[label for _, label in columns], counts=counts,
                  row_keys=[w.code for w in chosen], column_keys=column_keys,
                  frame=frame.with_columns(pl.col("row").replace(codes)) if drill else None,
                  chart="map", row_totals=False, note=note)
