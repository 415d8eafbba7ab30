"""The Violence Reduction app: knife and sharp-object incidents, ED assaults of under-25s,
stop and search; by place and time of week; hot spots; the Serious Violence Duty table."""

import polars as pl
from django.conf import settings

from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.figures import HOUR_BANDS, cross_count, with_time_of_week
from saferoptions.analytics.hotspots import CityBounds, find_hotspots
from saferoptions.events.models import EventCategory, EventType

from . import memo, places, sources
from .build import by_ward, weekly_by_locality
from .figures import Figure

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOP_PLACES = 15
HOT_CELLS = 15
WARD_COLUMNS = [("knife", "Knife incidents"), ("ed", "ED assaults, under 25"),
                ("search", "Stop-searches")]
KNIFE_RULE = ("an event of any kind recorded as a knife or sharp-object category, or with a "
              "knife or bladed article among its objects")


def knife_incidents(filters, *, placed: bool = False, people: bool = True) -> pl.DataFrame:
    frame = sources.events(filters, knife=True, placed=placed, people=people,
                           people_for_drill=True)
    return frame.filter((pl.col("category") == EventCategory.KNIFE) | pl.col("knife"))


def ed_under_25(filters, *, placed: bool = False) -> pl.DataFrame:
    frame = sources.events(filters, [EventType.ED_ASSAULT], placed=placed)
    return frame.filter(pl.col("age") < 25)


def ed_knife_under_25(filters) -> pl.DataFrame:
    """ED assault attendances of under-25s where the assault was with a knife or sharp object:
    journey 6 reads this, where the figure above counts every assault."""
    frame = sources.events(filters, [EventType.ED_ASSAULT], knife=True)
    return frame.filter(pl.col("age") < 25)


def stop_searches(filters) -> pl.DataFrame:
    return sources.events(filters, [EventType.STOP_SEARCH], people_for_drill=True)


def builders(filters) -> dict:
    """Each figure's builder by key, so a CSV or drill-down builds only its own figure; the
    rows they share are read once per request (dashboards.sources)."""
    def violence():
        return pl.concat([knife_incidents(filters), ed_under_25(filters)]).unique(subset="id")
    return {
        "knife": lambda: weekly_by_locality(
            "knife", "Knife and sharp-object incidents",
            f"Incidents per locality and week: {KNIFE_RULE}.", knife_incidents(filters),
            filters, note="Where it happened decides the locality; with no place "
            "recorded, where the child lives."),
        "ed_assaults": lambda: weekly_by_locality(
            "ed_assaults", "Emergency department assault attendances, under 25",
            "Attendances at the emergency department after an assault, by people under 25 "
            "on the day of the assault, per locality and week.", ed_under_25(filters), filters,
            note="An attendance with no date of birth recorded is not counted."),
        "ed_knife": lambda: weekly_by_locality(
            "ed_knife", "Knife-related emergency department assault attendances, under 25",
            "Of the attendances above, those where the assault was with a knife or sharp "
            f"object ({KNIFE_RULE}), per locality and week.", ed_knife_under_25(filters),
            filters, note="An attendance with no date of birth recorded is not counted."),
        "stop_search": lambda: weekly_by_locality(
            "stop_search", "Stop and search", "Stop-searches per locality and week.",
            stop_searches(filters), filters),
        "by_ward": lambda: by_ward(
            "by_ward", "Knife incidents, ED assaults and stop and search, by ward (maps)",
            "Knife and sharp-object incidents, ED assault attendances of under-25s and "
            "stop-searches in the period with a known place, by the ward of the place.",
            pl.concat([frame.select("ward_id", "person_id").with_columns(pl.lit(k).alias("col"))
                       for k, frame in (("knife", knife_incidents(filters)),
                                        ("ed", ed_under_25(filters)),
                                        ("search", stop_searches(filters)))]),
            filters, WARD_COLUMNS, note="An event with no place recorded is on no map: most "
            "ED attendances name a place in words, resolved later."),
        "time_of_week": lambda: time_of_week(violence()),
        "places": lambda: by_place(knife_incidents(filters), ed_under_25(filters),
                                   stop_searches(filters)),
        "hot_spots": lambda: hot_spots(violence()),
    }


def figures(filters) -> list[Figure]:
    return [build() for build in builders(filters).values()]


def time_of_week(frame: pl.DataFrame) -> Figure:
    """Knife incidents and ED assaults of under-25s by day and four-hour band (local time)."""
    frame = with_time_of_week(frame, "occurred_at")
    columns = list(range(len(HOUR_BANDS)))
    return Figure(key="time_of_week", title="By day and time of day",
                  description="Knife and sharp-object incidents and ED assault attendances of "
                  "under-25s (each counted once), by day of the week and time of day.",
                  row_heading="Day", rows=DAYS,
                  columns=[f"{a:02d}:00 to {b:02d}:00" for a, b in HOUR_BANDS],
                  counts=cross_count(frame, row="weekday", column="band",
                                     rows=list(range(1, 8)), columns=columns),
                  row_keys=[str(d) for d in range(1, 8)],
                  column_keys=[str(c) for c in columns], chart="rows")


def by_place(knives, ed, searches) -> Figure:
    """The places with most violence recorded, and what was recorded there (named per
    reader: dashboards.places)."""
    parts = [f.select("place_id", "place_name").with_columns(pl.lit(k).alias("col"))
             for k, f in (("knife", knives), ("ed", ed), ("search", searches))]
    frame = pl.concat(parts).filter(pl.col("place_id").is_not_null())
    top = (frame.filter(pl.col("col") != "search").group_by("place_id", "place_name")
           .agg(pl.len().alias("n")).sort(["n", "place_name"], descending=[True, False])
           .head(TOP_PLACES))
    keys = top.get_column("place_id").to_list()
    columns = ["knife", "ed", "search"]
    counts = cross_count(frame, row="place_id", column="col", rows=keys, columns=columns)
    figure = Figure(key="places", title="Places with most violence recorded",
                    description=f"The {TOP_PLACES} known places with most knife incidents and "
                    "ED assaults of under-25s in the period, with stop-searches there.",
                    row_heading="Place", rows=["No place recorded"],
                    columns=["Knife incidents", "ED assaults, under 25", "Stop-searches"],
                    counts=counts or [[0, 0, 0]], chart="rows",
                    row_keys=[str(k) for k in keys] or ["none"], column_keys=columns,
                    note="Only events with a known place: most ED attendances name a place in "
                    "words, resolved later. A place you may not list is not named.")
    if keys:
        figure.row_places = [[k] for k in keys]
        figure.place_label = _place_label
        figure.rows = [_place_label(i, []) for i in range(len(keys))]
    return figure


def _place_label(index: int, names: list[str]) -> str:
    return names[0] if names else f"Place {index + 1} (name not shown)"


def hot_spots(frame: pl.DataFrame) -> Figure:
    """Getis-Ord Gi* hot spots of knife incidents and ED assaults of under-25s."""
    located = frame.filter(pl.col("lat").is_not_null()).select("lat", "lng", "occurred_at")
    figure = Figure(key="hot_spots", title="Hot spots", row_heading="Hexagon (known places)",
                    description="Hexagons of about 0.1 km² where knife incidents and ED "
                    "assaults of under-25s cluster more than the city-wide rate would give "
                    "(Getis-Ord Gi*, false discovery rate 5%).", rows=["No hot spot"],
                    columns=["Events"], counts=[[0]], chart="rows", row_keys=["none"],
                    column_keys=["events"])
    options = {"bounds": CityBounds(**settings.CONTEXTS_CITY_BOX),
               "resolution": settings.H3_RESOLUTION, "k": settings.CONTEXTS_HOTSPOT_K,
               "alpha": settings.CONTEXTS_HOTSPOT_ALPHA,
               "correction": settings.CONTEXTS_HOTSPOT_CORRECTION}
    try:
        # Gi* over the whole study area is worked from these events alone: kept under a
        # digest of them, so it is rerun only when an event of the period changes them.
        result = memo.remembered("hot-spots", lambda: find_hotspots(located, **options),
                                 scope=memo.CITY_WIDE, inputs=(located, options))
    except AnalyticsInputError as error:
        figure.note = f"Not computed: {error.field}: {error.reason}"
        return figure
    hot = result.hot_cells.head(HOT_CELLS)
    if hot.height:
        cells = hot.get_column("cell").to_list()
        ids = places.ids_in_cells(cells)  # named per reader (dashboards.places)
        figure.row_places = [ids.get(c, []) for c in cells]
        figure.place_label = lambda i, names: f"{cells[i]} ({', '.join(names) or 'no place named'})"
        figure.rows = [figure.place_label(i, []) for i in range(len(cells))]
        figure.counts = [[int(n)] for n in hot.get_column("events").to_list()]
        figure.row_keys = cells
        scores = [round(float(z), 2) for z in hot.get_column("gi_z").to_list()]
        # A hexagon with quiet neighbours has a z in step with its own count: a reader of
        # rounded counts would read the count back from it (as on the hot-spot page).
        figure.derived_columns = lambda shown: [
            ("Gi* z", ["not shown"] * len(scores) if shown.rounded else scores)]
    figure.note = (f"{result.by_cell.filter(pl.col('hot_spot')).height} of "
                   f"{result.by_cell.height} hexagons are hot spots; the strongest "
                   f"{HOT_CELLS} are listed. A hot spot says where events cluster, not why.")
    return figure
