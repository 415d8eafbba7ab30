"""Input checks shared by the analytics modules: each failure names the field and the reason."""

import math
from collections.abc import Iterable

import polars as pl

from saferoptions.analytics.errors import AnalyticsInputError, MissingColumnError


def require_columns(frame: pl.DataFrame, table: str, columns: Iterable[str]) -> None:
    """Fail unless `frame` is a Polars DataFrame holding every one of `columns`."""
    if not isinstance(frame, pl.DataFrame):
        raise AnalyticsInputError(table, "must be a Polars DataFrame")
    for column in columns:
        if column not in frame.columns:
            raise MissingColumnError(f"{table}.{column}", "column is missing")


def require_no_nulls(frame: pl.DataFrame, table: str, columns: Iterable[str]) -> None:
    """Fail if any of `columns` holds a null (or, for floats, a NaN)."""
    for column in columns:
        series = frame.get_column(column)
        missing = series.null_count()
        if series.dtype.is_float():
            missing += int(series.is_nan().sum() or 0)
        if missing:
            raise AnalyticsInputError(f"{table}.{column}", f"{missing} row(s) have no value")


def require_timezone_aware(frame: pl.DataFrame, table: str, column: str) -> None:
    """Fail unless `column` is a datetime column that carries a time zone."""
    dtype = frame.schema[column]
    if not isinstance(dtype, pl.Datetime):
        raise AnalyticsInputError(f"{table}.{column}", "must be a date and time")
    if dtype.time_zone is None:
        raise AnalyticsInputError(f"{table}.{column}", "must be timezone-aware")


def require_positive(value: float, field: str, *, allow_zero: bool = False) -> None:
    """Fail unless `value` is a finite number above zero (or zero, if allowed)."""
    ok = isinstance(value, int | float) and math.isfinite(value)
    ok = ok and (value >= 0 if allow_zero else value > 0)
    if not ok:
        bound = "zero or more" if allow_zero else "more than zero"
        raise AnalyticsInputError(field, f"must be a number {bound}")


def require_int_between(value: int, field: str, low: int, high: int) -> None:
    """Fail unless `value` is a whole number from `low` to `high` inclusive."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise AnalyticsInputError(field, f"must be a whole number from {low} to {high}")
