"""The Serious Violence Duty needs-assessment table: measures from both strategic apps.

Nobody drills into it, so what only it reads is counted in the database: missing episodes
and exploitation concerns per locality (one row per event or concern read for it cost 1.5 s
of the Violence Reduction page at 100,000 children). Knife incidents, ED assaults and
stop-searches are the rows the page's other figures read anyway (dashboards.sources). An age
band is worked from each row's age, so with one every measure is counted from its rows.
"""

import polars as pl

from saferoptions.events.models import EventType

from . import exploitation, selectors, sources, violence
from .build import by_locality, localities
from .figures import Figure

NEEDS_COLUMNS = [("knife", "Knife and sharp-object incidents"),
                 ("ed", "ED assault attendances, under 25"), ("search", "Stop-searches"),
                 ("missing", "Missing episodes"), ("exploitation", "Exploitation concerns")]
TITLE = "Serious Violence Duty: needs assessment"
DESCRIPTION = ("Each measure per locality over the period, for the partnership's strategic "
               "needs assessment.")


def needs_assessment(filters) -> Figure:
    """The Serious Violence Duty needs-assessment table: each measure per locality."""
    if filters.ages:
        return _from_rows(filters)
    per_measure = {
        "knife": _per_locality(violence.knife_incidents(filters)),
        "ed": _per_locality(violence.ed_under_25(filters)),
        "search": _per_locality(violence.stop_searches(filters)),
        "missing": sources.per_locality(filters, [EventType.MISSING_EPISODE]),
        "exploitation": selectors.concerns_per_locality(filters,
                                                        exploitation.EXPLOITATION_KINDS)}
    places = localities(filters)
    return Figure(key="needs_assessment", title=TITLE, description=DESCRIPTION,
                  row_heading="Locality", rows=[loc.name for loc in places],
                  columns=[label for _, label in NEEDS_COLUMNS],
                  counts=[[per_measure[k].get(loc.pk, 0) for k, _ in NEEDS_COLUMNS]
                          for loc in places],
                  row_keys=[str(loc.pk) for loc in places],
                  column_keys=[k for k, _ in NEEDS_COLUMNS], row_totals=False)


def _per_locality(frame: pl.DataFrame) -> dict:
    return dict(frame.group_by("locality_id").agg(pl.len()).iter_rows())


def _from_rows(filters) -> Figure:
    parts = [violence.knife_incidents(filters).with_columns(pl.lit("knife").alias("col")),
             violence.ed_under_25(filters).with_columns(pl.lit("ed").alias("col")),
             violence.stop_searches(filters).with_columns(pl.lit("search").alias("col")),
             exploitation.missing_episodes(filters).with_columns(pl.lit("missing").alias("col")),
             exploitation.exploitation_concerns(filters).with_columns(
                 pl.lit("exploitation").alias("col"))]
    frame = pl.concat([p.select("locality_id", "person_id", "col") for p in parts])
    return by_locality("needs_assessment", TITLE, DESCRIPTION, frame, filters, NEEDS_COLUMNS,
                       drill=False, row_totals=False)
