"""The Serious Violence Duty needs-assessment table: measures from both strategic apps."""

import polars as pl

from . import exploitation, violence
from .build import by_locality
from .figures import Figure

NEEDS_COLUMNS = [("knife", "Knife and sharp-object incidents"),
                 ("ed", "ED assault attendances, under 25"), ("search", "Stop-searches"),
                 ("missing", "Missing episodes"), ("exploitation", "Exploitation concerns")]


def needs_assessment(filters) -> Figure:
    """The Serious Violence Duty needs-assessment table: each measure per locality."""
    parts = [violence.knife_incidents(filters).with_columns(pl.lit("knife").alias("col")),
             violence.ed_under_25(filters).with_columns(pl.lit("ed").alias("col")),
             violence.stop_searches(filters).with_columns(pl.lit("search").alias("col")),
             exploitation.missing_episodes(filters).with_columns(pl.lit("missing").alias("col")),
             exploitation.exploitation_concerns(filters).with_columns(
                 pl.lit("exploitation").alias("col"))]
    frame = pl.concat([p.select("locality_id", "person_id", "col") for p in parts])
    return by_locality("needs_assessment", "Serious Violence Duty: needs assessment",
                       "Each measure per locality over the period, for the partnership's "
                       "strategic needs assessment.", frame, filters, NEEDS_COLUMNS,
                       drill=False, row_totals=False)
